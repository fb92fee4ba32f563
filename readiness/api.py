"""The read-only JSON API, served by the app's own routes (app.py) for other systems and the wall:

- GET /api/v1/query/NAME?param=value…  a named query (queries/NAME.sql), parameters checked as the
  command line checks them (readiness.queries.parse_params) and bound, never formatted into SQL;
  `today=YYYY-MM-DD` is the command line's --today
- GET /api/v1/queries                   the named queries and their parameters
- GET /api/v1/version                   the data version (it changes whenever the board may)
- GET /api/v1/health                    200 while the database answers, 503 when it cannot be opened

Viewer rules apply. Where the config has `require_login`, every request but health needs
`Authorization: Bearer <token>` with a token the secretariat issued (readiness.tokens), or the board's
own login cookie (a logged-in browser reads what its pages show). Without it the API is open as the
board is, but a token that is presented must be valid. A token is never taken from the URL: URLs end
up in proxy logs, browser history and Referer headers, and every client of this API (curl, scripts,
fetch) can send a header; the live stream that browsers open without headers is push.py's, which
needs no login.

Every request is appended to api_access.jsonl beside the database: time, who (token id and name, the
user, or anonymous), address, path, query, parameters, status and milliseconds; never a token.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from . import queries, service
from .auth import SESSION_COOKIE, Accounts, users_path
from .i18n import Problem
from .store import Store
from .tokens import Tokens, tokens_path

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
# Every method reaches the endpoint, so anything but GET gets the API's JSON 405 (Starlette's own is text).
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
ACCESS_LOG = "api_access.jsonl"
_log_lock = threading.Lock()


class ApiError(Exception):
    """An answer other than 200: its status and a catalog message (Vietnamese and English)."""

    def __init__(self, status: int, problem: Problem, headers: dict | None = None):
        super().__init__(str(problem))
        self.status, self.problem, self.headers = status, problem, headers or {}

    def body(self) -> dict:
        p = self.problem
        return {"error": {"code": p.key, "message": p.text("vi"), "message_en": p.text("en"), **_plain(p.params)}}


def _plain(params: dict) -> dict:
    return {k: json_value(v) for k, v in params.items()}


def json_value(value):
    """A value from DuckDB as JSON has it: days and times ISO (the exercise's local time, as stored),
    NULL, NaN and infinities null, decimals numbers, lists and structs as arrays and objects."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return json_value(float(value))
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def answer(store: Store, name: str, given: dict[str, str]) -> dict:
    """The JSON body of GET /api/v1/query/NAME: UnknownQuery or queries.ParamError when the name or a
    parameter is wrong. The version is read before the query, so a client holding it re-asks after any
    write the rows might have missed."""
    given = dict(given)
    today_text = given.pop("today", "")
    today = queries.parse_date("today", today_text) if today_text.strip() else service.today(store.config)
    params = queries.parse_params(name, given)
    version = store.data_version()
    cur = queries.execute(store.con.cursor(), name, today=today, **params)
    columns = [d[0] for d in cur.description]
    rows = [[json_value(v) for v in row] for row in cur.fetchall()]
    return {
        "query": name,
        "params": _plain(params),
        "today": today.isoformat(),
        "data_version": version,
        "columns": columns,
        "rows": rows,
    }


# ---------------------------------------------------------------- who is asking


def _caller(request, store: Store, db: Path) -> tuple[str, int | None]:
    """(who, token id) for the access log, or ApiError 401 when the request may not read. `db` is the
    writer's database, beside which tokens and accounts live (a replica's store is a snapshot)."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, presented = header.strip().partition(" ")
        token = Tokens(tokens_path(db)).find(presented.strip()) if scheme.lower() == "bearer" else None
        if token is None or not token.active:
            raise ApiError(401, Problem("err_api_token_invalid"), {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return f"token {token.label}", token.id
    if not store.config.require_login:
        return "anonymous", None
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        resumed = Accounts(users_path(db)).resume(cookie)
        if resumed is not None:
            return f"user {resumed[0].username}", None
    raise ApiError(401, Problem("err_api_token_needed"), {"WWW-Authenticate": "Bearer"})


def may_read(request, store: Store, db: Path) -> bool:
    """Whether a request may read the board: a valid token, the board's login cookie, or no login
    required (the lean wall's page and data, wall/server.py)."""
    try:
        _caller(request, store, db)
    except ApiError:
        return False
    return True


# ---------------------------------------------------------------- the access log


def access_log_path(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / ACCESS_LOG


def _logged_params(params) -> dict:
    # A client that puts a token in the URL anyway: its value is not copied into the log.
    return {k: "***" if "token" in k.lower() else v[:200] for k, v in params.items()}


def _append(path: Path, entry: dict) -> None:
    """One JSON line, appended in one write (0600 from creation); a failure is logged, never the answer."""
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        with _log_lock:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
    except OSError:
        log.exception("API access log %s", path)


# ---------------------------------------------------------------- the routes


def _endpoint(handle: Callable, needs_login: bool = True, query: bool = False):
    """A Starlette endpoint around `handle(request, store) -> (status, body)`: opens the store (503),
    checks the caller (401), turns errors into JSON with Vietnamese and English, logs the request.
    Synchronous: Starlette runs it in its thread pool, so DuckDB never blocks the event loop."""
    from starlette.responses import JSONResponse

    def endpoint(request):
        started = time.perf_counter()
        who, token_id, store = "anonymous", None, None
        db = service.app_paths()[0]  # the writer's database: tokens and the log sit beside it
        headers = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}
        try:
            try:
                store = service.store()
            except Exception as exc:  # a held or damaged database, a bad config
                log.warning("API: the database cannot be opened: %s", exc)
                raise ApiError(503, Problem("err_api_db", detail=type(exc).__name__)) from exc
            if request.method not in ("GET", "HEAD"):
                raise ApiError(405, Problem("err_api_method"), {"Allow": "GET, HEAD"})
            if needs_login:
                who, token_id = _caller(request, store, db)
            status, body = handle(request, store)
        except ApiError as exc:
            status, body = exc.status, exc.body()
            headers.update(exc.headers)
        except queries.UnknownQuery as exc:
            status, body = 404, ApiError(404, exc).body()
        except queries.ParamError as exc:
            status, body = 400, ApiError(400, exc).body()
        response = JSONResponse(body, status_code=status, headers=headers)
        if store is not None:  # nothing to log beside a database that cannot be opened
            entry = {
                "at": dt.datetime.now().astimezone().isoformat(timespec="milliseconds"),
                "who": who,
                "token": token_id,
                "client": request.client.host if request.client else None,
                "path": request.url.path,
                "query": request.path_params.get("name") if query else None,
                "params": _logged_params(request.query_params),
                "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            _append(access_log_path(db), entry)
        return response

    return endpoint


def _query(request, store: Store) -> tuple[int, dict]:
    # A parameter named twice is refused rather than one of its values silently chosen.
    given: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in given:
            raise ApiError(400, queries.ParamError("err_param_twice", param=key, value=value))
        given[key] = value
    return 200, answer(store, request.path_params["name"], given)


def _queries(_request, _store: Store) -> tuple[int, dict]:
    return 200, {"queries": [{"name": n, "params": sorted(queries.params_of(n) - {"today"})} for n in queries.names()]}


def _version(_request, store: Store) -> tuple[int, dict]:
    return 200, {"data_version": store.data_version()}


def _health(_request, store: Store) -> tuple[int, dict]:
    try:
        version = store.data_version()
    except Exception as exc:  # a connection closed under us, a database that went away
        log.warning("API health: %s", exc)
        raise ApiError(503, Problem("err_api_db", detail=type(exc).__name__)) from exc
    return 200, {
        "status": "ok",
        "data_version": version,
        "db": store.path.name,
        "read_only": store.read_only,
        "today": service.today(store.config).isoformat(),
        "require_login": store.config.require_login,
    }


def _not_found(_request, _store: Store) -> tuple[int, dict]:
    raise ApiError(404, Problem("err_api_no_route"))


def routes() -> list:
    """The API's Starlette routes: every method reaches the endpoint, which answers anything but GET
    (and HEAD) with a JSON 405, as it answers every other error."""
    from starlette.routing import Route

    return [
        Route(f"{PREFIX}/query/{{name}}", _endpoint(_query, query=True), methods=_METHODS),
        Route(f"{PREFIX}/queries", _endpoint(_queries), methods=_METHODS),
        Route(f"{PREFIX}/version", _endpoint(_version), methods=_METHODS),
        Route(f"{PREFIX}/health", _endpoint(_health, needs_login=False), methods=_METHODS),
        # Anything else under the prefix is a JSON 404, not the board's HTML page.
        Route(f"{PREFIX}/{{rest:path}}", _endpoint(_not_found, needs_login=False), methods=_METHODS),
    ]
