# The image deploy/compose/docker-compose.yml and deploy/kubernetes/assistant.yaml name:
#   docker build -t bpjs-assistant:latest .
# One image for every service (Rasa, action server, dashboard, gateway, migrations); the
# compose services and Kubernetes pods choose theirs by command. The Rasa model is trained
# while building (python -m stack train) and linked as models/assistant.tar.gz, the path the
# manifests pass to Rasa. Not built on the development machines (no Docker engine there): see
# deploy/README.md.
FROM python:3.10.13-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RASA_TELEMETRY_ENABLED=false \
    TF_CPP_MIN_LOG_LEVEL=2 \
    PATH=/opt/venv/bin:$PATH

# Non-root user; its home holds what Rasa and TensorFlow write there (configuration, caches).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin assistant

# Dependencies first, so a code change does not reinstall them. As `make venv`: pip 23.0.1, then
# one resolver run with requirements.lock as constraints (Rasa's own pins stay), then pip check.
COPY requirements.txt requirements.lock /tmp/
RUN python -m venv /opt/venv \
    && /opt/venv/bin/python -m pip install --quiet "pip==23.0.1" \
    && /opt/venv/bin/python -m pip install --quiet -r /tmp/requirements.txt -c /tmp/requirements.lock \
    && /opt/venv/bin/python -m pip check

# /app belongs to the user: training writes models/, the services write var/ (the action
# server's spool, a SQLite database).
RUN install -d -o assistant -g assistant /app
WORKDIR /app
COPY --chown=assistant:assistant . /app
USER assistant

# Train for the inputs in the image (config.yml, domain/, data/, the tokenizer and its lexicon).
# `python -m stack` writes .env from .env.example when .env is missing: removed here, so no
# secrets are baked into the image; configuration comes from the environment at run time.
RUN python -m stack train \
    && ln -s "$(basename "$(ls models/assistant-*.tar.gz)")" models/assistant.tar.gz \
    && rm -rf .env .rasa \
    && mkdir -p var

# Rasa (REST channel and HTTP API), action server, dashboard, gateway in webhook mode.
EXPOSE 5005 5055 8000 8444

# The whole stack in one container, as `make run` (migrate, load the knowledge base, start every
# service on 127.0.0.1): only useful with --network host. The compose services override it.
CMD ["python", "-m", "stack", "run"]
