"""The generated files under kb/ are current: recomputed (calibration) or fingerprinted (fusion thresholds)."""
import json
import shutil

import pytest

from evaluation import tuning
from evaluation.tuning import INPUTS_KEY, RETUNE, stale_inputs, tuning_inputs
from kb import calibrate
from kb.answering import FUSION_FILE, FusionConfig
from kb.search import CALIBRATION_FILE
from rasa_ext.training_data import topic_examples
from stack.training import TRAINING_INPUTS, fingerprint, model_fingerprint

RECALIBRATE = ("run `make train` (or `.venv/bin/python scripts/calibrate_search.py`), commit kb/calibration.json, "
               "then re-tune kb/fusion.json")


def test_the_search_calibration_equals_a_fresh_fit():
    committed = json.loads(CALIBRATION_FILE.read_text(encoding="utf-8"))
    assert calibrate.fitted(topic_examples()) == committed, f"kb/calibration.json is stale: {RECALIBRATE}"


# Re-tuning on the current inputs picked 0.5/0.15, which scored lower on the conversation and review dev sets
# than the committed 0.45/0.1: the tuner's objective (single messages) needs those sets before it is trusted.
@pytest.mark.xfail(strict=True, reason="kb/fusion.json predates recording what it was tuned on (tuned at ea3fc8d); "
                                       "a re-tune on single messages alone lowered the conversation and review scores")
def test_the_fusion_thresholds_were_tuned_on_the_current_inputs():
    changed = stale_inputs()
    assert not changed, f"kb/fusion.json: {', '.join(changed)} changed since it was tuned (or it records none): {RETUNE}"


@pytest.fixture
def project(tmp_path):
    """A minimal project tree with every file a tuning's fingerprints cover."""
    files = {"config.yml": "pipeline: []\n", "domain/assistant.yml": "intents: []\n", "data/nlu/a.yml": "nlu: []\n",
             "rasa_ext/tokenizer.py": "", "kb/normalize.py": "", "kb/lexicon.yml": "{}\n",
             "kb/content/jht.yml": "entries: []\n", "kb/calibration.json": "{}\n", "kb/topics.yml": "topics: []\n",
             "kb/scope.yml": "{}\n", "tests/nlu/heldout.yml": "nlu: []\n", "tests/kb/unrelated.yml": "items: []\n",
             "README.md": "not an input\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert all((tmp_path / name).exists() for name in TRAINING_INPUTS)
    fusion = tmp_path / "kb" / "fusion.json"
    fusion.write_text(json.dumps({"answer_threshold": 0.45, INPUTS_KEY: tuning_inputs(fingerprint(tmp_path),
                                                                                        root=tmp_path)}))
    return tmp_path


@pytest.mark.parametrize("changed_file,changed_input", [
    ("data/nlu/a.yml", "model"),
    ("kb/lexicon.yml", "model"),
    ("kb/content/jht.yml", "knowledge_base"),
    ("kb/calibration.json", "knowledge_base"),
    ("kb/scope.yml", "knowledge_base"),
    ("tests/kb/unrelated.yml", "development_set"),
])
def test_a_changed_input_makes_the_fusion_thresholds_stale(project, changed_file, changed_input):
    fusion = project / "kb" / "fusion.json"
    assert stale_inputs(fusion, project) == []
    (project / "README.md").write_text("edited\n", encoding="utf-8")
    assert stale_inputs(fusion, project) == []
    with (project / changed_file).open("a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    assert stale_inputs(fusion, project) == [changed_input]


def test_fusion_thresholds_without_recorded_inputs_are_stale(project):
    fusion = project / "kb" / "fusion.json"
    fusion.write_text(json.dumps({"answer_threshold": 0.45}))
    assert stale_inputs(fusion, project) == ["model", "knowledge_base", "development_set"]


def test_the_fusion_reader_ignores_the_recorded_inputs(tmp_path):
    path = tmp_path / "fusion.json"
    shutil.copy(FUSION_FILE, path)
    numbers = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**numbers, INPUTS_KEY: {"model": "0" * 16}}), encoding="utf-8")
    assert FusionConfig.load(path) == FusionConfig.load(FUSION_FILE)


class _Status:
    def __init__(self, model_file):
        self.model_file = model_file

    def status(self):
        return {"model_file": self.model_file}


def test_tuning_refuses_a_stack_serving_another_model():
    current = fingerprint()
    assert tuning.served_model(_Status(f"assistant-{current}.tar.gz")) == current
    for other in ("assistant-0000000000000000.tar.gz", "stock-pipeline-1234.tar.gz", ""):
        with pytest.raises(tuning.TuningError, match="make run"):
            tuning.served_model(_Status(other))


def test_a_model_file_names_its_training_fingerprint():
    assert model_fingerprint("models/assistant-5e65f52e8d990bea.tar.gz") == "5e65f52e8d990bea"
    assert model_fingerprint("stock-pipeline-5e65f52e8d990bea.tar.gz") is None
