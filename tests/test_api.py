"""The read-only JSON API (readiness.api) through Starlette's TestClient on a fixture database: every
named query as the store answers it, the checks on names and parameters, version and health, tokens
under require_login (issued, listed and revoked from the command line too), and the access log."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import numpy as np
import pandas as pd
import pytest
from conftest import APP_TODAY, ROOT
from starlette.applications import Starlette
from starlette.testclient import TestClient

from readiness import api, cli, i18n, queries, service
from readiness.auth import SESSION_COOKIE, Accounts, User, users_path
from readiness.tokens import Tokens, tokens_path

YB = "Phường Yên Bình"
SECURITY = "Tiểu ban an ninh, trật tự"


@pytest.fixture
def client(two_weeks):
    """The API on the two-week fixture database (conftest.two_weeks), today pinned to 01/10/2023."""
    with TestClient(Starlette(routes=api.routes())) as c:
        yield c


@pytest.fixture
def locked(two_weeks, tmp_path, monkeypatch):
    """The same database under a config with `[access] require_login = true`."""
    text = (ROOT / "data" / "exercise.toml").read_text(encoding="utf-8")
    config = tmp_path / "locked.toml"
    config.write_text(re.sub(r"(?m)^require_login = false", "require_login = true", text), encoding="utf-8")
    assert "require_login = true" in config.read_text(encoding="utf-8")
    monkeypatch.setenv("READINESS_CONFIG", str(config))
    return config


def get(client, path: str, token: str | None = None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(path, params=params, headers=headers)


def sample_params(store) -> dict[str, str]:
    """A value for every parameter any named query takes, as a URL gives them."""
    ids = [r[0] for r in store.con.execute("SELECT id FROM submissions WHERE unit = ? ORDER BY id", [YB]).fetchall()]
    return {
        "unit": YB,
        "subcommittee": SECURITY,
        "old": str(ids[0]),
        "new": str(ids[1]),
        "id": str(ids[1]),
        "limit": "5",
        "since": "2023-09-24",
    }


def comparable(value):
    """A cell as both sides can be compared: a day or a time as a Timestamp, NaN and NULL as None."""
    if isinstance(value, list | tuple | np.ndarray):
        return [comparable(v) for v in list(value)]
    if not isinstance(value, dict) and pd.isna(value):  # None, NaN, NaT, <NA>
        return None
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][\d:.]+)?", value):
        return pd.Timestamp(value)
    if isinstance(value, dt.date | pd.Timestamp):
        return pd.Timestamp(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def test_every_named_query_answers_what_the_store_answers(client):
    store = service.store()
    given = sample_params(store)
    today = dt.date.fromisoformat(APP_TODAY)
    answered_rows = 0
    for name in queries.names():
        wanted = queries.params_of(name) - {"today"}
        r = get(client, f"/api/v1/query/{name}", **{k: given[k] for k in wanted})
        assert r.status_code == 200, (name, r.text)
        body = r.json()
        assert body["query"] == name and body["today"] == APP_TODAY
        assert body["data_version"] == store.data_version()
        df = store.query(name, today=today, **queries.parse_params(name, {k: given[k] for k in wanted}))
        assert body["columns"] == list(df.columns), name
        expected = [[comparable(v) for v in row] for row in df.itertuples(index=False)]
        assert [[comparable(v) for v in row] for row in body["rows"]] == expected, name
        answered_rows += len(expected)
    assert answered_rows > 50  # the fixture gives most queries rows to compare


def test_values_are_json_as_they_are(client):
    body = get(client, "/api/v1/query/tasks", unit=YB, subcommittee="").json()
    assert body["params"] == {"unit": YB, "subcommittee": None}
    rows = [dict(zip(body["columns"], row, strict=True)) for row in body["rows"]]
    security = next(r for r in rows if r["subcommittee"] == SECURITY)
    assert security["percent"] == 80 and security["deadline"] == "2023-10-10"  # a number, an ISO day
    banners = next(r for r in rows if r["task"] == "Treo băng rôn, khẩu hiệu")
    assert banners["percent"] is None  # NULL (a NaN in the DataFrame) is null
    head = get(client, "/api/v1/query/headline").json()
    assert head["columns"][:2] == ["period", "readiness"] and isinstance(head["rows"][0][1], float)


def test_today_is_a_parameter_like_the_command_lines(client):
    on_first = get(client, "/api/v1/query/overdue").json()
    later = get(client, "/api/v1/query/overdue", today="2023-10-15").json()
    assert later["today"] == "2023-10-15" and len(later["rows"]) > len(on_first["rows"])
    bad = get(client, "/api/v1/query/overdue", today="15/10/2023")
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "today"


def test_unknown_query_is_404_in_both_languages(client):
    r = get(client, "/api/v1/query/no_such_query")
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "err_unknown_query" and "no_such_query" in error["message"]
    assert error["message"].startswith("Không có truy vấn") and error["message_en"].startswith("no such query")
    assert "headline" in error["available"]
    assert get(client, "/api/v1/query/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert get(client, "/api/v1/nothing/here").json()["error"]["code"] == "err_api_no_route"


@pytest.mark.parametrize(
    ("path", "params", "code", "named"),
    [
        ("tasks", {"unit": YB}, "err_param_missing", "subcommittee"),
        ("since", {"since": "2023-02-30"}, "err_param_date", "2023-02-30"),
        ("since", {"since": "24/09/2023"}, "err_param_date", "24/09/2023"),
        ("submission", {"id": "1; DROP TABLE tasks"}, "err_param_int", "1; DROP TABLE tasks"),
        ("heatmap", {"unti": YB}, "err_param_unknown", "unti"),
        ("recent", [("limit", "2"), ("limit", "3")], "err_param_twice", "limit"),
    ],
)
def test_a_bad_parameter_is_400_naming_it(client, path, params, code, named):
    r = client.get(f"/api/v1/query/{path}", params=params)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert named in error["message"] and named in error["message_en"]


def test_the_command_line_refuses_what_the_api_refuses(two_weeks, client, capsys):
    r = get(client, "/api/v1/query/since", since="2023-02-30")
    service.stop(readers=False)  # the command opens the database itself
    assert cli.main(["--db", str(two_weeks), "query", "since", "--param", "since=2023-02-30"]) == 2
    assert r.json()["error"]["message"] in capsys.readouterr().err


def test_only_get(client):
    r = client.post("/api/v1/query/headline")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert r.json()["error"]["message_en"] == "the API is read-only (GET)"


def test_version_follows_writes_and_health_says_ok(client):
    store = service.store()
    before = get(client, "/api/v1/version").json()["data_version"]
    assert before == store.data_version()
    from conftest import week

    assert store.ingest_bytes(week("30/09/2023", 90), "w3.xlsx").status == "accepted"
    assert get(client, "/api/v1/version").json()["data_version"] > before
    health = get(client, "/api/v1/health")
    assert health.status_code == 200
    assert health.json() | {"data_version": 0} == {
        "status": "ok",
        "data_version": 0,
        "db": "board.duckdb",
        "read_only": False,
        "today": APP_TODAY,
        "require_login": False,
    }


def test_health_is_503_when_the_database_cannot_be_opened(app_env):
    app_env.write_bytes(b"not a database at all" * 100)
    with TestClient(Starlette(routes=api.routes())) as c:
        r = c.get("/api/v1/health")
        assert r.status_code == 503
        assert r.json()["error"]["code"] == "err_api_db"
        assert str(app_env) not in r.text  # the path stays in the server's log
        assert c.get("/api/v1/query/headline").status_code == 503


def test_require_login_wants_a_valid_token(locked, client):
    tokens = Tokens(tokens_path(locked.parent / "board.duckdb"))
    record, token = tokens.issue("Sở Chỉ huy quân sự", by="thuky")
    none = get(client, "/api/v1/query/headline")
    assert none.status_code == 401 and none.headers["www-authenticate"] == "Bearer"
    assert none.json()["error"]["code"] == "err_api_token_needed"
    assert get(client, "/api/v1/version", token="rdy_" + "x" * 43).status_code == 401
    assert get(client, "/api/v1/version", token="").status_code == 401
    assert client.get("/api/v1/version", headers={"Authorization": f"Basic {token}"}).status_code == 401
    ok = get(client, "/api/v1/query/headline", token=token)
    assert ok.status_code == 200 and ok.json()["rows"]
    assert get(client, "/api/v1/health").status_code == 200  # health needs no token
    tokens.revoke(record.id, by="thuky")
    revoked = get(client, "/api/v1/query/headline", token=token)
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "err_api_token_invalid"


def test_without_require_login_a_presented_token_must_still_be_valid(client, two_weeks):
    assert get(client, "/api/v1/version").status_code == 200
    assert get(client, "/api/v1/version", token="guess").status_code == 401
    _, token = Tokens(tokens_path(two_weeks)).issue("Văn phòng UBND")
    assert get(client, "/api/v1/version", token=token).status_code == 200


def test_a_logged_in_browser_reads_with_its_session_cookie(locked, client, two_weeks):
    accounts = Accounts(users_path(two_weeks))
    accounts.add("xem01", "mat-khau-dai", "viewer")
    cookie, _, _ = accounts.session_cookie("xem01")
    client.cookies.set(SESSION_COOKIE, cookie)
    assert get(client, "/api/v1/query/headline").status_code == 200
    client.cookies.set(SESSION_COOKIE, cookie[:-2] + "xx")  # tampered
    assert get(client, "/api/v1/query/headline").status_code == 401


def test_the_token_file_keeps_only_hashes(two_weeks):
    tokens = Tokens(tokens_path(two_weeks))
    record, token = tokens.issue("  Sở Chỉ huy   quân sự ")
    assert record.name == "Sở Chỉ huy quân sự" and token.startswith("rdy_") and len(token) > 40
    text = tokens.path.read_text(encoding="utf-8")
    assert token not in text and token[4:] not in text and record.sha256 in text
    assert os.stat(tokens.path).st_mode & 0o777 == 0o600
    assert tokens.find(token) == record and tokens.find(token + "x") is None
    second, other = tokens.issue("Công an thành phố")
    assert second.id == 2 and other != token
    with pytest.raises(ValueError, match="1-100"):
        tokens.issue("   ")
    with pytest.raises(PermissionError):
        tokens.issue("x", actor=User("xem01", "viewer"))


def test_every_request_is_logged_without_the_token(locked, client, two_weeks):
    _, token = Tokens(tokens_path(two_weeks)).issue("Sở Chỉ huy quân sự")
    assert get(client, "/api/v1/query/tasks", token=token, unit=YB, subcommittee="").status_code == 200
    assert get(client, "/api/v1/query/headline").status_code == 401
    assert client.get("/api/v1/version", params={"token": token}).status_code == 401  # not from the URL
    lines = api.access_log_path(two_weeks).read_text(encoding="utf-8")
    assert token not in lines and token[4:] not in lines
    entries = [json.loads(line) for line in lines.splitlines()]
    first, anonymous, in_url = entries[-3:]
    assert first["who"] == "token #1 Sở Chỉ huy quân sự" and first["token"] == 1
    assert (first["path"], first["query"], first["status"]) == ("/api/v1/query/tasks", "tasks", 200)
    assert first["params"] == {"unit": YB, "subcommittee": ""} and first["ms"] >= 0
    assert dt.datetime.fromisoformat(first["at"]).tzinfo is not None
    assert (anonymous["who"], anonymous["token"], anonymous["status"]) == ("anonymous", None, 401)
    assert in_url["params"] == {"token": "***"}
    assert os.stat(api.access_log_path(two_weeks)).st_mode & 0o777 == 0o600


def test_tokens_from_the_command_line_are_audited(two_weeks, capsys):
    db = ["--db", str(two_weeks)]
    assert cli.main([*db, "token", "issue", "--name", "Sở Chỉ huy quân sự"]) == 0
    out = capsys.readouterr()
    token = out.out.strip()
    assert token.startswith("rdy_") and "#1 Sở Chỉ huy quân sự" in out.err
    assert cli.main([*db, "token", "list"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith("1\tSở Chỉ huy quân sự\tactive\t") and token not in listed
    assert cli.main([*db, "token", "revoke", "1"]) == 0
    assert cli.main([*db, "token", "revoke", "1"]) == 2  # already revoked
    assert cli.main([*db, "token", "revoke", "7"]) == 2
    assert "no token #7" in capsys.readouterr().err
    assert cli.main([*db, "token", "list"]) == 0
    assert "\trevoked " in capsys.readouterr().out
    Accounts(users_path(two_weeks)).add("xem01", "mat-khau-dai", "viewer")
    assert cli.main([*db, "token", "issue", "--name", "x", "--by", "xem01"]) == 2
    assert "secretariat only" in capsys.readouterr().err
    audit = service.store().con.execute(
        "SELECT action, target FROM audit WHERE action LIKE 'token%' ORDER BY happened_at"
    )
    assert audit.fetchall() == [("token_issue", "#1 Sở Chỉ huy quân sự"), ("token_revoke", "#1 Sở Chỉ huy quân sự")]
    assert token not in (two_weeks.parent / "api_tokens.json").read_text(encoding="utf-8")


def test_the_accounts_page_issues_a_token_once_and_revokes_it(app_env):
    from conftest import open_page

    at = open_page("pages/accounts.py", User("thuky", "secretariat"))
    assert any(i18n.t("tokens_none", "vi") in c.value for c in at.caption)
    at.text_input(key="token_name").input("Sở Chỉ huy quân sự")
    next(b for b in at.button if b.label == i18n.t("tokens_issue", "vi")).click().run()
    assert not at.exception
    assert any("Đã cấp mã #1 cho Sở Chỉ huy quân sự" in s.value for s in at.success)
    (shown,) = [c.value for c in at.code]
    tokens = Tokens(tokens_path(app_env))
    (record,) = tokens.all()
    assert tokens.find(shown) == record and record.created_by == "thuky"
    assert shown not in tokens.path.read_text(encoding="utf-8")
    at.run()
    assert not at.code  # shown once: the next run no longer has it
    assert list(at.dataframe[-1].value["Dùng cho (hệ thống, cơ quan)"]) == ["Sở Chỉ huy quân sự"]
    at.button(key="revoke_token_button").click().run()
    # The dialog's own rerun is a fragment's, which AppTest does not replay: the confirm button is there,
    # and the action it runs is the page's revoke_token (run here as the button would).
    assert at.button(key="revoke_token_confirm").label == i18n.t("tokens_revoke", "vi")
    assert not at.exception
    audit = service.store().con.execute("SELECT actor, action, target FROM audit WHERE action LIKE 'token%'")
    assert audit.fetchall() == [("thuky", "token_issue", "#1 Sở Chỉ huy quân sự")]
    Tokens(tokens_path(app_env)).revoke(1, by="thuky")
    at.run()
    assert "thu hồi" in at.dataframe[-1].value["Tình trạng"].iloc[0]
    assert not [b for b in at.button if b.key == "revoke_token_button"]  # nothing left to revoke


def test_a_replica_checks_tokens_and_logs_beside_the_writers_database(locked, two_weeks, monkeypatch, config):
    """A replica's store is a read-only snapshot in snapshots/; tokens and the access log are the
    writer's, beside READINESS_DB."""
    import shutil

    from readiness.store import Store

    snapshot = two_weeks.parent / "snapshots" / "board-1.duckdb"
    snapshot.parent.mkdir()
    shutil.copy(two_weeks, snapshot)
    replica = Store(snapshot, config, read_only=True)
    monkeypatch.setattr(service, "store", lambda *a: replica)
    _, token = Tokens(tokens_path(two_weeks)).issue("Sở Chỉ huy quân sự")
    with TestClient(Starlette(routes=api.routes())) as c:
        assert get(c, "/api/v1/query/headline", token=token).status_code == 200
        assert get(c, "/api/v1/health").json()["read_only"] is True
    assert "#1 Sở Chỉ huy quân sự" in api.access_log_path(two_weeks).read_text(encoding="utf-8")
    assert not (snapshot.parent / api.ACCESS_LOG).exists()
    replica.close()
