"""The domain packages stay free of the frameworks and of Rasa's naming, and the branch profile free of the
search index."""
import ast
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

FRAMEWORKS = {"rasa", "rasa_sdk", "flask", "telegram", "sanic", "werkzeug"}
ADAPTERS = {"rasa_ext", "actions", "bot", "dashboard", "stack", "evaluation"}
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


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_packages_import_no_adapter(package):
    found = [f"{path}: {name}" for path, name in _imports(package) if name.split(".")[0] in ADAPTERS]
    assert not found, found


def _words(tree: ast.AST):
    """Every name the code defines or uses, and every string it holds (docstrings too)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.alias):
            yield node.asname or node.name
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def test_the_knowledge_base_speaks_topics_not_rasa_intents():
    """Rasa's naming (kb_<topic> intents, nlu_fallback, anything called intent) lives in rasa_ext/intents.py."""
    from rasa_ext.intents import FALLBACK_INTENT, KB_INTENT_PREFIX, kb_intents

    banned = set(kb_intents()) | {FALLBACK_INTENT, KB_INTENT_PREFIX}
    found = []
    for path in sorted((PROJECT_ROOT / "kb").rglob("*.py")):
        for word in _words(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if "intent" in word.lower() or word in banned:
                found.append(f"{path.relative_to(PROJECT_ROOT)}: {word[:60]!r}")
    assert not found, found
