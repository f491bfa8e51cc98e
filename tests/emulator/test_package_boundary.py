"""The LINE emulator and the chat simulator stand in for LINE in the embedded default: app wiring (app.py) imports
them, the bot's core and the features never do, and they import nothing of the app (DESIGN.md §3)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("bot", "handlers", "services", "web", "scheduler", "models", "flex_templates", "texts")
APP_MODULES = ("config.py",)


def imported_modules(path: Path) -> set[str]:
    """Every absolute module name a Python file imports, at any depth (function-level imports included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(*names: str) -> list[Path]:
    files: list[Path] = []
    for name in names:
        path = ROOT / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def top(module: str) -> str:
    return module.split(".")[0]


def test_core_and_features_never_import_the_emulator_or_simulator():
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if top(m) == "line_emulator")
        for path in python_files(*APP_PACKAGES, *APP_MODULES)
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_emulator_and_simulator_import_nothing_of_the_app():
    app_tops = {*APP_PACKAGES, *(name.removesuffix(".py") for name in APP_MODULES), "app", "manage"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if top(m) in app_tops)
        for path in python_files("line_emulator")
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_check_sees_imports_at_any_depth(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n    from line_emulator.store import EmulatorStore\n    import bot.worker\n")
    assert imported_modules(sample) == {"os", "line_emulator.store", "bot.worker"}
