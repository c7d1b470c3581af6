"""The rooms' one-way doors (docs/architecture.md): no app imports one above it, not even inside
a function or for type checking, the apps above the domain do not import one another, and none
imports the project's wiring."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ["boards", "minutes", "decisions", "inquiries", "recommendations"]
FEATURES = ["packs", "search", "follow", "opendata", "summons", "transfer", "accounts"]
# Each app with the apps it may import.
ALLOWED = {
    **{app: set(DOMAIN[:position]) for position, app in enumerate(DOMAIN)},
    **{feature: set(DOMAIN) for feature in FEATURES},
    "home": set(DOMAIN) | set(FEATURES),
}
PROJECT = "scrutiny"  # wires the apps together (settings, root URLs): none may import it


def imports_of(app: str) -> dict[str, list[str]]:
    """The project apps each module of ``app`` imports (migrations aside), with where."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if (top in ALLOWED or top == PROJECT) and top != app:
                    found.setdefault(top, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_app_of_the_project_is_placed():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps == {*ALLOWED, PROJECT}


@pytest.mark.parametrize("app", list(ALLOWED))
def test_no_app_imports_one_above_it(app):
    against = {
        target: where for target, where in imports_of(app).items() if target not in ALLOWED[app]
    }
    assert against == {}, f"{app} imports apps it stands below: {against}"


def test_the_domains_migrations_depend_only_on_apps_below():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in loader.disk_migrations.items():
        if app not in ALLOWED:
            continue
        for dependency_app, _ in migration.dependencies:
            if dependency_app in ALLOWED and dependency_app != app:
                assert dependency_app in ALLOWED[app], f"{app}.{name} needs {dependency_app}"
