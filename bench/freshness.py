"""Freshness benchmark: how soon a report dropped into the inbox shows on an open board, and what
keeping many boards open costs the server.

Builds, in a temporary directory, a database from a few real spreadsheets (tests.conftest `xlsx` and
`standard_rows`, ingested with readiness.store.Store(...).ingest_bytes, then closed so that the server
is the only process holding it), starts `streamlit run app.py` (headless, a free port on 127.0.0.1,
READINESS_DB / READINESS_CONFIG / READINESS_TODAY=2023-10-01), and drives Debian's Chromium
(/usr/bin/chromium, the flags of tests/browser/conftest.py) with Playwright. In one run it measures:

  latency   with the board open in a browser tab, D reports are dropped ONE BY ONE into the app's
            inbox (<db dir>/inbox/): written to a hidden temporary name, then os.replace'd into place
            as a copy tool does. Each report is from a unit that has not reported yet (the "Đã báo
            cáo" figure goes N/16 -> N+1/16) or, once all have, a newer report from a unit whose
            readiness moves (the "Sẵn sàng" figure changes). The figure to expect is predicted
            exactly by ingesting the same files, in the same order, into a shadow database in this
            process before the drops. A poller installed in the page (every 50 ms, in the browser)
            stamps when the expected figure appears; latency = that stamp - the os.replace. Each drop
            waits for its figure, then a random 0-2 s (so that the drops do not fall in step with
            the page's 2 s check), before the next. A thread also notes when the worker removed the
            file from the inbox (after its database transaction), splitting each latency into
            "ingested" (the worker's settle time + the ingest) and "board" (the page's 2 s check
            of the data version + the rerun + drawing).
            Done on the overview "/" and on the wall display "/trinh-chieu?views=countdown" (the view
            with the headline tiles), the latter only if the page shows the figure (it is being
            built; otherwise it is skipped with a note).
  cpu       T tabs (each its own browser context, so its own Streamlit session) open on the wall
            display "/trinh-chieu" if it shows the figure, else on the overview "/"; after they all
            show it, the server process's CPU time (utime+stime from /proc, summed over it and its
            children) over a window of S seconds, as a fraction of one core, and its RSS at the start
            and the end of the window (and the highest seen). The browser's processes (Chromium and
            the Playwright driver) are reported separately, and so is the rest of the machine (its
            busy time from /proc/stat minus ours, and the load average): a shared machine skews
            every figure here. A short window with no tab open comes
            first, for comparison. After the window, three more drops, each timed on every tab (the
            first and the last tab to show it) with the server's CPU meanwhile.

Aims (printed with OK / BELOW AIM; nothing is asserted):

  p95 drop-to-screen latency <= 3 s      (Smartsheet dashboards refresh every 10 minutes, Looker
                                          Studio no faster than every minute, Grafana's default
                                          refresh floor is 5 s)
  server CPU with 20 boards open < 1 core, averaged over 5 minutes; RSS does not grow

It is a benchmark, not a test: it prints figures and exits 0 unless the setup fails (the server does
not start, Chromium or Playwright is missing, the overview never shows the figure).

    python bench/freshness.py [--drops 20] [--tabs 20] [--cpu-seconds 300] [--page / | --page /trinh-chieu]

Without --page both pages are measured (the wall only if it shows the figure); with --page only that
page, which is also the page the CPU tabs open (falling back to "/" with a note if it does not show
the figure).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "tests") not in sys.path:  # tests/browser/conftest.py imports tests/conftest.py as `conftest`
    sys.path.append(str(ROOT / "tests"))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from readiness import board  # noqa: E402
from readiness.config import load_config  # noqa: E402
from readiness.store import Store  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path, free_port, healthy  # noqa: E402
from tests.conftest import standard_rows, xlsx  # noqa: E402

CONFIG = ROOT / "data" / "exercise.toml"
TODAY = dt.date(2023, 10, 1)
START_TIMEOUT_S = 60
SHOW_TIMEOUT_S = 30  # a page must show the figure this soon after opening
DROP_TIMEOUT_S = 30  # a drop's figure must appear this soon
RESYNC_S = 60  # after a timeout: how much longer to wait before giving up on the page
POLL_MS = 50  # the in-page poller's period
AIM_P95_S = 3.0
AIM_CPU = 1.0
WALL = "/trinh-chieu"
WALL_LATENCY_QUERY = "?views=countdown&rotate=600"  # the view with the headline tiles, kept on screen
IDLE_S = 10  # the no-tab window before the tabs open
ALL_TABS_DROPS = 3  # drops made with every CPU tab open, after the window
# Each drop waits a random 0..2 s after the previous figure appeared: dropping at once would put every
# drop at the same point of the page's 2 s check cycle (the latencies then all come out ~2 s).
JITTER_S = 2.0
JITTER = random.Random(2023)
LABELS = {"units_reported": "Đã báo cáo", "readiness": "Sẵn sàng"}

# The initial reports (unit, report date); every other unit of the config has not reported.
INITIAL = [("Phường Yên Bình", dt.date(2023, 9, 20)), ("Xã Đông Sơn", dt.date(2023, 9, 22)),
           ("Công an thành phố", dt.date(2023, 9, 25))]  # fmt: skip
NEW_DATE = dt.date(2023, 9, 28)  # a unit's first report in the benchmark


def tasks(tag: str, high: bool, note: str) -> list[list]:
    """A unit's four tasks: 'low' readiness 42.5%, 'high' 87.5% (one unit flipping moves the total
    by more than 2 points). `note` makes every file's bytes distinct."""
    if high:
        rows = [("Hoàn thành", 100), ("Hoàn thành", 100), ("Đang thực hiện", 80), ("Đang thực hiện", 70)]
    else:
        rows = [("Hoàn thành", 100), ("Đang thực hiện", 40), ("Chưa thực hiện", ""), ("Vướng mắc", 30)]
    names = [("Xây dựng văn kiện khối A", "Văn kiện", "30/09/2023", "Đ/c Hùng"),
             ("Phương án bảo đảm an ninh", "An ninh", "10/10/2023", "Đ/c Lan"),
             ("Treo băng rôn, khẩu hiệu", "Khánh tiết", "01/11/2023", "Đ/c Minh"),
             ("Chuẩn bị sở chỉ huy", "Hậu cần", "20/10/2023", "Đ/c Thảo")]  # fmt: skip
    return [
        [i + 1, f"{task} ({tag})", sub, deadline, status, percent, owner, note if i == 0 else ""]
        for i, ((task, sub, deadline, owner), (status, percent)) in enumerate(zip(names, rows, strict=True))
    ]


def workbook(unit: str, tag: str, date: dt.date, high: bool, note: str) -> bytes:
    return xlsx({"Tiến độ": standard_rows(unit, f"{date:%d/%m/%Y}", tasks(tag, high, note))})


# ---------------------------------------------------------------- the plan, predicted by a shadow store


@dataclass
class Drop:
    n: int
    unit: str
    kind: str  # "new" or "update"
    name: str  # the file's name in the inbox
    data: bytes
    key: str  # the headline figure that changes: units_reported or readiness
    before: str
    value: str  # what the board shows after it (predicted)
    figures: dict  # every headline figure after it


def headline_values(store: Store) -> dict[str, str]:
    return {h.key: h.value for h in board.headline(store.query("headline", today=TODAY), "vi")}


class Plan:
    """Drops made on demand, each ingested first into a shadow database so its figure is known."""

    def __init__(self, folder: Path, config):
        self.config = config
        self.units = [u.name for u in config.units]
        self.shadow = Store(folder / "shadow.duckdb", config, folder / "shadow-archive")
        self.state: dict[str, tuple[dt.date, bool]] = {}  # unit -> (last report date, high)
        self.count = 0
        self.cycle = 0

    def initial_files(self) -> list[tuple[str, bytes]]:
        files = []
        for i, (unit, date) in enumerate(INITIAL):
            data = workbook(unit, f"init{i}", date, False, "")
            files.append((f"init-{i}.xlsx", data))
            self._ingest(data, f"init-{i}.xlsx")
            self.state[unit] = (date, False)
        self.figures = headline_values(self.shadow)
        return files

    def _ingest(self, data: bytes, name: str) -> None:
        outcome = self.shadow.ingest_bytes(data, name)
        if outcome.status != "accepted":
            raise SystemExit(f"SETUP FAILED: the shadow store did not accept {name}: {outcome}")

    def next(self) -> Drop:
        self.count += 1
        n = self.count
        fresh = [u for u in self.units if u not in self.state]
        if fresh:
            unit, kind = fresh[0], "new"
            date, high = NEW_DATE, n % 2 == 0
        else:
            unit, kind = self.units[self.cycle % len(self.units)], "update"
            self.cycle += 1
            last, was_high = self.state[unit]
            date, high = min(TODAY, last + dt.timedelta(days=1)), not was_high
        data = workbook(unit, f"d{n:03d}", date, high, f"Lần gửi {n}")
        name = f"{n:03d} bao cao {date:%Y-%m-%d}.xlsx"
        before = self.figures
        self._ingest(data, name)
        self.state[unit] = (date, high)
        after = headline_values(self.shadow)
        key = "units_reported" if after["units_reported"] != before["units_reported"] else "readiness"
        if after[key] == before[key]:
            raise SystemExit(f"SETUP FAILED: drop {n} ({unit}) changes no headline figure: {before} -> {after}")
        self.figures = after
        return Drop(n, unit, kind, name, data, key, before[key], after[key], after)

    def close(self) -> None:
        self.shadow.close()


# ---------------------------------------------------------------- the browser side

# Every value shown for a headline figure: an st.metric with that label (the overview) or a wall
# tile [data-key=KEY] .t-value (the wall display), in the document, open shadow roots and
# same-origin frames.
FIGURES_JS = """
(label, key) => {
  const norm = (s) => (s || "").replace(/\\s+/g, " ").trim();
  const look = (root, out) => {
    for (const m of root.querySelectorAll('[data-testid="stMetric"]')) {
      const l = m.querySelector('[data-testid="stMetricLabel"]');
      const v = m.querySelector('[data-testid="stMetricValue"]');
      if (l && v && norm(l.textContent).startsWith(label)) out.push(norm(v.textContent));
    }
    for (const t of root.querySelectorAll('[data-key="' + key + '"] .t-value')) out.push(norm(t.textContent));
  };
  const out = [];
  look(document, out);
  if (out.length) return out;
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) { look(el.shadowRoot, out); walk(el.shadowRoot); }
      if (el.tagName === "IFRAME") {
        try { if (el.contentDocument) { look(el.contentDocument, out); walk(el.contentDocument); } } catch (e) {}
      }
    }
  };
  walk(document);
  return out;
}
"""

# Install a poller that stamps (Date.now()) when the figure first shows `value`; returns the stamp
# if it already does (then the drop cannot be timed on this figure).
ARM_JS = (
    """
([label, key, value, period]) => {
  const figures = """
    + FIGURES_JS
    + """;
  if (window.__fbTimer) clearInterval(window.__fbTimer);
  window.__fbSeen = 0;
  const check = () => {
    if (!window.__fbSeen && figures(label, key).includes(value)) {
      window.__fbSeen = Date.now();
      clearInterval(window.__fbTimer);
    }
  };
  check();
  if (!window.__fbSeen) window.__fbTimer = setInterval(check, period);
  return window.__fbSeen;
}
"""
)


def shown(page, key: str) -> list[str]:
    return page.evaluate(f"([l, k]) => ({FIGURES_JS})(l, k)", [LABELS[key], key])


def exception_text(page) -> str | None:
    ex = page.locator('[data-testid="stException"]')
    if ex.count():
        return ex.first.inner_text().strip().splitlines()[0][:200]
    return None


def arm(page, key: str, value: str) -> float:
    return page.evaluate(ARM_JS, [LABELS[key], key, value, POLL_MS]) / 1000


def seen_at(page, timeout_s: float) -> float | None:
    """When (time.time() scale) the armed figure appeared, or None after timeout_s."""
    from playwright.sync_api import TimeoutError as PWTimeout

    try:
        return (
            page.wait_for_function("() => window.__fbSeen", polling=100, timeout=timeout_s * 1000).json_value() / 1000
        )
    except PWTimeout:
        return None


def wait_showing(page, key: str, value: str, timeout_s: float) -> tuple[bool, str]:
    """Wait until the page shows `value` for the figure; (ok, what it shows or why not)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            values = shown(page, key)
        except Exception as exc:  # navigation in progress
            values = [f"({type(exc).__name__})"]
        if value in values:
            return True, value
        ex = exception_text(page)
        if ex:
            return False, f"the page shows an exception: {ex}"
        time.sleep(0.2)
    values = shown(page, key)
    ex = exception_text(page)
    if ex:
        return False, f"the page shows an exception: {ex}"
    return False, (f"shows {values} for {LABELS[key]!r}, expected {value!r}" if values
                   else f"no {LABELS[key]!r} figure on the page")  # fmt: skip


# ---------------------------------------------------------------- /proc


TICK = os.sysconf("SC_CLK_TCK")


def proc_table() -> dict[int, tuple[int, int]]:
    """pid -> (ppid, CPU ticks: utime+stime+cutime+cstime) for every process."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                raw = f.read().decode("latin-1")
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(entry)] = (int(fields[1]), sum(int(x) for x in fields[11:15]))
    return out


def tree(root: int, table: dict[int, tuple[int, int]]) -> set[int]:
    kids: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in table and pid not in out:
            out.add(pid)
            todo.extend(kids.get(pid, []))
    return out


def rss_mb(pids) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


class Usage:
    """CPU seconds and RSS of the server's process tree and of the browser (our other children)."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def sample(self) -> dict:
        table = proc_table()
        server = tree(self.server_pid, table)
        browser = tree(os.getpid(), table) - server - {os.getpid()}
        return {
            "t": time.monotonic(),
            "server_cpu": sum(table[p][1] for p in server) / TICK,
            "browser_cpu": sum(table[p][1] for p in browser) / TICK,
            "self_cpu": table.get(os.getpid(), (0, 0))[1] / TICK,
            "all_cpu": machine_busy(),
            "server_rss": rss_mb([self.server_pid]),
            "server_tree_rss": rss_mb(server),
            "browser_rss": rss_mb(browser),
            "server_procs": len(server),
            "browser_procs": len(browser),
        }


def rate(a: dict, b: dict, key: str) -> float:
    return (b[key] - a[key]) / max(1e-9, b["t"] - a["t"])


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores; /proc/stat: user..steal, not idle/iowait)."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
    return (user + nice + system + irq + softirq + steal) / TICK


def others(a: dict, b: dict) -> str:
    """What the rest of the machine did between two samples (other people's tests, servers...)."""
    rest = rate(a, b, "all_cpu") - rate(a, b, "server_cpu") - rate(a, b, "browser_cpu") - rate(a, b, "self_cpu")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"other processes on the machine {max(0.0, rest):.2f} core (of {os.cpu_count()}); load average {load}"


# ---------------------------------------------------------------- the measurements


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def verdict(ok: bool) -> str:
    return "OK" if ok else "BELOW AIM"


class InboxGone(threading.Thread):
    """Notes when the worker removed a dropped file (it does so after the database transaction)."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)
        self.path, self.at, self.stop = path, None, threading.Event()

    def run(self):
        while not self.stop.is_set():
            if not self.path.exists():
                self.at = time.time()
                return
            time.sleep(0.01)


def drop_file(inbox: Path, d: Drop) -> tuple[float, InboxGone]:
    """Write to a hidden temporary name, then os.replace into place (as a copy tool does)."""
    tmp = inbox / f".{d.name}.part"
    tmp.write_bytes(d.data)
    dest = inbox / d.name
    gone = InboxGone(dest)
    os.replace(tmp, dest)
    t = time.time()
    gone.start()
    return t, gone


def new_page(browser, url: str, wall: bool):
    size = {"width": 1920, "height": 1080} if wall else {"width": 1440, "height": 1000}
    context = browser.new_context(viewport=size, locale="vi-VN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=60_000)  # the page then draws itself over its websocket
    return context, page


def measure_latency(
    browser, base: str, path: str, plan: Plan, inbox: Path, drops: int, usage: Usage
) -> list[float] | None:
    """Drops one by one on an open page; the latencies, or None if the page does not show the figure."""
    wall = path == WALL
    url = base + path + (WALL_LATENCY_QUERY if wall else "")
    context, page = new_page(browser, url, wall)
    try:
        ok, why = wait_showing(page, "units_reported", plan.figures["units_reported"], SHOW_TIMEOUT_S)
        if not ok:
            print(f"{path}: SKIPPED, the page does not show the figure after {SHOW_TIMEOUT_S} s: {why}")
            return None
        print(f"\nlatency on {url} ({drops} drops, one by one; figures predicted by the shadow store)")
        print("   #  kind    unit                               figure                    latency  ingested   board")
        page.evaluate("window.__fbSamePage = true")
        latencies, ingested, on_board = [], [], []
        u0 = usage.sample()
        for _ in range(drops):
            d = plan.next()
            if arm(page, d.key, d.value):
                print(
                    f"  {d.n:3d}  {d.kind:6s}  {d.unit[:33]:33s}  already shows {d.value!r} before the drop: not timed"
                )
                continue
            time.sleep(JITTER.uniform(0, JITTER_S))  # not in step with the page's 2 s checks (see JITTER_S)
            t_drop, gone = drop_file(inbox, d)
            seen = seen_at(page, DROP_TIMEOUT_S)
            if seen is None:
                gone.stop.set()
            else:
                gone.join(5)
            fig = f"{LABELS[d.key]} {d.before}->{d.value}"
            if seen is None:
                print(f"  {d.n:3d}  {d.kind:6s}  {d.unit[:33]:33s}  {fig:24s}  TIMEOUT (> {DROP_TIMEOUT_S} s); "
                      f"file {'ingested' if gone.at else 'still in the inbox'}")  # fmt: skip
                ok, why = wait_showing(page, d.key, d.value, RESYNC_S)
                if not ok:
                    print(f"  the page never showed it ({why}): the rest of the drops on {path} are not made")
                    break
                latencies.append(time.time() - t_drop)  # a lower bound; counted so p95 shows it
                continue
            lat = seen - t_drop
            latencies.append(lat)
            ing = (gone.at - t_drop) if gone.at else float("nan")
            ingested.append(ing)
            on_board.append(seen - gone.at if gone.at else float("nan"))
            print(f"  {d.n:3d}  {d.kind:6s}  {d.unit[:33]:33s}  {fig:24s}  {lat:6.2f} s  {ing:6.2f} s  "
                  f"{on_board[-1]:+6.2f} s")  # fmt: skip
        if not latencies:
            return latencies
        u1 = usage.sample()
        print(f"  during the drops: server {rate(u0, u1, 'server_cpu'):.2f} core, browser {rate(u0, u1, 'browser_cpu'):.2f} "
              f"core; {others(u0, u1)}")  # fmt: skip
        if not page.evaluate("window.__fbSamePage === true"):
            print("  NOTE: the page was reloaded during the drops (it should update in place)")
        p50, p95 = statistics.median(latencies), pct(latencies, 0.95)
        print(f"{path}: {len(latencies)} latencies: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s, "
              f"min {min(latencies):.2f} s")  # fmt: skip
        if ingested:
            print(f"  split: drop -> ingested (settle {1.0:g} s + ingest) median {statistics.median(ingested):.2f} s, "
                  f"max {max(ingested):.2f} s; ingested -> on screen (2 s version check + rerun + draw) median "
                  f"{statistics.median(on_board):.2f} s, max {max(on_board):.2f} s")  # fmt: skip
        print(f"aim: p95 <= {AIM_P95_S:g} s drop-to-screen on {path}: {p95:.2f} s  {verdict(p95 <= AIM_P95_S)}  "
              "(Smartsheet dashboards: every 10 min; Looker Studio: >= 1 min; Grafana default floor: 5 s)")  # fmt: skip
        return latencies
    finally:
        context.close()


def measure_cpu(browser, base: str, path: str, plan: Plan, inbox: Path, tabs: int, seconds: float, usage: Usage):
    wall = path == WALL
    url = base + path
    s0 = usage.sample()
    idle = min(IDLE_S, seconds)
    time.sleep(idle)
    s1 = usage.sample()
    print(f"\ncpu: no tab open, {idle:g} s: server {rate(s0, s1, 'server_cpu'):.3f} core, RSS {s1['server_rss']:.0f} MB; "
          f"{others(s0, s1)}")  # fmt: skip
    print(f"opening {tabs} tabs on {url} (each its own browser context and Streamlit session)...")
    t0 = time.monotonic()
    pages, contexts, failed, opened = [], [], [], []
    in_a_row = 0
    for i in range(tabs):
        if in_a_row >= 3:
            print(f"  three tabs in a row did not show the board: no more tabs opened ({i} tried)")
            break
        t_tab = time.monotonic()
        try:
            context, page = new_page(browser, url, wall)
        except Exception as exc:  # e.g. the server or the machine too busy to answer: counted, not fatal
            failed.append(f"tab {i + 1}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            in_a_row += 1
            continue
        contexts.append(context)
        pages.append(page)
        ok, why = wait_showing(page, "units_reported", plan.figures["units_reported"], SHOW_TIMEOUT_S)
        opened.append(time.monotonic() - t_tab)
        if ok:
            in_a_row = 0
        else:
            failed.append(f"tab {i + 1}: {why}")
            in_a_row += 1
    asked, tabs = tabs, len(pages)
    if not pages:
        print("  no tab could be opened: no CPU window")
        return
    print(f"  {asked - len(failed)}/{asked} tabs show the board after {time.monotonic() - t0:.1f} s "
          f"(each tab: median {statistics.median(opened):.1f} s, slowest {max(opened):.1f} s); {tabs} tabs open")  # fmt: skip
    for f in failed:
        print(f"  FAILED {f}")
    visible = sum(p.evaluate("document.visibilityState === 'visible'") for p in pages)
    print(f"  {visible}/{tabs} tabs report document.visibilityState 'visible' (timers not throttled)")
    try:
        time.sleep(5)  # let the openings' reruns finish
        start = usage.sample()
        samples = [start]
        print(f"  window of {seconds:g} s: server RSS {start['server_rss']:.0f} MB at the start "
              f"({start['server_procs']} process(es)); browser {start['browser_procs']} processes, "
              f"{start['browser_rss']:.0f} MB")  # fmt: skip
        step = max(10.0, seconds / 5)
        end_at = time.monotonic() + seconds
        while (left := end_at - time.monotonic()) > 0:
            time.sleep(min(step, left))
            s = usage.sample()
            prev = samples[-1]
            samples.append(s)
            print(f"    +{s['t'] - start['t']:5.0f} s: server {rate(prev, s, 'server_cpu'):.3f} core, "
                  f"RSS {s['server_rss']:.0f} MB; browser {rate(prev, s, 'browser_cpu'):.3f} core; {others(prev, s)}")  # fmt: skip
        end = samples[-1]
        cpu = rate(start, end, "server_cpu")
        bcpu = rate(start, end, "browser_cpu")
        peak = max(s["server_rss"] for s in samples)
        growth = end["server_rss"] - start["server_rss"]
        print(f"cpu with {tabs} tabs on {path}, {end['t'] - start['t']:.0f} s: server {cpu:.3f} of one core "
              f"(process tree: {end['server_procs']}); browser (Chromium + Playwright driver) {bcpu:.3f} core")  # fmt: skip
        print(f"  {others(start, end)}")
        print(f"server RSS: start {start['server_rss']:.0f} MB, end {end['server_rss']:.0f} MB "
              f"({growth:+.0f} MB), highest {peak:.0f} MB; browser RSS {end['browser_rss']:.0f} MB (summed per process)")  # fmt: skip
        still = sum(bool(shown(p, "units_reported")) for p in pages)
        print(f"  {still}/{tabs} tabs still show the board at the end of the window")
        print(f"aim: server CPU < {AIM_CPU:g} core with {tabs} boards open: {cpu:.3f}  {verdict(cpu < AIM_CPU)}"
              + ("" if seconds >= 300 else f"  (window {seconds:g} s; the aim is over 300 s)"))  # fmt: skip
        print(f"aim: server RSS does not grow over the window: {growth:+.0f} MB  "
              f"{verdict(growth <= max(5.0, 0.02 * start['server_rss']))}  (tolerance: 5 MB or 2%)")  # fmt: skip

        # A few more drops with every tab open: how long until the last tab shows each.
        for _ in range(ALL_TABS_DROPS):
            d = plan.next()
            already = [arm(p, d.key, d.value) for p in pages]
            time.sleep(JITTER.uniform(0, JITTER_S))
            u0 = usage.sample()
            t_drop, gone = drop_file(inbox, d)
            deadline = time.monotonic() + DROP_TIMEOUT_S  # each tab stamps its own time; one deadline for all
            seen = [seen_at(p, max(0.1, deadline - time.monotonic())) for p in pages]
            u1 = usage.sample()
            gone.join(5)
            got = [x - t_drop for x in seen if x]
            if not got:
                print(f"a drop with {tabs} tabs open: no tab showed it within {DROP_TIMEOUT_S} s")
                continue
            # server CPU from the drop until the last tab showed it (or the deadline)
            busy = (u1["server_cpu"] - u0["server_cpu"]) / max(1e-9, u1["t"] - u0["t"])
            print(f"a drop with {tabs} tabs open ({LABELS[d.key]} {d.before}->{d.value}): on {len(got)}/{tabs} tabs, "
                  f"first after {min(got):.2f} s, median {statistics.median(got):.2f} s, last {max(got):.2f} s"
                  + (f"; ingested after {gone.at - t_drop:.2f} s" if gone.at else "")
                  + f"; server {busy:.2f} core meanwhile"
                  + (f"; {sum(bool(a) for a in already)} tabs showed it before the drop" if any(already) else ""))  # fmt: skip
    finally:
        for c in contexts:
            c.close()


def start_server(folder: Path, db: Path) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("READINESS_", "STREAMLIT_"))}
    env.update(READINESS_DB=str(db), READINESS_CONFIG=str(CONFIG), READINESS_TODAY=TODAY.isoformat())
    log_path = folder / "streamlit.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_S
    while not healthy(url):
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit(f"SETUP FAILED: streamlit did not answer {url}/_stcore/health:\n{log_path.read_text()}")
        time.sleep(0.2)
    return server, url, log_path


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_log_notes(log_path: Path) -> None:
    """The server's tracebacks, if any (the log goes with the temporary directory)."""
    lines = log_path.read_text(errors="replace").splitlines()
    starts = [i for i, ln in enumerate(lines) if ln.startswith("Traceback")]
    if not starts:
        return
    print(f"\nNOTE: the server logged {len(starts)} traceback(s); the first:")
    first = lines[max(0, starts[0] - 2) : starts[0] + 40]
    end = next((i for i, ln in enumerate(first[3:], 3) if ln and not ln.startswith((" ", "Traceback"))), len(first) - 1)
    print("\n".join("  | " + ln for ln in first[: end + 1]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drops", type=int, default=20, help="reports dropped one by one, per page (default 20)")
    ap.add_argument("--tabs", type=int, default=20, help="tabs open during the CPU window (default 20)")
    ap.add_argument("--cpu-seconds", type=float, default=300, help="the CPU window (default 300; 0: no CPU part)")
    ap.add_argument("--page", choices=["/", WALL], default=None,
                    help='measure only this page ("/" or "/trinh-chieu"); default both, the wall if it shows the figure')  # fmt: skip
    args = ap.parse_args(argv)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("SETUP FAILED: Playwright for Python is not installed (never `playwright install`)") from None
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("SETUP FAILED: Chromium not found at $CHROMIUM, /usr/bin/chromium or on PATH")

    config = load_config(CONFIG)
    with tempfile.TemporaryDirectory(prefix="bench-freshness-") as tmp:
        folder = Path(tmp)
        (folder / "server").mkdir()
        db = folder / "server" / "board.duckdb"
        plan = Plan(folder, config)
        with Store(db, config) as s:  # closed: the server is the only process holding the database
            for name, data in plan.initial_files():
                outcome = s.ingest_bytes(data, name)
                if outcome.status != "accepted":
                    raise SystemExit(f"SETUP FAILED: {name}: {outcome}")
        inbox = db.parent / "inbox"
        server, url, log_path = start_server(folder, db)
        usage = Usage(server.pid)
        print(f"server: {url} (pid {server.pid}), today {TODAY}, {len(INITIAL)} of {len(config.units)} units "
              f"reported; inbox {inbox}")  # fmt: skip
        print(
            f"browser: {chromium}, {os.cpu_count()} cores on this machine (server, browser and this script share them)"
        )
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
                try:
                    pages = [args.page] if args.page else ["/", WALL]
                    results = {}
                    for path in pages:
                        results[path] = measure_latency(browser, url, path, plan, inbox, args.drops, usage)
                        if path == "/" and results[path] is None:
                            raise SystemExit("SETUP FAILED: the overview does not show the 'Đã báo cáo' figure")
                    if args.cpu_seconds > 0 and args.tabs > 0:
                        target = args.page or WALL
                        if target == WALL and results.get(WALL) is None:
                            print(f'\nNOTE: the CPU tabs open the overview "/": {WALL} does not show the figure')
                            target = "/"
                        measure_cpu(browser, url, target, plan, inbox, args.tabs, args.cpu_seconds, usage)
                finally:
                    browser.close()
        finally:
            plan.close()
            stop_server(server)
            server_log_notes(log_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
