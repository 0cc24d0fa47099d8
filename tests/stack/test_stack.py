"""The launcher's pieces: training fingerprint, model pruning, the cluster's nginx configuration, services."""
import os
import time

from core.settings import Settings
import inspect
import re

from core.rasa_client import RasaClient
from stack.cluster import ClusterPlan, redis_environment, render_nginx
from stack.services import services_to_start
from stack.training import fingerprint, prune


def test_fingerprint_changes_only_with_training_inputs(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    (tmp_path / "data" / "nlu.yml").write_text("nlu: []\n")
    (tmp_path / "README.md").write_text("docs\n")
    first = fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("other docs\n")
    assert fingerprint(tmp_path) == first
    (tmp_path / "data" / "nlu.yml").write_text("nlu: [x]\n")
    assert fingerprint(tmp_path) != first


def test_prune_keeps_the_current_and_one_spare_model(tmp_path):
    paths = []
    for i in range(4):
        p = tmp_path / f"assistant-{i}.tar.gz"
        p.write_text("m")
        os.utime(p, (time.time() + i, time.time() + i))
        paths.append(p)
    other = tmp_path / "stock-pipeline-x.tar.gz"
    other.write_text("m")
    prune(tmp_path, keep=paths[1])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["assistant-1.tar.gz", "assistant-3.tar.gz",
                                                          "stock-pipeline-x.tar.gz"]


def test_cluster_nginx_configuration(tmp_path):
    plan = ClusterPlan(rasa_ports=[6001, 6002], action_ports=[6101, 6102], rasa_port=6000, actions_port=6100,
                       webhook_port=6200, gateway_port=6201, run_dir=tmp_path)
    conf = render_nginx(plan).read_text()
    assert "{{" not in conf
    assert "server 127.0.0.1:6001" in conf and "server 127.0.0.1:6102" in conf
    assert "listen 127.0.0.1:6200" in conf and "location = /telegram/webhook" in conf
    assert "non_idempotent" not in conf  # a message that reached an instance is never sent to another
    assert oct((tmp_path / "body").stat().st_mode)[-3:] == "777"


def test_a_dead_instances_lock_frees_its_chat_before_the_next_message_times_out(tmp_path):
    plan = ClusterPlan(rasa_ports=[6001], action_ports=[6101], run_dir=tmp_path)
    lifetime = float(redis_environment(plan)["TICKET_LOCK_LIFETIME"])
    client_timeout = inspect.signature(RasaClient).parameters["timeout"].default
    nginx_timeout = float(re.search(r"proxy_read_timeout (\d+)s", render_nginx(plan).read_text()).group(1))
    assert 0 < lifetime < min(client_timeout, nginx_timeout)


def test_gateway_starts_only_with_a_token():
    services, notes = services_to_start(Settings.from_env({}))
    assert "telegram" not in [s.name for s in services] and "TELEGRAM_BOT_TOKEN" in notes[0]
    services, notes = services_to_start(Settings.from_env({"TELEGRAM_BOT_TOKEN": "1:x"}))
    assert "telegram" in [s.name for s in services] and not notes


def test_rasa_accepts_any_generated_token(tmp_path):
    # token_urlsafe() begins with "-" one time in 64; Rasa's own parser must still read it as the token.
    from rasa.__main__ import create_argument_parser

    from stack.services import rasa_server

    token = "-Zx9_token-with-a-leading-dash"
    settings = Settings.from_env({"RASA_TOKEN": token, "RASA_URL": "http://127.0.0.1:5099"})
    command = rasa_server(settings, tmp_path / "model.tar.gz").command
    args = create_argument_parser().parse_args(command[command.index("run"):])
    assert args.auth_token == token and args.port == 5099 and args.enable_api


def test_the_deploy_files_restart_what_crashes():
    import yaml

    from core.settings import PROJECT_ROOT

    unit = (PROJECT_ROOT / "deploy" / "systemd" / "bpjs-assistant.service").read_text()
    assert "Restart=on-failure" in unit.splitlines()  # the supervisor's give-up (exit 1) restarts it all
    compose = yaml.safe_load((PROJECT_ROOT / "deploy" / "compose" / "docker-compose.yml").read_text())
    for name, service in compose["services"].items():
        assert service.get("restart") == ("no" if name == "migrate" else "unless-stopped"), name
