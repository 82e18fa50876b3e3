"""Layer boundaries (STYLE.md): computations never import the CLI, the app or plotting.

Scans the source with :mod:`ast` (nothing is imported), so a violation is
found even in a module no other test loads.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "sp2lnob"

ENGINE_PACKAGES = ["survey", "measures", "variance", "performance", "spi", "simulate", "opportunity"]
ENGINE_MODULES = ["errors.py", "expressions.py", "headline.py", "parameters/__init__.py"]
# never imported by an engine module, at any level
FORBIDDEN_ANYWHERE = ("sp2lnob.app", "sp2lnob.cli", "shiny", "shinywidgets", "typer")
# allowed only inside a function (lazy), or in a module dedicated to charts
PLOTTING = ("matplotlib", "plotly")
CHART_MODULE_NAMES = {"charts.py", "plot.py", "plots.py"}


def _engine_files() -> list[Path]:
    files = [p for pkg in ENGINE_PACKAGES for p in sorted((SRC / pkg).rglob("*.py"))]
    files += [SRC / m for m in ENGINE_MODULES if (SRC / m).exists()]
    return files


def _imports(tree: ast.AST):
    """(module name, is_top_level) for every import in a module."""
    top = set()
    for node in getattr(tree, "body", []):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            top.add(id(node))
        if isinstance(node, ast.If):  # TYPE_CHECKING blocks are not runtime imports
            continue
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, id(node) in top


@pytest.mark.parametrize("path", _engine_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_engine_module_respects_layers(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for name, top_level in _imports(tree):
        assert not name.startswith(FORBIDDEN_ANYWHERE), f"{path.name} imports {name} (engines must not)"
        if name.startswith(PLOTTING) and top_level:
            assert path.name in CHART_MODULE_NAMES, (
                f"{path.name} imports {name} at module level: import plotting lazily or in charts.py"
            )


def test_there_are_engine_modules_to_check():
    assert len(_engine_files()) >= 3


def test_engines_import_without_plotting_or_app_libraries():
    """The core installs without the extras: engine packages must import with them blocked."""
    import subprocess
    import sys

    code = f"""
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {{'matplotlib', 'plotly', 'shiny', 'shinywidgets', 'jinja2', 'weasyprint'}}:
            raise ImportError('blocked for the test: ' + name)
sys.meta_path.insert(0, Block())
for pkg in {ENGINE_PACKAGES!r} + ['sp2lnob.expressions', 'sp2lnob.headline']:
    importlib.import_module(pkg if pkg.startswith('sp2lnob') else 'sp2lnob.' + pkg)
print('ok')
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
