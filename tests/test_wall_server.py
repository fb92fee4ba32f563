"""The lean wall (wall/server.py) through Starlette's TestClient: its data are the views the Streamlit
page draws for the same options; its page loads only the wall's own files; under require_login it wants
the board's login cookie, as the API does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import APP_TODAY, ROOT
from starlette.applications import Starlette
from starlette.testclient import TestClient

from readiness import service
from readiness.auth import SESSION_COOKIE, Accounts, users_path
from wall import server
from wall import view as display

APP_TODAY_DATE = dt.date.fromisoformat(APP_TODAY)


@pytest.fixture
def client(two_weeks):
    with TestClient(Starlette(routes=server.routes())) as c:
        yield c
    service.stop(readers=False)


def test_the_data_are_the_views_of_the_streamlit_page_for_the_same_options(client, two_weeks):
    answer = client.get(server.DATA_PATH, params={"views": "countdown,heatmap,risks", "rotate": "30", "lang": "en"})
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    data = answer.json()
    assert [v["id"] for v in data["views"]] == ["countdown", "heatmap", "risks"]
    assert data["rotate"] == 30 and data["lang"] == "en" and data["clock"]["tz"] == "Asia/Ho_Chi_Minh"
    store = service.store()
    expected = display.wall_data(
        config=store.config,
        opts=display.options({"views": "countdown,heatmap,risks", "lang": "en"}),
        query=lambda name, **kw: store.query(name, today=APP_TODAY_DATE, **kw),
        query_on=lambda day, name, **kw: store.query(name, today=day, **kw),
        today=APP_TODAY_DATE,
        board_now=service.now(store.config),
        real_now=service.now(store.config),
        version=store.data_version(),
    )
    assert [v["html"] for v in data["views"]] == [v["html"] for v in expected["views"]]
    assert data["version"] == store.data_version()


def test_the_page_loads_the_walls_own_files_and_nothing_else(client):
    page = client.get(server.PATH, params={"views": "heatmap", "lang": "en"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    for name in ("wall.css", "boot.js"):
        asset = client.get(server.ASSET_PATH.format(name=name))
        assert asset.status_code == 200 and asset.text == (ROOT / "wall" / "assets" / name).read_text(encoding="utf-8")
    assert client.get(server.ASSET_PATH.format(name="wall.js")).headers["content-type"].startswith("text/javascript")
    for name in ("..%2Fserver.py", "view.py", "%2Fetc%2Fpasswd"):  # never a file the request names
        assert client.get(f"/live/wall/assets/{name}").status_code == 404


def test_under_require_login_the_wall_wants_the_boards_login(two_weeks, tmp_path, monkeypatch):
    text = (ROOT / "data" / "exercise.toml").read_text(encoding="utf-8")
    config = tmp_path / "locked.toml"
    config.write_text(re.sub(r"(?m)^require_login = false", "require_login = true", text), encoding="utf-8")
    monkeypatch.setenv("READINESS_CONFIG", str(config))
    with TestClient(Starlette(routes=server.routes())) as c:
        assert c.get(server.DATA_PATH).status_code == 401
        page = c.get(server.PATH, params={"views": "heatmap"}, follow_redirects=False)
        assert page.status_code in (302, 307) and page.headers["location"] == "/trinh-chieu?stay=1&views=heatmap"
        accounts = Accounts(users_path(two_weeks))
        accounts.add("xem", "mật-khẩu-dài-123", "viewer")
        cookie, _, _ = accounts.session_cookie("xem")
        c.cookies.set(SESSION_COOKIE, cookie)
        assert c.get(server.DATA_PATH, params={"views": "heatmap"}).status_code == 200
        c.cookies.set(SESSION_COOKIE, cookie[:-4] + "AAAA")  # tampered
        assert c.get(server.DATA_PATH).status_code == 401
    service.stop(readers=False)
