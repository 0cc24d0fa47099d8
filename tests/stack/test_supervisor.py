"""The supervisor's restart policy, with short-lived real child processes (no Rasa needed)."""
from __future__ import annotations

import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from core.settings import PROJECT_ROOT
from stack.restarts import CrashHistory, RestartPolicy, Verdict, describe
from stack.supervisor import Service, Supervisor, ephemeral_ports, free_port
from tests.polling import wait_until

QUICK = RestartPolicy(max_crashes=3, window=60.0, first_delay=0.1, max_delay=1.0)
# An HTTP server that waits `delay` seconds before it listens (a service that takes a while to be ready).
SERVE = ("import http.server, sys, time; time.sleep(float(sys.argv[2])); "
         "http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()")


def http_service(name: str, port: int, cwd, delay: float = 0.0) -> Service:
    return Service(name=name, command=[sys.executable, "-c", SERVE, str(port), str(delay)],
                   ready_url=f"http://127.0.0.1:{port}/", ready_timeout=20, cwd=str(cwd))


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


# ---- the policy ----------------------------------------------------------------------------------
def test_backoff_doubles_up_to_the_cap_and_the_fifth_crash_in_a_minute_is_a_loop():
    history = CrashHistory(RestartPolicy())
    verdicts = [history.crashed(t) for t in (0.0, 5.0, 10.0, 15.0)]
    assert [v.delay for v in verdicts] == [1, 2, 4, 8] and [v.crashes for v in verdicts] == [1, 2, 3, 4]
    assert history.crashed(20.0) == Verdict(5, None) and history.crashed(20.0).give_up
    assert RestartPolicy(max_crashes=99).delay(10) == 30  # capped


def test_crashes_older_than_the_window_are_forgotten():
    history = CrashHistory(RestartPolicy())
    for t in (0.0, 1.0, 2.0, 3.0):
        history.crashed(t)
    verdict = history.crashed(63.5)  # the four early crashes are more than 60 s old
    assert verdict == Verdict(1, 1.0) and not verdict.give_up


def test_the_log_lines_say_what_happens():
    policy = RestartPolicy()
    assert describe("actions", -9, Verdict(1, 1.0), policy) == \
        "actions exited with code -9; restarting in 1 s (crash 1 of 5 in 60 s)"
    assert describe("rasa", 1, Verdict(5, None), policy).startswith(
        "rasa exited with code 1: 5 crashes in 60 s, a crash loop; giving up and stopping the stack")


def test_a_free_port_is_bindable_and_outside_the_range_outgoing_connections_take():
    ports = {free_port() for _ in range(20)}
    assert not any(port in ephemeral_ports() for port in ports)
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # raises if something listens there


# ---- the supervisor with real children -----------------------------------------------------------
def test_a_killed_service_is_restarted_ready_and_the_others_keep_serving(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="stack")
    one, two = free_port(), free_port()
    supervisor = Supervisor(out=open(os.devnull, "w"), policy=QUICK)
    try:
        supervisor.start(http_service("one", one, tmp_path, delay=0.8))  # each (re)start takes 0.8 s to be ready
        supervisor.start(http_service("two", two, tmp_path))
        first, other = supervisor.procs["one"].pid, supervisor.procs["two"].pid
        os.killpg(first, signal.SIGKILL)
        wait_until(lambda: "one is up again" in caplog.text, timeout=20, what="the restart")
        # "up again" is said once the service answers, not when its process starts.
        assert answers(f"http://127.0.0.1:{one}/")
        assert supervisor.procs["one"].pid != first and supervisor.restarts == {"one": 1, "two": 0}
        assert supervisor.procs["two"].pid == other and answers(f"http://127.0.0.1:{two}/")
        assert "one exited with code -9; restarting in 0.1 s (crash 1 of 3 in 60 s)" in caplog.text
    finally:
        supervisor.stop()
    assert all(p.poll() is not None for p in supervisor.procs.values())


def test_a_crash_loop_gives_up_and_stops_everything(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="stack")
    flaky = Service(name="flaky", command=[sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit(3)"])
    steady = http_service("steady", free_port(), tmp_path)
    supervisor = Supervisor(out=open(os.devnull, "w"), policy=QUICK)
    started = time.monotonic()
    assert supervisor.run([steady, flaky]) == 1
    assert time.monotonic() - started < 15
    assert supervisor.gave_up == "flaky" and supervisor.restarts["flaky"] == 2
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("flaky exited")]
    assert lines == ["flaky exited with code 3; restarting in 0.1 s (crash 1 of 3 in 60 s)",
                     "flaky exited with code 3; restarting in 0.2 s (crash 2 of 3 in 60 s)",
                     "flaky exited with code 3: 3 crashes in 60 s, a crash loop; giving up and stopping the stack "
                     "(see flaky's output above)"]
    assert supervisor.procs["steady"].poll() is not None  # stopped with the rest


def test_a_service_that_never_gets_ready_again_is_killed_and_counted(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="stack")
    port = free_port()
    marker = tmp_path / "started-once"
    # Ready the first time; after a restart it never listens (but stays alive).
    script = (f"import pathlib, sys, time\nm = pathlib.Path({str(marker)!r})\n"
              "if m.exists():\n    time.sleep(600)\nm.touch()\n" + SERVE.replace("; ", "\n"))
    service = Service(name="stuck", command=[sys.executable, "-c", script, str(port), "0"],
                      ready_url=f"http://127.0.0.1:{port}/", ready_timeout=1.5, cwd=str(tmp_path))
    supervisor = Supervisor(out=open(os.devnull, "w"), policy=QUICK)
    try:
        supervisor.start(service)
        os.killpg(supervisor.procs["stuck"].pid, signal.SIGKILL)
        wait_until(lambda: "crash 2 of 3" in caplog.text, timeout=20, what="the second crash")
        assert "stuck did not become ready within 1.5 s of its restart; killing it" in caplog.text
    finally:
        supervisor.stop()


def test_make_run_style_process_restarts_a_killed_child_and_stops_on_sigterm(tmp_path):
    """The supervisor in a process of its own, as `python -m stack run` runs it: kill -9 of a child
    is logged and repaired; SIGTERM stops everything and exits 0."""
    port = free_port()
    script = ("import logging, sys\nlogging.basicConfig(level=logging.INFO, format='%(message)s')\n"
              "from stack.supervisor import Service, Supervisor\n"
              f"service = Service('web', [sys.executable, '-c', {SERVE!r}, '{port}', '0'], "
              f"ready_url='http://127.0.0.1:{port}/', cwd={str(tmp_path)!r})\n"
              "sys.exit(Supervisor().run([service]))\n")
    log_path = tmp_path / "supervisor.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        def child_pids():
            return [int(p) for p in re.findall(r"web is up (?:again )?at \S+ \(pid (\d+)", log_path.read_text())]

        wait_until(lambda: child_pids(), timeout=20, what="the child up")
        first = child_pids()[0]
        os.kill(first, signal.SIGKILL)
        wait_until(lambda: len(child_pids()) == 2, timeout=20, what="the child up again")
        assert "web exited with code -9; restarting in 1 s (crash 1 of 5 in 60 s)" in log_path.read_text()
        assert answers(f"http://127.0.0.1:{port}/") and proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "SIGTERM received: stopping the stack" in log_path.read_text()
    with pytest.raises(ProcessLookupError):
        os.kill(child_pids()[1], 0)
