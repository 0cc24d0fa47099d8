"""The text catalogue is complete and bilingual, every key the code asks for exists, and none is unused."""
import ast
import re
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
import yaml

import texts
from core.language import LANGUAGES
from core.settings import PROJECT_ROOT

NOT_PRODUCTION = {"tests", ".venv", "models", "var", "reports"}
# Wrappers whose keys are relative to a surface: (where the call is, the called name) -> key prefix.
WRAPPERS = {
    ("actions", "say"): "participant.", ("actions", "button"): "participant.button.",
    ("bot", "t"): "gateway.", ("dashboard", "text"): "dashboard.",
}
# The dashboard's templates ask for sentences with t('key') (relative to dashboard.).
TEMPLATES = PROJECT_ROOT / "dashboard" / "templates"
_TEMPLATE_CALL = re.compile(r"""(?<![\w.])t\(\s*(['"])([\w.]+)\1""")
# Surfaces whose keys the code may hold in a variable before calling the wrapper (relative to it).
RELATIVE = {"participant": "participant.", "gateway": "gateway.", "dashboard": "dashboard."}


def _sentences() -> Iterator[Tuple[str, Dict[str, str]]]:
    def walk(value, key):
        if texts.is_sentence(value):
            yield key, value
        elif isinstance(value, dict):
            for part, child in value.items():
                yield from walk(child, f"{key}.{part}")
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from walk(child, f"{key}.{index}")

    for path in sorted(texts.DIRECTORY.glob("*.yml")):
        yield from walk(texts.surface(path.stem), path.stem)


SENTENCES = dict(_sentences())


def _production_files() -> List[Path]:
    return [p for p in sorted(PROJECT_ROOT.rglob("*.py"))
            if not (set(p.relative_to(PROJECT_ROOT).parts[:-1]) & NOT_PRODUCTION)
            and not any(part.startswith(".") for part in p.relative_to(PROJECT_ROOT).parts)]


def _template(node: ast.AST) -> str:
    """A literal or f-string key as a regex: each {value} of an f-string is one code."""
    if isinstance(node, ast.Constant):
        return re.escape(node.value)
    return "".join(re.escape(v.value) if isinstance(v, ast.Constant) else r"([^.]+)" for v in node.values)


def _scan():
    """(literal keys asked for, key templates, every string constant) of the production code."""
    asked: List[Tuple[str, str]] = []  # (place, full key regex)
    constants: Set[str] = set()
    for path in _production_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        top = path.relative_to(PROJECT_ROOT).parts[0]
        imported_from_texts = {a.asname or a.name for n in ast.walk(tree)
                               if isinstance(n, ast.ImportFrom) and n.module == "texts" for a in n.names}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not isinstance(node, ast.Call) or not node.args:
                continue
            first = node.args[0]
            if not (isinstance(first, (ast.Constant, ast.JoinedStr)) and
                    (not isinstance(first, ast.Constant) or isinstance(first.value, str))):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
            if name in ("say", "lookup", "value_in_opening") and (owner == "texts" or (owner is None and name in imported_from_texts)):
                prefix = ""
            elif name == "say" and top == "actions":  # actions.texts.say or Reply.say
                prefix = WRAPPERS[("actions", "say")]
            elif (top, name) in WRAPPERS and (name != "text" or owner == "labels"):
                prefix = WRAPPERS[(top, name)]
            else:
                continue
            if name == "value_in_opening":
                continue  # its keys are listed in a tuple constant, checked below
            asked.append((f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}", re.escape(prefix) + _template(first)))
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in _TEMPLATE_CALL.finditer(line):
                asked.append((f"{path.relative_to(PROJECT_ROOT)}:{number}", re.escape("dashboard." + match.group(2))))
    return asked, constants


ASKED, CONSTANTS = _scan()


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_every_sentence_is_in_every_language_with_the_same_placeholders(key):
    sentence = SENTENCES[key]
    assert set(sentence) == set(LANGUAGES), f"{key}: languages {sorted(sentence)}"
    assert all(isinstance(sentence[lang], str) and sentence[lang].strip() for lang in LANGUAGES), key
    fields = {lang: texts.placeholders(sentence[lang]) for lang in LANGUAGES}
    assert fields["id"] == fields["en"], f"{key}: {fields}"


def test_the_catalogue_holds_only_sentences_and_the_menus_structure():
    for path in sorted(texts.DIRECTORY.glob("*.yml")):
        if path.stem == "menus":
            continue

        def walk(value, key):
            assert isinstance(value, dict) and value, f"{key}: expected a sentence or a mapping of them"
            if not texts.is_sentence(value):
                for part, child in value.items():
                    assert isinstance(part, str) and "." not in part, f"{key}.{part}: plain names only"
                    walk(child, f"{key}.{part}")

        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)


def test_every_key_the_code_asks_for_exists():
    missing = [f"{place}: {pattern}" for place, pattern in ASKED
               if not any(re.fullmatch(pattern, key) for key in SENTENCES)]
    assert not missing, missing
    assert len(ASKED) > 100  # the scan finds the calls (it would pass vacuously otherwise)


def _used(key: str) -> bool:
    if key in CONSTANTS:
        return True
    surface, _, rest = key.partition(".")
    if surface in RELATIVE and rest in CONSTANTS:
        return True  # a key held in a variable, then passed to the surface's wrapper
    for _, pattern in ASKED:
        match = re.fullmatch(pattern, key)
        if match and all(code in CONSTANTS for code in match.groups()):
            return True  # an f-string key whose code the code names somewhere
    for constant in CONSTANTS:  # a key template such as "dashboard.label.sla.{}"
        if "{}" in constant:
            match = re.fullmatch(re.escape(constant).replace(r"\{\}", "([^.]+)"), key)
            if match and all(code in CONSTANTS for code in match.groups()):
                return True
    return False


def test_no_sentence_is_unused():
    # Menus and error pages are families checked below (the code reaches them through data).
    unused = [key for key in SENTENCES if not key.startswith(("menus.", "dashboard.error.")) and not _used(key)]
    assert not unused, unused


# ---- families of names ----------------------------------------------------------------------------
def test_ticket_statuses_and_kinds_are_named_once_for_every_audience():
    from monitoring.tickets import KINDS, STATUSES

    assert list(texts.node("tickets.status")) == list(STATUSES)
    assert list(texts.node("tickets.kind")) == list(KINDS)
    assert all(set(texts.node(f"tickets.status.{s}")) == {"participant", "staff"} for s in STATUSES)
    assert all(set(texts.node(f"tickets.kind.{k}")) == {"participant", "staff", "post"} for k in KINDS)


def test_the_dashboard_names_the_codes_of_the_domain():
    from accounts.models import ROLES
    from kb.topics import ASPECTS
    from messaging.outbox import KINDS as DELIVERIES
    from monitoring.review_queue import SLA_STATES
    from monitoring.turns import OUTCOMES

    labels = texts.node("dashboard.label")
    assert set(labels["sla"]) == set(SLA_STATES)
    assert set(labels["outcome"]) == set(OUTCOMES)
    assert set(labels["role"]) == set(ROLES)
    assert set(labels["aspect"]) == set(ASPECTS)
    assert set(labels["delivery"]) <= set(DELIVERIES)  # staff notices are not shown as deliveries


def test_the_dashboard_names_the_codes_of_the_monthly_review():
    from kb.gaps import AMBIGUOUS, ESCALATED, NO_ENTRY, UNHELPFUL, WORDING
    from monitoring.improvements import IMPROVED, METRICS, STATUSES, TOO_EARLY, TOO_FEW, UNCHANGED, WORSENED
    from monitoring.kpis import GROUPINGS
    from monitoring.review import FIGURES
    from monitoring.servqual import DIMENSIONS

    labels = texts.node("dashboard.label")
    assert set(labels["servqual"]) == set(labels["servqual_about"]) == set(DIMENSIONS)
    assert set(labels["figure"]) == set(FIGURES) and set(labels["metric"]) == set(METRICS)
    assert set(labels["action_status"]) == set(STATUSES) and set(labels["grouping"]) == set(GROUPINGS)
    assert set(labels["verdict"]) == {IMPROVED, WORSENED, UNCHANGED, TOO_FEW, TOO_EARLY}
    assert set(labels["gap"]) == {NO_ENTRY, WORDING, UNHELPFUL, AMBIGUOUS, ESCALATED}
    assert set(texts.node("dashboard.monthly.action_error")) >= {"what_missing", "owner_missing", "due_missing",
                                                                  "metric_unknown", "topic_missing", "status_unknown"}


def test_the_menus_offer_knowledge_topics_each_labelled():
    from kb.topics import kb_topic_codes

    menus = texts.surface("menus")
    offered = [topic for submenu in menus["submenus"].values() for topic in submenu["topics"]]
    assert sorted(offered) == sorted(menus["labels"]) and set(offered) <= set(kb_topic_codes())
    assert all(item["payload"].startswith("/") and texts.is_sentence(item["label"]) for item in menus["main"])
    assert all(texts.is_sentence(submenu["title"]) for submenu in menus["submenus"].values())


def test_error_pages_are_for_http_statuses_with_a_title_and_a_text():
    from http import HTTPStatus

    pages = texts.node("dashboard.error")
    assert {int(code) for code in pages} <= {s.value for s in HTTPStatus if s.value >= 400}
    assert all(set(page) == {"title", "text"} for page in pages.values())
