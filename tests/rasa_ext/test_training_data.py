"""Rasa's NLU YAML read as examples for calibration and evaluation."""
from rasa_ext.training_data import NLU_DIR, nlu_examples, topic_examples

NLU = """version: "3.1"
nlu:
  - intent: kb_jht_documents
    examples: |
      - dokumen klaim [jht](program) apa saja
      - syarat cairkan [jht]{"entity": "program"}
  - intent: greet
    examples: |
      - halo
  - intent: out_of_scope
    examples: |
      - resep nasi goreng
  - lookup: program
    examples: |
      - jht
"""


def test_examples_lose_their_annotations_and_keep_their_intent(tmp_path):
    path = tmp_path / "nlu.yml"
    path.write_text(NLU, encoding="utf-8")
    assert nlu_examples(path) == [("dokumen klaim jht apa saja", "kb_jht_documents"),
                                  ("syarat cairkan jht", "kb_jht_documents"), ("halo", "greet"),
                                  ("resep nasi goreng", "out_of_scope")]
    # Calibration's examples: knowledge topics, and None for out of scope; the dialogue's are left out.
    assert topic_examples(path) == [("dokumen klaim jht apa saja", "jht.documents"),
                                    ("syarat cairkan jht", "jht.documents"), ("resep nasi goreng", None)]


def test_the_generated_variants_are_never_read_as_training_examples(tmp_path):
    (tmp_path / "a.yml").write_text(NLU, encoding="utf-8")
    (tmp_path / "kb_variants.yml").write_text(NLU.replace("halo", "hai"), encoding="utf-8")
    assert [t for t, _ in nlu_examples(tmp_path)].count("hai") == 0
    assert len(nlu_examples(NLU_DIR)) > 500 and all(text for text, _ in nlu_examples(NLU_DIR))
