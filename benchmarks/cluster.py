"""Scale-out benchmark: 50 concurrent chats through nginx with 1 or 2 Rasa servers and 1 or 2 action
servers, measured in the same run on the same PostgreSQL + Redis."""
from __future__ import annotations

import uuid
from typing import Dict

from sqlalchemy import create_engine, text

from benchmarks.common import bench_texts, machine, write_json, write_markdown
from benchmarks.load import ProcessSampler, rest_sender, run_load
from core.settings import Settings, VAR_DIR
from stack.cluster import ClusterPlan, cluster_services, ensure_local_backends, ensure_nginx_installed
from stack.local import prepare_database
from stack.supervisor import Supervisor
from stack.training import train_if_needed

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SHAPES = ((1, 1), (2, 1), (1, 2), (2, 2))  # (Rasa servers, action servers)
CONCURRENCY = 50
DURATION = 25.0


def run() -> Dict[str, dict]:
    texts = bench_texts()
    name = f"bench_cluster_{uuid.uuid4().hex[:6]}"
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    ensure_nginx_installed()
    ensure_local_backends(url, "redis://127.0.0.1:6379/4")
    prepare_database(url)
    model = train_if_needed()
    results = {}
    try:
        for n_rasa, n_actions in SHAPES:
            base = 5200 + 20 * len(results)
            plan = ClusterPlan(rasa_ports=[base + i for i in range(n_rasa)],
                               action_ports=[base + 10 + i for i in range(n_actions)],
                               rasa_port=base + 5, actions_port=base + 6, webhook_port=base + 7, gateway_port=base + 8,
                               redis_url="redis://127.0.0.1:6379/4", run_dir=VAR_DIR / "bench" / f"cluster-{base}")
            settings = Settings.from_env({"DATABASE_URL": url, "RASA_TOKEN": "bench-cluster",
                                          "RASA_URL": f"http://127.0.0.1:{plan.rasa_port}"})
            supervisor = Supervisor(out=open("/dev/null", "w"))
            try:
                for service in cluster_services(settings, model, plan, with_dashboard=False, with_gateway=False):
                    supervisor.start(service)
                send = rest_sender(f"http://127.0.0.1:{plan.rasa_port}")
                run_load(send, texts, 4, duration=4.0)
                with ProcessSampler({n: p.pid for n, p in supervisor.procs.items()}) as sampler:
                    result = run_load(send, texts, CONCURRENCY, duration=DURATION)
                key = f"{n_rasa} rasa x {n_actions} actions"
                results[key] = {**result.summary(), "processes": sampler.summary()}
                print(f"{key}: p95 {results[key]['p95_ms']:.0f} ms, {results[key]['throughput_msg_s']:.1f} msg/s")
            finally:
                supervisor.stop()
    finally:
        engine = create_engine(ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        engine.dispose()
    return results


def main() -> None:
    results = run()
    info = machine()
    write_json("bench-cluster", {"machine": info, "results": results})
    base = results["1 rasa x 1 actions"]
    lines = ["# Scale-out benchmark", "",
             f"Machine: {info['cpus']} CPUs, {info['memory_gb']} GiB; commit {info['commit']}. {CONCURRENCY} concurrent "
             f"chats through nginx, {DURATION:.0f} s each, PostgreSQL tracker store + Redis lock store.", "",
             "| topology | p50 ms | p95 ms | msg/s | errors | throughput vs 1x1 |", "|---|---|---|---|---|---|"]
    for key, r in results.items():
        lines.append(f"| {key} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['throughput_msg_s']:.1f} | {r['errors']} | "
                     f"{r['throughput_msg_s'] / base['throughput_msg_s']:.2f}x |")
    lines += ["", "CPU per process (mean %):", ""]
    for key, r in results.items():
        cpu = ", ".join(f"{n} {p['cpu_percent_mean']}" for n, p in r["processes"].items())
        lines.append(f"- {key}: {cpu}")
    print(write_markdown("bench-cluster", "\n".join(lines) + "\n"))


if __name__ == "__main__":
    main()
