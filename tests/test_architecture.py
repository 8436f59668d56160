"""The import rules of docs/architecture.md, read from the source with ``ast`` (nothing is imported or run).

- the engine (``chainkeeper.network``) imports nothing of the platform and no database, web or CLI library;
- only the web adapters (``web/``, ``cli/``, ``pages*.py``, ``api*.py`` of a feature) import ``chainkeeper.web``;
- the foundation packages import no feature package;
- each workflow keeps ONE transition table;
- no module is longer than 500 lines.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src" / "chainkeeper"
MAX_LINES = 500
ENGINE_FORBIDDEN_LIBRARIES = {"sqlalchemy", "alembic", "fastapi", "starlette", "jinja2", "typer", "httpx", "psycopg"}
FOUNDATION = {"core", "config", "db", "errors", "i18n", "reference", "registry", "audit", "auth", "notifications"}
FEATURES = {"analysis", "coordination", "credentials", "whitelist", "home", "demo", "cli"}
WEB_IMPORT_EXCEPTIONS = {  # module → why it may import chainkeeper.web for now
}
LONG_MODULE_EXCEPTIONS: dict[str, str] = {}  # module → why it may exceed MAX_LINES (none today)
TRANSITION_TABLES = {  # module → the one table of its workflow
    "coordination/workflow.py": "TRANSITIONS",
    "coordination/letters.py": "LETTER_TRANSITIONS",
    "whitelist/workflow.py": "TRANSITIONS",
    "sme/ladder/workflow.py": "TRANSITIONS",
    "sme/arrears/workflow.py": "TRANSITIONS",  # lane arrears: the complaint workflow
}


def modules() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if "__pycache__" not in path.parts)


def name_of(path: Path) -> str:
    return path.relative_to(SOURCE).as_posix()


@lru_cache(maxsize=None)
def tree_of(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, as absolute dotted names."""
    package = ["chainkeeper", *path.relative_to(SOURCE).parent.parts]
    found = set()
    for node in ast.walk(tree_of(path)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def platform_package(module: str) -> str | None:
    """``chainkeeper.X.…`` → X (None for other libraries)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "chainkeeper" and len(parts) > 1 else None


def is_web_adapter(name: str) -> bool:
    first, stem = name.split("/")[0], Path(name).stem
    return first in {"web", "cli"} or name == "__main__.py" or stem.startswith(("pages", "api")) or stem.endswith("pages")


def test_the_rules_see_the_imports():
    assert "chainkeeper.core.request" in imported(SOURCE / "auth" / "deps.py")
    assert "chainkeeper.network.simulate" in imported(SOURCE / "coordination" / "impact.py")
    assert "chainkeeper.coordination.models" in imported(SOURCE / "coordination" / "labels.py")
    assert not is_web_adapter("coordination/service.py") and is_web_adapter("coordination/pages_reports.py")


def test_the_engine_imports_nothing_of_the_platform_nor_database_web_or_cli_code():
    problems = []
    for path in (SOURCE / "network").rglob("*.py"):
        for module in imported(path):
            package = platform_package(module)
            if (package is not None and package != "network") or module.split(".")[0] in ENGINE_FORBIDDEN_LIBRARIES:
                problems.append(f"{name_of(path)} imports {module}")
    assert problems == []


def test_only_web_adapters_import_the_web_layer():
    problems = [f"{name_of(path)} imports {module}" for path in modules() for module in imported(path)
                if platform_package(module) == "web" and not is_web_adapter(name_of(path))
                and name_of(path) not in WEB_IMPORT_EXCEPTIONS]
    assert problems == []


def test_the_foundation_imports_no_feature():
    problems = []
    for path in modules():
        owner = name_of(path).split("/")[0].removesuffix(".py")
        if owner not in FOUNDATION:
            continue
        problems += [f"{name_of(path)} imports {module}" for module in imported(path)
                     if platform_package(module) in FEATURES]
    assert problems == []


def _tables(path: Path) -> list[str]:
    names = []
    for node in tree_of(path).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id.endswith("TRANSITIONS")]
    return names


def test_each_workflow_has_one_transition_table():
    found = {name_of(path): _tables(path) for path in modules() if _tables(path)}
    assert found == {name: [table] for name, table in TRANSITION_TABLES.items()}


def test_no_module_is_longer_than_500_lines():
    long = {name_of(path): count for path in modules()
            if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert {name for name in long if name not in LONG_MODULE_EXCEPTIONS} == set(), long
