"""Settings are read only through core/settings.py: no other module reads an environment variable.

Copying the whole environment for a child process (`{**os.environ, ...}`, `dict(os.environ, ...)`) is not
reading a setting and is allowed anywhere; the files below do something else with the environment, for a
reason given next to them.
"""
import ast
from pathlib import Path

from core.settings import PROJECT_ROOT

SETTINGS_MODULE = Path("core/settings.py")
# Not the project's settings: variables of a child process or of a library.
ALLOWED = {
    Path("rasa_ext/server.py"): "TF_CPP_MIN_LOG_LEVEL quiets TensorFlow's C++ logging inside Rasa",
    Path("devtools/fake_bot_api/process.py"): "extends the child process's PYTHONPATH",
}
NOT_PRODUCTION = {"tests", ".venv", "models", "var", "reports", "deploy", "docs"}
ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def _production_files():
    for folder in sorted(p for p in PROJECT_ROOT.iterdir() if p.is_dir()):
        if folder.name in NOT_PRODUCTION or folder.name.startswith("."):
            continue
        yield from sorted(folder.rglob("*.py"))


def _copies_whole_environment(node: ast.AST, parent: ast.AST) -> bool:
    if isinstance(parent, ast.Dict):
        return any(key is None and value is node for key, value in zip(parent.keys, parent.values))
    return isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "dict" \
        and bool(parent.args) and parent.args[0] is node


def environment_uses(source: str) -> list:
    """(line, what) for each use of the process environment other than copying it whole."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [(node.lineno, f"from os import {a.name}") for a in node.names if a.name in ENVIRONMENT_NAMES]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" \
                and node.attr in ENVIRONMENT_NAMES and not _copies_whole_environment(node, parents[node]):
            found.append((node.lineno, f"os.{node.attr}"))
    return sorted(found)


def test_the_checker_tells_reading_from_copying():
    assert environment_uses("import os\nenv = {**os.environ, 'A': '1'}\nenv2 = dict(os.environ, B='2')\n") == []
    assert [what for _, what in environment_uses("import os\nx = os.environ.get('X')\ny = os.getenv('Y')\n"
                                                 "z = os.environ['Z']\nfrom os import environ\n")] == \
        ["os.environ", "os.getenv", "os.environ", "from os import environ"]


def test_only_the_settings_module_reads_the_environment():
    found = []
    for path in _production_files():
        relative = path.relative_to(PROJECT_ROOT)
        if relative != SETTINGS_MODULE and relative not in ALLOWED:
            found += [f"{relative}:{line}: {what}" for line, what in environment_uses(path.read_text(encoding="utf-8"))]
    assert not found, f"add these variables to core/settings.py Settings and read get_settings(): {found}"


def test_the_allowed_files_still_need_their_exception():
    for path, reason in ALLOWED.items():
        assert environment_uses((PROJECT_ROOT / path).read_text(encoding="utf-8")), f"{path} no longer needs: {reason}"
