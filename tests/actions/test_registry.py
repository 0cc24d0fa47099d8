"""The domain and the action server agree, and generated files are current."""
import subprocess
import sys
from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

ROOT = Path(__file__).resolve().parents[2]


def domain_actions():
    actions = set()
    for path in (ROOT / "domain").glob("*.yml"):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")).get("actions") or []:
            actions |= set(entry) if isinstance(entry, dict) else {entry}
    return actions


def test_domain_actions_are_exactly_the_registered_actions():
    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == domain_actions()


def test_generated_kb_intents_and_rules_are_current():
    sys.path.insert(0, str(ROOT / "scripts"))
    import generate_kb_intents as gen

    assert (ROOT / "domain" / "kb_intents.yml").read_text(encoding="utf-8") == gen.domain_text()
    assert (ROOT / "data" / "rules" / "kb_answers.yml").read_text(encoding="utf-8") == gen.rules_text()
    assert (ROOT / "data" / "nlu" / "kb_variants.yml").read_text(encoding="utf-8") == gen.variants_text()


def test_rasa_data_validate_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", "domain", "--data", "data",
         "--config", "config.yml", "--fail-on-warnings"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(ROOT / "var")},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
