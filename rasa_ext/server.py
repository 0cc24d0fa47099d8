"""Start Rasa's own CLI with personal data masked in every log record, and rasa_ext/patches applied."""
from __future__ import annotations

import os
import sys

from core.logs import install_record_masking


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    install_record_masking()
    from rasa.__main__ import main as rasa_main

    from rasa_ext import patches

    patches.apply()

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
