"""Refit the search-score calibration (kb/calibration.json) on Rasa's NLU training examples.

The hand-written examples of data/nlu (not the generated question variants): the
knowledge intents' examples with their topics, the out-of-scope ones as negatives.
Run after the content or the training data changed much.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.calibrate import calibrate  # noqa: E402
from rasa_ext.training_data import topic_examples  # noqa: E402


def main() -> None:
    print(calibrate(topic_examples()))


if __name__ == "__main__":
    main()
