"""The database's SQL, in layers: tables, macros, staging views (run in that order whenever a store
opens), and the store's own statements, store/NAME.sql, loaded by name. The board's named queries
live apart, in the top-level queries/ (readiness.queries), and read only staging and macros."""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent
LAYERS = ("tables", "macros", "staging")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"[a-z0-9_]+")


class UnknownStatement(KeyError):
    """No readiness/sql/store/NAME.sql."""


@cache
def schema() -> str:
    """Every layer's text, in order: what a store runs when it opens for writing."""
    return "\n".join((SQL_DIR / f"{layer}.sql").read_text(encoding="utf-8") for layer in LAYERS)


def params_in(text: str) -> set[str]:
    """The $parameters a piece of SQL takes (comments left out)."""
    return set(_PARAM.findall(re.sub(r"--[^\n]*", "", text)))


def bind(text: str, params: dict) -> dict:
    """The parameters a piece of SQL uses, from a larger set; fails on one it uses and lacks."""
    wanted = params_in(text)
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"needs parameters: {', '.join(sorted(missing))}")
    return {k: v for k, v in params.items() if k in wanted}


@cache
def statements(name: str) -> tuple[str, ...]:
    """The statements of store/NAME.sql, in order; fails loudly on a missing name."""
    path = SQL_DIR / "store" / f"{name}.sql"
    if not _NAME.fullmatch(name or "") or not path.exists():
        raise UnknownStatement(name)
    text = path.read_text(encoding="utf-8")
    # One statement ends where a line ends with ';' (no statement here has one inside a string).
    parts = re.split(r";[ \t]*(?:\n|$)", text)
    return tuple(p for p in parts if re.sub(r"--[^\n]*", "", p).strip())


def run(con, name: str, /, **params):
    """Execute store/NAME.sql on a connection or cursor, each statement with the parameters it uses;
    returns the last one, ready to fetch."""
    cur = None
    for statement in statements(name):
        cur = con.execute(statement, bind(statement, params))
    return cur


def run_many(con, name: str, rows: list[dict]) -> None:
    """Execute a one-statement store/NAME.sql once per row of parameters."""
    (statement,) = statements(name)
    con.executemany(statement, [bind(statement, row) for row in rows])


@contextmanager
def registered(con, name: str, table):
    """An Arrow table visible to SQL on this connection as ``name`` for the block."""
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)
