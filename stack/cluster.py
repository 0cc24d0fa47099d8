"""`make run-cluster`: the scaled-out topology on one machine.

    Telegram ──webhook──▶ nginx :8443 ──▶ gateway (webhook mode)
    gateway, eval ──REST─▶ nginx :5005 ──▶ Rasa ×2 ──▶ nginx :5055 ──▶ action servers ×2
                                          │  SQL tracker store (PostgreSQL) + Redis lock store
    dashboard :8000 ─────────────────────┴──▶ the same PostgreSQL database

Rasa servers are stateless: the tracker lives in PostgreSQL and Rasa's Redis lock
store lets one instance at a time process a given conversation, so consecutive
messages of a chat may land on different instances and still stay in order.
Action servers read the knowledge base from the database and re-check its
version counter every 0.5 s, so an admin's edit reaches every instance at once.
"""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import redis
from sqlalchemy.engine import make_url

from core.settings import PROJECT_ROOT, VAR_DIR, Settings
from stack.services import action_server, app_environment, dashboard, rasa_environment, rasa_service
from stack.supervisor import Service

log = logging.getLogger("stack")
TEMPLATE = PROJECT_ROOT / "deploy" / "cluster" / "nginx.conf.template"
RUN_DIR = VAR_DIR / "cluster"
DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/bpjs_assistant"


@dataclass
class ClusterPlan:
    rasa_ports: List[int] = field(default_factory=lambda: [5101, 5102])
    action_ports: List[int] = field(default_factory=lambda: [5151, 5152])
    rasa_port: int = 5005  # nginx, in front of the Rasa servers
    actions_port: int = 5055  # nginx, in front of the action servers
    webhook_port: int = 8443  # nginx, Telegram's entry point
    gateway_port: int = 8444
    webhook_path: str = "telegram/webhook"
    redis_url: str = "redis://127.0.0.1:6379/1"
    run_dir: Path = RUN_DIR


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    raise RuntimeError("nginx is not installed: `apt-get install -y nginx-light` (Debian/Ubuntu) and run again")


def render_nginx(plan: ClusterPlan) -> Path:
    plan.run_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):  # writable by nginx's unprivileged workers
        (plan.run_dir / sub).mkdir(exist_ok=True)
        (plan.run_dir / sub).chmod(0o777)
    text = TEMPLATE.read_text(encoding="utf-8")
    values = {
        "RUN_DIR": str(plan.run_dir),
        "RASA_SERVERS": "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in plan.rasa_ports),
        "ACTION_SERVERS": "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in plan.action_ports),
        "RASA_PORT": str(plan.rasa_port), "ACTIONS_PORT": str(plan.actions_port),
        "WEBHOOK_PORT": str(plan.webhook_port), "GATEWAY_PORT": str(plan.gateway_port),
        "WEBHOOK_PATH": plan.webhook_path,
    }
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    path = plan.run_dir / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def check_backends(settings: Settings, plan: ClusterPlan) -> None:
    if make_url(settings.database_url).get_backend_name() != "postgresql":
        raise RuntimeError("the cluster needs PostgreSQL: set DATABASE_URL=postgresql://... "
                           f"(for example {DEFAULT_DATABASE})")
    redis.Redis.from_url(plan.redis_url, socket_connect_timeout=3).ping()


# A Rasa instance that dies mid-message leaves its ticket in the Redis lock, and the chat's next message
# waits until that ticket expires. Rasa's 60 s default is longer than the gateway's 30 s timeout and equals
# nginx's, so that next message would fail too; 20 s stays well above a turn's processing time.
LOCK_LIFETIME_SECONDS = 20


def redis_environment(plan: ClusterPlan) -> Dict[str, str]:
    url = redis.connection.parse_url(plan.redis_url)
    return {"REDIS_HOST": str(url.get("host", "127.0.0.1")), "REDIS_PORT": str(url.get("port", 6379)),
            "REDIS_DB": str(url.get("db", 0)), "TICKET_LOCK_LIFETIME": str(LOCK_LIFETIME_SECONDS)}


def cluster_services(settings: Settings, model: Path, plan: ClusterPlan,
                     with_dashboard: bool = True, with_gateway: Optional[bool] = None) -> List[Service]:
    """Action servers, Rasa servers, nginx, then the dashboard and the gateway, in start order."""
    actions_url = f"http://127.0.0.1:{plan.actions_port}/webhook"
    services: List[Service] = []
    for port in plan.action_ports:
        one = settings.__class__(**{**settings.__dict__, "action_server_url": f"http://127.0.0.1:{port}/webhook"})
        service = action_server(one)
        service.name = f"actions-{port}"
        services.append(service)
    for port in plan.rasa_ports:
        env = {**app_environment(settings), **rasa_environment(settings), **redis_environment(plan),
               "ACTION_SERVER_URL": actions_url}
        services.append(rasa_service(f"rasa-{port}", settings, model, port, env, endpoints="endpoints.cluster.yml"))
    services.append(Service(name="nginx", command=[nginx_binary(), "-c", str(render_nginx(plan)), "-p", str(plan.run_dir)],
                            ready_url=f"http://127.0.0.1:{plan.rasa_port}/", cwd=str(plan.run_dir)))
    if with_dashboard and (PROJECT_ROOT / "dashboard" / "__main__.py").exists():
        services.append(dashboard(settings))
    if with_gateway if with_gateway is not None else bool(settings.telegram_bot_token):
        env = {**app_environment(settings), "RASA_URL": f"http://127.0.0.1:{plan.rasa_port}",
               "TELEGRAM_WEBHOOK_LISTEN": f"127.0.0.1:{plan.gateway_port}", "TELEGRAM_WEBHOOK_PATH": plan.webhook_path}
        if not settings.telegram_webhook_url:
            env["TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{plan.webhook_port}"
        if not settings.telegram_webhook_secret:
            env["TELEGRAM_WEBHOOK_SECRET"] = os.urandom(16).hex()
        services.append(Service(name="telegram", command=[sys.executable, "-m", "bot"], env=env, cwd=str(PROJECT_ROOT)))
    return services


def ensure_nginx_installed() -> None:
    """Install Debian's nginx when it is missing and we may (root); otherwise explain."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log.info("installing nginx-light from Debian's packages")
        subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", "nginx-light"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return
    raise RuntimeError("nginx is not installed: run `sudo apt-get install -y nginx-light` first")


def ensure_local_backends(database_url: str, redis_url: str) -> None:
    """Start this machine's PostgreSQL and Redis when they are down, and create the database if needed."""
    from sqlalchemy import create_engine, text

    url = make_url(database_url)
    admin_url = url.set(database="postgres")
    for attempt in range(2):
        try:
            engine = create_engine(admin_url, future=True, isolation_level="AUTOCOMMIT",
                                   connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}).first()
                if not exists:
                    conn.execute(text(f'CREATE DATABASE "{url.database}"'))
            engine.dispose()
            break
        except Exception:
            if attempt or not shutil.which("pg_ctlcluster"):
                raise RuntimeError(f"PostgreSQL is not reachable at {url.render_as_string(hide_password=True)}")
            version = sorted(os.listdir("/etc/postgresql"))[0]
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False)
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError:
        if not shutil.which("redis-server"):
            raise RuntimeError(f"Redis is not reachable at {redis_url}") from None
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
                        "--appendonly", "no"], check=True)
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
