"""The lean wall display: the same views as the Streamlit page (/trinh-chieu), served by the app's
own routes (app.py) with no Streamlit session behind each screen.

    /live/wall?views=countdown,heatmap&rotate=20&lang=en&sort=config

The page is static HTML that loads wall/assets/wall.js and wall.css (the very files the Streamlit page
mounts), fetches its views as JSON from /live/wall/data with the same query string, and listens to
the push stream (readiness/push.py): on a new data version or day it fetches the views again; each
message is also the heartbeat of the connection banner. An open screen costs the server one idle
stream; a new version costs one JSON build shared by every screen with the same options.

With [access] require_login the page and its data need the board's session cookie (log in on the board
once in that browser), as the Streamlit page needs a login."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import html
import json
import threading
from pathlib import Path

from readiness import api, push, service
from readiness.store import Store, local_now

from . import view as display

PATH = "/live/wall"
DATA_PATH = "/live/wall/data"
ASSET_PATH = "/live/wall/assets/{name}"
ASSETS = {"wall.js": "text/javascript", "wall.css": "text/css", "boot.js": "text/javascript"}

_lock = threading.Lock()


def routes() -> list:
    from starlette.routing import Route

    return [Route(PATH, page), Route(DATA_PATH, data), Route(ASSET_PATH, asset)]


def _allowed(request) -> bool:
    """Whether this browser may see the board (as the API decides: a login cookie when the config wants
    one; the accounts beside the writer's database, also on a replica)."""
    db, _ = service.app_paths()
    return api.may_read(request, service.store(), Path(db))


@functools.lru_cache(maxsize=32)
def _views(store: Store, version: int, today, opts: display.Options) -> str:
    """The views of one store's data version and options, as JSON text (built once for every screen).
    The store is the key and what is read: a replica swaps its store for each new snapshot."""
    config = store.config

    def query(name, **params):
        return store.query(name, today=today, **params)

    def query_on(day, name, **params):
        return store.query(name, today=day, **params)

    board_now = service.now(config)
    payload = display.wall_data(
        config=config,
        opts=opts,
        query=query,
        query_on=query_on,
        today=today,
        board_now=board_now,
        real_now=local_now(config),
        version=version,
    )
    return json.dumps(payload, ensure_ascii=False, default=str)


def _payload(params: dict) -> str:
    store = service.store()
    config = store.config
    opts = display.options(params)
    today = service.today(config)
    with _lock:  # one build per version and options, however many screens ask at once
        views = _views(store, store.data_version(), today, dataclasses.replace(opts, rotate=0))
    clock = display.clock_data(config, service.now(config), local_now(config), opts.lang)
    return views[:-1] + f', "rotate": {opts.rotate}, "clock": {json.dumps(clock, ensure_ascii=False)}}}'


async def data(request):
    from starlette.responses import JSONResponse, Response

    if not await asyncio.to_thread(_allowed, request):
        return JSONResponse({"error": "login"}, status_code=401)
    body = await asyncio.to_thread(_payload, dict(request.query_params))
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


@functools.cache
def _font_face() -> str:
    """The @font-face of Streamlit's own Source Sans (served by Streamlit at /static/media/, its name
    hashed per release), so that the lean wall sets its type exactly as the Streamlit page does (a
    wider fallback font would cut the exercise's name off)."""
    import streamlit

    media = Path(streamlit.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob("SourceSansVF-Upright*.woff2"))
    if not found:
        return ""
    return (
        '@font-face{font-family:"Source Sans";font-weight:100 900;font-style:normal;'
        f'src:url("/static/media/{found[0].name}") format("woff2")}}'
    )


async def page(request):
    from starlette.responses import HTMLResponse, RedirectResponse

    if not await asyncio.to_thread(_allowed, request):
        # the Streamlit page has the login form (and stays there: it would send the screen back here)
        query = f"{display.STAY}=1" + (f"&{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/trinh-chieu?{query}")
    opts = display.options(dict(request.query_params))
    name = html.escape(service.store().config.name)
    return HTMLResponse(
        f"""<!doctype html>
<html lang="{opts.lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name}</title>
<link rel="stylesheet" href="{ASSET_PATH.format(name="wall.css")}">
<style>{_font_face()}html,body{{margin:0;height:100%;background:#0b1220;overflow:hidden}}#wall{{height:100vh}}</style>
</head><body><div id="wall"></div>
<script type="module" src="{ASSET_PATH.format(name="boot.js")}" data-events="{push.EVENTS_PATH}"
 data-data="{DATA_PATH}"></script>
</body></html>""",
        headers={"Cache-Control": "no-store"},
    )


async def asset(request):
    from starlette.responses import PlainTextResponse, Response

    name = request.path_params["name"]
    if name not in ASSETS:  # only the wall's own files: never a path from the request
        return PlainTextResponse("not found", status_code=404)
    return Response(display.asset(name), media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})
