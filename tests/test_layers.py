"""Data flows one way (file -> reader -> store -> queries -> pages): no page or UI module touches a
database connection or holds SQL, and the core never imports Streamlit. These fail the moment a
page reaches past the named queries."""

import ast
import re

import pytest
from conftest import ROOT

UI_FILES = sorted(
    [
        ROOT / "app.py",
        ROOT / "main.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "ui").glob("*.py"),
        *(ROOT / "wall").glob("*.py"),
    ]
)
CORE_FILES = sorted((ROOT / "readiness").rglob("*.py"))
SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ATTACH)\b\s+[\w*(]", re.I)


def rel(p):
    return str(p.relative_to(ROOT))


@pytest.mark.parametrize("path", UI_FILES, ids=rel)
def test_pages_and_ui_never_touch_a_connection_or_hold_sql(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("con", "cursor", "execute", "executemany", "sql"), (
                f"{rel(path)}:{node.lineno} reaches the database ({node.attr}); call a named query through the core"
            )
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not SQL_WORDS.search(node.value) or len(node.value) < 12, (
                f"{rel(path)}:{node.lineno} holds SQL; put it in queries/NAME.sql"
            )
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            assert "duckdb" not in names or path.name == "state.py", f"{rel(path)}:{node.lineno} imports duckdb"


@pytest.mark.parametrize("path", CORE_FILES, ids=rel)
def test_the_core_never_imports_streamlit(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] == "streamlit" for n in names), (
                f"{rel(path)}:{node.lineno} imports streamlit"
            )
