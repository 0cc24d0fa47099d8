"""The domain packages stay free of the frameworks, and the branch profile free of the search index."""
import ast
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

FRAMEWORKS = {"rasa", "rasa_sdk", "flask", "telegram", "sanic", "werkzeug"}
DOMAIN = ["kb", "monitoring", "branch", "conversation", "messaging", "accounts", "core", "texts"]
# Packages that must not reach the knowledge base (and so never build its search index).
NO_KB = ["monitoring", "branch", "accounts", "messaging", "core", "texts"]


def _imports(package: str):
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                yield Path(path).relative_to(PROJECT_ROOT), name


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_import_no_framework(package):
    found = [f"{path}: {name}" for path, name in _imports(package) if name.split(".")[0] in FRAMEWORKS]
    assert not found, found


@pytest.mark.parametrize("package", NO_KB)
def test_package_does_not_import_the_knowledge_base(package):
    found = [f"{path}: {name}" for path, name in _imports(package) if name.split(".")[0] == "kb"]
    assert not found, found


def test_the_text_catalogue_needs_only_the_language_rule_and_yaml():
    found = [f"{path}: {name}" for path, name in _imports("texts")
             if name not in ("core.language", "yaml") and name.split(".")[0] not in sys.stdlib_module_names]
    assert not found, found
