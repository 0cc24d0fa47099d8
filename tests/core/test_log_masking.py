"""Log lines never carry the masking corpus in clear: records, their arguments and tracebacks,
Python's warnings (Rasa's "Failed to parse arguments in line '/lapor NIK ...'" among them),
Rasa's structured log, and every line the supervisor copies from a child's output."""
from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from stack.supervisor import Service, Supervisor
from tests.pii_corpus import CORPUS, assert_masked, assert_reached

ROOT = Path(__file__).resolve().parents[2]

# A process set up as the gateway, the action server and the dashboard are (core.logs.setup_logging),
# writing the corpus every way a process writes to its log.
LOGGING_CHILD = textwrap.dedent("""
    import json, logging, sys, warnings
    from core.logs import setup_logging

    corpus = json.loads(sys.argv[1])
    setup_logging("DEBUG", "test")
    log = logging.getLogger("test.masking")
    for line in corpus:
        log.info("participant wrote %s", line)
        log.warning(f"f-string: {line}")
        log.info("as a dict: %(text)s", {"text": line})
        try:
            raise ValueError(f"could not handle {line!r}")
        except ValueError:
            log.exception("failed")
        warnings.warn(f"a library warns about {line}")
    log.info("done")
""")

# The Rasa server's set-up (rasa_ext/server.py masks records and captures warnings), then what Rasa
# itself does with a participant's "/lapor ..." text: a warning that quotes the line, and its
# structured log (structlog through the standard logging).
RASA_CHILD = textwrap.dedent("""
    import json, logging, sys
    from core.logs import install_record_masking

    corpus = json.loads(sys.argv[1])
    install_record_masking()
    from rasa.utils.log_utils import configure_structlog
    configure_structlog(logging.INFO)
    import structlog
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.training_data.message import Message

    for line in corpus:
        YAMLStoryReader.unpack_regex_message(Message({"text": "/lapor " + line}), Domain.empty())
        structlog.get_logger().warning("message.parsing.failed", user_text="/lapor " + line)
    print("done", file=sys.stderr)
""")


def run_child(script: str) -> str:
    result = subprocess.run([sys.executable, "-c", script, json.dumps(CORPUS)], cwd=ROOT, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


def test_log_records_warnings_and_tracebacks_are_masked():
    output = run_child(LOGGING_CHILD)
    assert "Traceback" in output and "UserWarning" in output and "done" in output
    assert_reached(output, "the log")
    assert_masked(output, "the log")


def test_rasa_warnings_and_structured_log_are_masked():
    output = run_child(RASA_CHILD)
    assert "Failed to parse arguments in line '/lapor" in output and "message.parsing.failed" in output
    assert_reached(output, "Rasa's log")
    assert_masked(output, "Rasa's log")


def test_the_supervisor_masks_every_line_it_copies():
    """A child that prints the corpus itself, unmasked, to stdout and stderr, and crashes with it."""
    script = ("import json, sys\ncorpus = json.loads(sys.argv[1])\n"
              "for line in corpus:\n    print(line)\n    print('err', line, file=sys.stderr, flush=True)\n"
              "print('done', flush=True)\nraise SystemExit('fatal: ' + corpus[0])\n")
    out = io.StringIO()
    supervisor = Supervisor(out=out)
    supervisor.start(Service("child", [sys.executable, "-c", script, json.dumps(CORPUS)], cwd=str(ROOT)))
    supervisor.procs["child"].wait(timeout=30)
    deadline = time.monotonic() + 10
    while "fatal:" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    copied = out.getvalue()
    assert "[child] done" in copied and "fatal:" in copied
    assert_reached(copied, "the supervisor's copy")
    assert_masked(copied, "the supervisor's copy")
