"""Named SQL queries: queries/NAME.sql, one query per file, run with bound parameters only. They
read the staging views and macros of readiness/sql, never the tables the store writes."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .sql import bind, params_in

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"


class UnknownQuery(KeyError):
    """No queries/NAME.sql."""


def names() -> list[str]:
    """Every named query."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@cache
def sql(name: str) -> str:
    """The text of queries/NAME.sql; fails loudly on a missing name."""
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        raise UnknownQuery(name)
    path = QUERY_DIR / f"{name}.sql"
    if not path.exists():
        raise UnknownQuery(f"{name} (có / available: {', '.join(names())})")
    return path.read_text(encoding="utf-8")


def params_of(name: str) -> set[str]:
    """The $parameters a query takes."""
    return params_in(sql(name))


def execute(con, name: str, /, **params):
    """Execute a named query on a DuckDB connection or cursor and return it, ready to fetch.

    Only the parameters the query uses are bound, so callers may pass a common set (e.g. today).
    """
    text = sql(name)
    try:
        bound = bind(text, params)
    except TypeError as exc:
        raise TypeError(f"query {name} {exc}") from None
    return con.execute(text, bound)


def run(con, name: str, /, **params):
    """A named query's result as a pandas DataFrame."""
    return execute(con, name, **params).df()


def records(con, name: str, /, **params) -> list[dict]:
    """A named query's rows as dicts of Python values (dates stay dates, NULL is None)."""
    cur = execute(con, name, **params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row, strict=False)) for row in cur.fetchall()]
