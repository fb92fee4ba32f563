"""Entry: the ASGI app that `streamlit run app.py` serves. Server start opens the database and starts
the inbox worker, so a file dropped while no browser is open is stored within seconds; server stop
ends them. main.py is the router (page config and navigation)."""

import asyncio
import threading
from contextlib import asynccontextmanager

import streamlit as st
from starlette.routing import Route

from readiness import api, push, service
from ui.login import SESSION_PATH, session_endpoint
from wall import server as wall_server


@asynccontextmanager
async def lifespan(_app):
    await asyncio.to_thread(service.start)
    if threading.current_thread() is threading.main_thread():  # where the server's signal handlers live
        push.end_streams_on_exit()
    try:
        yield
    finally:
        await asyncio.to_thread(service.stop)


# The session cookie's route: the page that logged in posts its one-time grant here for the cookie.
app = st.App(
    "main.py",
    lifespan=lifespan,
    routes=[
        Route(SESSION_PATH, session_endpoint, methods=["POST"]),
        *api.routes(),
        *push.routes(),
        *wall_server.routes(),
    ],
)
