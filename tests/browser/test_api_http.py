"""The JSON API on the real server: `streamlit run app.py` (the session's server, tests/browser/conftest)
answers /api/v1 from the routes app.py mounts, beside the board, as JSON and not as the board's page."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from .conftest import TODAY


def fetch(url: str) -> tuple[int, dict, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    return status, json.loads(body), (time.perf_counter() - started) * 1000


def test_the_running_app_serves_the_headline_as_json(app_url):
    status, body, _ = fetch(f"{app_url}/api/v1/query/headline")
    assert status == 200, body
    assert body["query"] == "headline" and body["today"] == TODAY
    rows = {row[0]: dict(zip(body["columns"], row, strict=True)) for row in body["rows"]}
    assert rows["now"]["units"] == 16 and rows["now"]["reported"] == 3
    assert 0 < rows["now"]["readiness"] < 100
    times = sorted(fetch(f"{app_url}/api/v1/query/headline")[2] for _ in range(20))
    print(f"headline over HTTP: median {times[10]:.1f} ms, slowest {times[-1]:.1f} ms")
    health = fetch(f"{app_url}/api/v1/health")
    assert health[0] == 200 and health[1]["status"] == "ok"
    assert health[1]["data_version"] == body["data_version"]
    assert fetch(f"{app_url}/api/v1/query/nope")[0] == 404


@pytest.mark.parametrize("path", ["/api/v1/version", "/api/v1/queries"])
def test_the_other_endpoints_answer_json(app_url, path):
    status, body, _ = fetch(app_url + path)
    assert status == 200 and body
