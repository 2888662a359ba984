"""The layering rules (import-linter) and the models' migrations."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_apps_import_only_from_the_layers_below_them_and_without_cycles():
    lint_imports = Path(sys.executable).with_name("lint-imports")

    result = subprocess.run(
        [str(lint_imports), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apps import only from the layers below them KEPT" in result.stdout
    assert "No import cycles between the modules of an app KEPT" in result.stdout
    assert "Contracts: 2 kept, 0 broken" in result.stdout


def test_every_package_must_declare_its_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")

    assert layers["containers"] == ["imbizo"] and layers["exhaustive"] is True
    assert layers["layers"][-1] == "core"


def test_models_and_migrations_agree():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )

    assert result.returncode == 0, result.stdout + result.stderr


def _function_level_imports_without_a_reason(root: Path) -> list[str]:
    """Imports inside functions whose line, or the line above, has no comment."""
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    line = lines[inner.lineno - 1]
                    above = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                    if "#" not in line and not above.startswith("#"):
                        found.append(f"{path.relative_to(root.parent)}:{inner.lineno}")
    return found


def test_every_import_inside_a_function_says_why():
    # Imports belong at module top, where they show what a module depends on;
    # inside a function they hide cycles. Where app loading or an optional heavy
    # library forces one, a comment on it or the line above says so.
    assert _function_level_imports_without_a_reason(ROOT / "imbizo") == []
