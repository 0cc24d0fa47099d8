# Two commands matter: `make run` (install + start the stack) and `make test`
# (install + run every test). Everything else is a convenience.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-$(shell cat requirements.txt requirements.lock | md5sum | cut -c1-12)
PYTHON310 ?= $(shell scripts/find-python310)

.PHONY: help venv run run-cluster test test-fast lint chat eval bench bench-kb bench-chat bench-context bench-input bench-telegram bench-cluster train migrate kb-load lock

help:
	@echo "make run        install everything and start the whole stack"
	@echo "make test       install everything and run every test"
	@echo "make test-fast  the tests that need no trained model and no live server"
	@echo "make lint       ruff over the whole project, mypy over the domain packages and evaluation/ (pyproject.toml)"
	@echo "make run-cluster  2 Rasa + 2 action servers behind nginx, on PostgreSQL and Redis"
	@echo "make chat       chat with the running assistant in the terminal"
	@echo "make eval FILE=path   score a labelled set against the running stack"
	@echo "make bench      run all benchmarks (reports under reports/)"
	@echo "make bench-kb   knowledge-base search benchmark"
	@echo "make bench-chat chat latency benchmark against the stock rasa init assistant"
	@echo "make bench-telegram  the Telegram gateway's latency next to the REST channel"
	@echo "make bench-context   what reading messages in context costs (same stack, context on and off)"
	@echo "make bench-input     what the longest allowed message (4,096 characters) costs the NLU and a turn"
	@echo "make train      refit the search calibration; train the Rasa model if training data or config changed"

venv: $(STAMP)

$(STAMP): requirements.txt requirements.lock
	@test -n "$(PYTHON310)" || { scripts/find-python310; exit 1; }
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip==23.0.1" 2>&1 | grep -v "^WARNING: Location"; test $${PIPESTATUS[0]} -eq 0
	$(PY) -m pip install --quiet -r requirements.txt -c requirements.lock 2>&1 | grep -v "^WARNING: Location"; test $${PIPESTATUS[0]} -eq 0
	$(PY) -m pip check
	@rm -f $(VENV)/.installed-*
	@touch $@

lock: venv
	$(PY) -m pip freeze | grep -v "^-e" | sed '1i # Full pinned set resolved together on Python 3.10.13 (pip check clean).\n# Regenerate: make lock' > requirements.lock

migrate: venv
	$(PY) -m stack migrate

kb-load: migrate
	$(PY) -m kb import --sync kb/content

train: venv
	$(PY) scripts/calibrate_search.py
	$(PY) -m stack train

run: venv
	$(PY) -m stack run

run-cluster: venv
	$(PY) -m stack run-cluster

# The model is trained (when its inputs changed) before pytest, so no test's timeout includes a training.
test: venv
	$(PY) -m stack train
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: venv
	$(PY) -m pytest -m "not stack" --durations=10 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

chat: venv
	$(PY) -m stack chat

eval: venv
	@test -n "$(FILE)" || { echo "usage: make eval FILE=path/to/set.yml"; exit 2; }
	$(PY) -m evaluation score "$(FILE)"

bench: bench-kb bench-chat bench-context bench-input bench-cluster
	$(PY) -m benchmarks.summary

bench-kb: venv
	$(PY) -m benchmarks.kb_search

bench-chat: venv
	$(PY) -m benchmarks.chat

bench-telegram: venv
	$(PY) -m benchmarks.gateway

bench-context: venv
	$(PY) -m benchmarks.context

bench-input: venv
	$(PY) -m benchmarks.input_limits

bench-cluster: venv
	$(PY) -m benchmarks.cluster
