"""The running topologies the fault matrix breaks: `python -m stack run` as a process of its own, and
the scaled-out cluster under an in-process supervisor; both with the gateway against the fake Bot API."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import psutil
import requests

from core.settings import PROJECT_ROOT, Settings
from stack.cluster import ClusterPlan, cluster_services
from stack.supervisor import Service, Supervisor, free_port
from tests.polling import wait_until


def telegram_environment(bot_api_base_url: str, bot_token: str, staff_chat: int) -> Dict[str, str]:
    """The gateway against a Bot-API-compatible server (long polling unless the topology sets a webhook)."""
    return {"TELEGRAM_BOT_TOKEN": bot_token, "TELEGRAM_API_BASE_URL": bot_api_base_url,
            "TELEGRAM_STAFF_CHAT_ID": str(staff_chat), "TELEGRAM_WEBHOOK_URL": "", "TELEGRAM_WEBHOOK_SECRET": ""}


def answers(url: str) -> bool:
    try:
        return 200 <= requests.get(url, timeout=3).status_code < 300
    except requests.RequestException:
        return False


class _Topology:
    """What the fault matrix does to either topology: kill -9 a service's process."""

    def pid(self, service: str) -> Optional[int]:
        raise NotImplementedError

    def kill(self, service: str) -> int:
        pid = self.pid(service)
        assert pid is not None, f"{service} is not running"
        os.kill(pid, signal.SIGKILL)
        return pid


class MakeRun(_Topology):
    """`python -m stack run` (what `make run` starts) on free ports, configured through its environment."""

    topology = "make run"
    MODULES = {"actions": "actions.server", "rasa": "rasa_ext.server", "dashboard": "dashboard", "telegram": "bot"}

    def __init__(self, database_url: str, telegram: Dict[str, str], workdir: Path):
        self.database_url = database_url
        self.token = "fault-matrix-rasa-token"
        rasa, actions, dashboard = free_port(), free_port(), free_port()
        self.env = {
            **os.environ, **telegram, "DATABASE_URL": database_url, "RASA_URL": f"http://127.0.0.1:{rasa}",
            "RASA_TOKEN": self.token, "ACTION_SERVER_URL": f"http://127.0.0.1:{actions}/webhook",
            "DASHBOARD_URL": f"http://127.0.0.1:{dashboard}", "DASHBOARD_SECRET_KEY": "fault-matrix-" + "x" * 32,
            "APP_ENV": "development", "SPOOL_FILE": str(workdir / "spool.jsonl"), "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.ready_urls = {"actions": f"http://127.0.0.1:{actions}/health",
                           "rasa": f"http://127.0.0.1:{rasa}/status?token={self.token}",
                           "dashboard": f"http://127.0.0.1:{dashboard}/login"}
        self.log_path = workdir / "make-run.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self, timeout: float = 300) -> "MakeRun":
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "stack", "run"], cwd=PROJECT_ROOT, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT)
        wait_until(lambda: "stack is up" in self.log() or self.process.poll() is not None, timeout=timeout,
                   what="`python -m stack run` up", interval=0.5)
        if self.process.poll() is not None:
            raise RuntimeError(f"`python -m stack run` exited with {self.process.returncode}:\n{self.log()[-3000:]}")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pid(self, service: str) -> Optional[int]:
        """The process of a service now, found among the supervisor's children by its module."""
        assert self.process is not None
        for child in psutil.Process(self.process.pid).children():
            try:
                command = child.cmdline()
            except psutil.NoSuchProcess:
                continue
            if command[1:3] == ["-m", self.MODULES[service]] and child.status() != psutil.STATUS_ZOMBIE:
                return child.pid
        return None

    def restarted(self, service: str, old_pid: int) -> bool:
        """A new process serves: a new pid, answering at its ready URL (the gateway has none)."""
        pid = self.pid(service)
        return pid is not None and pid != old_pid and (service not in self.ready_urls or
                                                       answers(self.ready_urls[service]))

    def name(self, service: str) -> str:
        return service

    def crash_lines(self) -> List[str]:
        """What the supervisor logged about crashes, oldest first."""
        return [line.split("stack: ", 1)[-1] for line in self.log().splitlines() if " exited with code " in line]

    def stop(self) -> Optional[int]:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


class Cluster(_Topology):
    """`make run-cluster`'s services (2 Rasa and 2 action servers behind nginx, on PostgreSQL and Redis) under
    the same supervisor, on free ports, with the gateway in webhook mode behind nginx."""

    topology = "make run-cluster"

    def __init__(self, database_url: str, telegram: Dict[str, str], workdir: Path, redis_url: str):
        self.database_url = database_url
        self.token = "fault-matrix-cluster-token"
        self.plan = ClusterPlan(rasa_ports=[free_port(), free_port()], action_ports=[free_port(), free_port()],
                                rasa_port=free_port(), actions_port=free_port(), webhook_port=free_port(),
                                gateway_port=free_port(), redis_url=redis_url, run_dir=workdir)
        self.settings = Settings.from_env({"DATABASE_URL": database_url, "RASA_TOKEN": self.token,
                                           "RASA_URL": f"http://127.0.0.1:{self.plan.rasa_port}", **telegram})
        self.telegram = telegram
        self.log_file = (workdir / "services.log").open("w")
        self.supervisor = Supervisor(out=self.log_file)
        self.services: Dict[str, Service] = {}
        self.records = _Records()
        logging.getLogger("stack").addHandler(self.records)

    def start(self, model: Path) -> "Cluster":
        services = cluster_services(self.settings, model, self.plan, with_dashboard=False, with_gateway=True)
        for service in services:
            if service.name == "telegram":  # webhook mode behind nginx; `make run-cluster` passes on its environment
                service.env.update({**self.telegram, "RASA_TOKEN": self.token,
                                    **{k: v for k, v in service.env.items() if k.startswith("TELEGRAM_WEBHOOK")}})
            self.services[service.name] = service
            self.supervisor.start(service)
        return self

    def name(self, service: str) -> str:
        """"rasa-0" is the first Rasa server (named after its port), "actions-1" the second action server..."""
        kind, _, index = service.rpartition("-")
        ports = {"rasa": self.plan.rasa_ports, "actions": self.plan.action_ports}.get(kind)
        return f"{kind}-{ports[int(index)]}" if ports and index.isdigit() else service

    def pid(self, service: str) -> Optional[int]:
        proc = self.supervisor.procs.get(self.name(service))
        return proc.pid if proc is not None and proc.poll() is None else None

    def restarted(self, service: str, old_pid: int) -> bool:
        pid = self.pid(service)
        url = self.services[self.name(service)].ready_url
        return pid is not None and pid != old_pid and (url is None or answers(url))

    def crash_lines(self) -> List[str]:
        return [line for line in self.records.lines if " exited with code " in line]

    def stop(self) -> None:
        logging.getLogger("stack").removeHandler(self.records)
        self.supervisor.stop()
        self.log_file.close()


class _Records(logging.Handler):
    """The supervisor's log lines, kept in memory."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
