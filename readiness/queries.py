"""Named SQL queries: queries/NAME.sql, one query per file, run with bound parameters only. They
read the staging views and macros of readiness/sql, never the tables the store writes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .i18n import Problem
from .sql import bind, params_in

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"


# Parameters that are not text, by name across all queries: ids and counts are whole numbers, days
# are ISO dates. A parameter named nowhere here keeps the command line's old rule (digits: a number).
INTEGER_PARAMS = frozenset({"id", "old", "new", "limit"})
DATE_PARAMS = frozenset({"since", "today"})
_INTEGER = re.compile(r"[0-9]{1,18}")  # fits DuckDB's BIGINT


class UnknownQuery(Problem, KeyError):
    """No queries/NAME.sql; the message lists the queries there are."""

    __str__ = Exception.__str__  # the message, not KeyError's quoted repr

    def __init__(self, name: str):
        super().__init__("err_unknown_query", name=name[:100], available=", ".join(names()))
        self.name = name


class ParamError(Problem, ValueError):
    """A parameter given from outside (the command line, the JSON API) that a query does not take, lacks
    or cannot use; the message names the parameter and its value."""


def names() -> list[str]:
    """Every named query."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@cache
def sql(name: str) -> str:
    """The text of queries/NAME.sql; fails loudly on a missing name."""
    path = QUERY_DIR / f"{name}.sql"
    if not re.fullmatch(r"[a-z0-9_]+", name or "") or not path.exists():
        raise UnknownQuery(name or "")
    return path.read_text(encoding="utf-8")


def params_of(name: str) -> set[str]:
    """The $parameters a query takes."""
    return params_in(sql(name))


def parse_date(param: str, text: str) -> dt.date:
    """A day given as YYYY-MM-DD, or ParamError naming the parameter and the text."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    raise ParamError("err_param_date", param=param, value=text)


def parse_params(name: str, given: Mapping[str, str]) -> dict:
    """A query's parameters from their text, checked as the command line and the JSON API both need:
    UnknownQuery for no such query; ParamError for a parameter it does not take (`today` is given
    apart), one it needs and lacks, or a value that is not a whole number or a day where one is due.
    Empty text is NULL ("all" for unit and subcommittee); text is stripped and stored as NFC."""
    wanted = params_of(name) - {"today"}
    for key in sorted(given):
        if key not in wanted:
            known = ", ".join(sorted(wanted)) or "–"
            raise ParamError("err_param_unknown", query=name, param=key, value=given[key], known=known)
    missing = sorted(wanted - given.keys())
    if missing:
        raise ParamError("err_param_missing", query=name, params=", ".join(missing))
    params: dict[str, object] = {}
    for key, text in given.items():
        value = unicodedata.normalize("NFC", text.strip())
        if not value:
            params[key] = None
        elif key in DATE_PARAMS:
            params[key] = parse_date(key, value)
        elif key in INTEGER_PARAMS:
            if not _INTEGER.fullmatch(value):
                raise ParamError("err_param_int", param=key, value=text)
            params[key] = int(value)
        else:
            params[key] = int(value) if _INTEGER.fullmatch(value) else value
    return params


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
