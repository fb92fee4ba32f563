"""The wall display (Trình chiếu), without Streamlit: the options read from the URL, the check for
old data, and the figures drawn as HTML views for a dark wall, readable from ten metres.

pages/wall.py reads the named queries and mounts the result in one components-v2 element whose
JavaScript (wall/assets/wall.js) rotates the views, ticks the countdown and the clock, and shows
the connection banner. Every size here is in `--u` (1 % of the height of a 16:9 screen), so the same
page fits 1920x1080 and 1280x720; the smallest text is 2.6u (28 px at 1080p), headline numbers 9u
(97 px at 1080p; 8.4u for a value of seven characters, e.g. 123/456 units)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from readiness import board, i18n, meeting
from readiness.push import PING_S
from ui import charts

ASSETS = Path(__file__).resolve().parent / "assets"

VIEWS = ("countdown", "heatmap", "subcommittees", "risks")  # the rotation when the URL names none
EXTRA_VIEWS = ("since",)  # shown only when the URL asks for them (views=since: before a meeting)
ROTATE_DEFAULT, ROTATE_MIN, ROTATE_MAX = 20, 5, 600
# No heartbeat (the push stream's ping, every push.PING_S seconds) for this long: the connection banner.
OFFLINE_AFTER_S = 2.5 * PING_S
MAX_ROWS = 16  # heatmap rows that fit at the smallest type even under two banners; more: the least ready
TOP_RISKS = 8  # risks on one page of the risk view
SINCE_ROWS = 6  # units in the since-the-last-meeting view: the worst changes
PAGES_PER_TURN = 3  # risk pages shown each time the rotation comes to them; the next turn goes on from there
SORTS = ("worst", "config")

# The readiness scale on the dark wall: the hues of charts.READINESS_SCALE (red and orange low, calm
# high), but here the strong end is the bright one: lightness falls from a light coral at 0 % (CIE L*
# 64) through orange to a dark steel blue at 100 % (L* 32), so the eye goes to the units that are
# behind, and the order still reads in grey-scale and to a colour-blind eye (no red-green step).
WALL_SCALE = [
    [0.0, "#ff5d56"],
    [0.25, "#e86c31"],
    [0.5, "#b27a2e"],
    [0.75, "#446a6b"],
    [1.0, "#005175"],
]

# Status colours for the dark wall: lightness still orders them (done lightest, not started darkest),
# blocked stands apart in a warm hue, as in charts.STATUS_COLOURS for the light board.
DARK_STATUS = {
    "done": ("#9cc9ff", "#08111f"),
    "in_progress": ("#3f76b8", "#ffffff"),
    "not_started": ("#26303f", "#d8dee8"),
    "blocked": ("#e5546a", "#ffffff"),
}
EMPTY_CELL = ("transparent", "#8894a6")
# A planned task the unit has not reported (only with a plan in force): a dark red, hatched, as the
# board's charts.NOT_REPORTED_PATTERN, so it reads apart from blocked (solid, lighter) in grey-scale.
NOT_REPORTED = ("repeating-linear-gradient(135deg, #b3261e 0 0.35em, #6e1414 0.35em 0.7em)", "#ffffff")


# ------------------------------------------------------------------ options
@dataclass(frozen=True)
class Options:
    views: tuple[str, ...]
    rotate: int
    lang: str
    sort: str = "worst"


def _first(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return str(value[-1]) if value else None
    return str(value)


def options(params: Mapping, default_lang: str = "vi") -> Options:
    """?rotate=20&views=countdown,heatmap&lang=en&sort=config -> Options. Unknown views are ignored
    (none left: the four of VIEWS; 'since' only when named); rotate is clamped to 5..600 s (not a
    number: 20); lang is vi or en; the heatmap's rows are worst first unless sort=config (the
    config's order)."""
    raw_views = _first(params.get("views"))
    views: list[str] = []
    if raw_views:
        for name in raw_views.replace(";", ",").split(","):
            name = name.strip().lower()
            if name in VIEWS + EXTRA_VIEWS and name not in views:
                views.append(name)
    raw_rotate = _first(params.get("rotate"))
    try:
        rotate = float(raw_rotate) if raw_rotate is not None else ROTATE_DEFAULT
        if math.isnan(rotate):
            raise ValueError
    except ValueError:
        rotate = ROTATE_DEFAULT
    rotate = int(round(min(ROTATE_MAX, max(ROTATE_MIN, rotate))))
    lang = (_first(params.get("lang")) or default_lang).strip().lower()
    sort = (_first(params.get("sort")) or "worst").strip().lower()
    return Options(
        tuple(views) or VIEWS, rotate, lang if lang in ("vi", "en") else "vi", sort if sort in SORTS else "worst"
    )


STAY = "stay"  # /trinh-chieu?stay=1: the Streamlit page draws the wall itself (else it sends the screen on)


def query_string(opts: Options) -> str:
    """The options as a URL query, which both wall pages read."""
    return urlencode({"views": ",".join(opts.views), "rotate": opts.rotate, "lang": opts.lang, "sort": opts.sort})


# ------------------------------------------------------------------ old data
def newest_report(submissions) -> dt.date | None:
    """The newest report date among the accepted, not withdrawn submissions."""
    if submissions is None or submissions.empty:
        return None
    ok = submissions[(submissions["status"] == "accepted") & submissions["withdrawn_at"].isna()]
    dates = ok["report_date"].dropna()
    if dates.empty:
        return None
    return board.as_date(dates.max())


def data_is_old(newest: dt.date | None, today: dt.date, interval_days: int) -> bool:
    """The newest report is older than the reporting interval (as a stale unit is counted)."""
    return newest is not None and newest < today - dt.timedelta(days=interval_days)


# ------------------------------------------------------------------ time
def epoch_ms(local: dt.datetime, tz: str) -> int:
    """A naive local time of the exercise's time zone as milliseconds since the epoch."""
    return int(local.replace(tzinfo=ZoneInfo(tz)).timestamp() * 1000)


def countdown_parts(config, now: dt.datetime) -> dict:
    """The countdown as the browser shows it on its first paint (it ticks on from there)."""
    delta = config.d_day - now
    passed = delta.total_seconds() < 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hms = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return {"days": days, "hms": hms, "passed": passed}


def countdown_text(parts: dict, lang: str) -> str:
    if parts["passed"] and parts["days"] == 0:
        return i18n.t("d_day_now", lang)
    if parts["passed"]:
        return i18n.t("after_d_day", lang, days=parts["days"])
    return i18n.t("wall_left", lang, days=parts["days"], hms=parts["hms"])


def clock_data(config, board_now: dt.datetime, real_now: dt.datetime, lang: str) -> dict:
    """What the browser needs to tick: D-day and the board's now (READINESS_TODAY pins it) in ms,
    the server's real time for the clock, the time zone and the countdown's words."""
    parts = countdown_parts(config, board_now)
    return {
        "d_day_ms": epoch_ms(config.d_day, config.timezone),
        "now_ms": epoch_ms(board_now, config.timezone),
        "server_ms": epoch_ms(real_now, config.timezone),
        "tz": config.timezone,
        "countdown": countdown_text(parts, lang),
        "days": parts["days"],
        "hms": parts["hms"],
        "when": f"{config.d_day:%H:%M} {i18n.date(config.d_day.date())}",
        "d_day_label": f"{i18n.t('d_day', lang)}: {config.d_day:%H:%M} {i18n.date(config.d_day.date())}",
        "clock": f"{real_now:%H:%M:%S}",
        "date": i18n.date(real_now.date()),
        "words": {
            "left": i18n.t("wall_left", lang, days="{days}", hms="{hms}"),
            "after": i18n.t("after_d_day", lang, days="{days}"),
            "now": i18n.t("d_day_now", lang),
            "to": i18n.t("wall_to_d_day", lang, when="{when}"),
            "since": i18n.t("wall_since_d_day", lang, when="{when}"),
        },
    }


# ------------------------------------------------------------------ views
E = html.escape


def _u(x: float) -> str:
    return f"calc({x:g} * var(--u))"


def _delta_html(h: board.Headline, lang: str) -> str:
    if h.delta is None:
        return '<div class="t-delta">&nbsp;</div>'
    digits = 1 if h.key == "readiness" else 0
    if round(h.delta, digits) == 0:
        return '<div class="t-delta same">±0</div>'
    better = (h.delta < 0) if h.worse_when_up else (h.delta > 0)
    arrow = "▲" if h.delta > 0 else "▼"
    cls = "better" if better else "worse"
    return f'<div class="t-delta {cls}">{arrow} {E(i18n.signed(h.delta, lang, digits))}</div>'


HEADLINE_KEYS = ("readiness", "units_reported", "stale", "overdue", "blocked")


def countdown_view(config, headline: list[board.Headline], clock: dict, board_now: dt.datetime, lang: str) -> str:
    """Days and hours left (ticking), the phase and the next milestone, the five headline figures."""
    cd = board.countdown(config, board_now)
    when = f"{config.d_day:%H:%M} {i18n.date(config.d_day.date())}"
    label = i18n.t("wall_since_d_day" if cd.passed else "wall_to_d_day", lang, when=when)
    bits = []
    if cd.phase is not None:
        bits.append(E(i18n.t("wall_phase", lang, phase=i18n.milestone_name(cd.phase, lang))))
    if cd.next is not None:
        name = i18n.milestone_name(cd.next, lang)
        bits.append(E(i18n.t("wall_next", lang, name=name, date=i18n.date_short(cd.next.date.date()))))
    tiles = []
    by_key = {h.key: h for h in headline}
    for key in HEADLINE_KEYS:
        h = by_key[key]
        size = 9 if len(h.value) <= 6 else 8.4  # '100,0%' fits at 9u; '123/456' (100+ units) needs less
        warn = key in ("stale", "overdue", "blocked") and h.value not in ("0", "–")
        tiles.append(
            f'<div class="tile{" warn" if warn else ""}" data-key="{key}">'
            f'<div class="t-label">{E(i18n.t(key, lang))}</div>'
            f'<div class="t-value" style="font-size:{_u(size)}">{E(h.value)}</div>'
            f"{_delta_html(h, lang)}</div>"
        )
    return (
        '<div class="cd-view">'
        '<div class="cd">'
        f'<div class="cd-label" data-cd="label">{E(label)}</div>'
        '<div class="cd-big">'
        f'<span class="cd-days" data-cd="days">{clock["days"]}</span>'
        f'<span class="cd-unit">{E(i18n.t("wall_days", lang))}</span>'
        f'<span class="cd-hmsbox"><span class="cd-hms" data-cd="hms">{clock["hms"]}</span>'
        f'<span class="cd-hmsunit">{E(i18n.t("wall_hms", lang))}</span></span>'
        "</div>"
        f'<div class="cd-phase">{" · ".join(bits)}</div>'
        "</div>"
        f'<div class="tiles">{"".join(tiles)}</div>'
        "</div>"
    )


@functools.lru_cache(maxsize=256)
def readiness_colour(value: float) -> str:
    """The cell colour on the wall: WALL_SCALE sampled at the value."""
    return charts.scale_colour(WALL_SCALE, value)


def pick_rows(g: board.Grid, max_rows: int = MAX_ROWS, sort: str = "worst") -> tuple[list[int], str]:
    """The rows to show and the note above the heatmap. All units when they fit, worst first
    (board.worst_first: never reported, then the least ready) or in config order; when they do not
    fit, the least ready units that reported, the never-reported ones counted in the note."""
    n = len(g.units)
    if n <= max_rows:
        return (board.worst_first(g) if sort == "worst" else list(range(n))), "units_all"
    return [i for i in board.worst_first(g) if not g.never[i]][:max_rows], "units_worst"


def heatmap_view(
    g: board.Grid,
    lang: str,
    max_rows: int = MAX_ROWS,
    sort: str = "worst",
    missing: Mapping[tuple[str, str], int] | None = None,
) -> tuple[str, str]:
    """The readiness heatmap drawn for the wall (from board.grid, on WALL_SCALE): numbers in the
    cells, the number of overdue tasks in a badge in the cell's top right corner and, with a plan in
    force, the number of planned tasks not reported in a hatched badge in its top left one
    (`missing`, charts.cell_counts of 'not_reported'), stale and never-reported rows outlined in red
    with a badge saying since when, '–' where a unit has no task. Returns (html, note)."""
    missing = missing or {}
    rows, kind = pick_rows(g, max_rows, sort)
    never = sum(g.never)
    if kind == "units_worst":
        note = i18n.t("wall_units_worst", lang, shown=len(rows), total=len(g.units))
        if never:
            note += " · " + i18n.t("wall_units_never", lang, n=never)
    else:
        note = i18n.t("wall_units_all", lang, n=len(g.units))
        if sort == "worst":
            note += " · " + i18n.t("sort_worst", lang).lower()
    n = max(1, len(rows))
    # Type from the row height: rows share ~60u (the budget with two banners shown); 2.8u at least.
    fs = max(2.8, min(4.4, 0.62 * 60 / n))
    cols = len(g.columns)
    out = [
        f'<div class="hm" style="--rows:{n};--cols:{cols};--fs:{_u(fs)}">',
        '<div class="hm-corner"></div>',
    ]
    out += [f'<div class="hm-col">{E(c)}</div>' for c in g.columns]
    for i in rows:
        flagged = g.stale[i] or g.never[i]
        name, _, extra = g.labels[i].partition(" · ")
        cls = ("never flag" if g.never[i] else "stale flag") if flagged else ""
        extra_html = f'<span class="hm-note">⚠ {E(extra)}</span>' if extra else ""
        out.append(f'<div class="hm-label {cls}"><span class="hm-unit">{E(name)}</span>{extra_html}</div>')
        for j in range(cols):
            value = g.readiness[i][j]
            flag = " flag" if flagged else ""
            if value is None:
                out.append(f'<div class="hm-cell empty{flag}" style="color:{EMPTY_CELL[1]}">–</div>')
                continue
            bg = readiness_colour(value)
            mark = f'<span class="od">{g.overdue[i][j]}</span>' if g.overdue[i][j] else ""
            if n := missing.get((g.units[i], g.subcommittees[j]), 0):
                mark += f'<span class="nr">{n}</span>'
            out.append(
                f'<div class="hm-cell{flag}" style="background:{bg};color:{charts.ink(bg)}">{value:.0f}{mark}</div>'
            )
    out.append("</div>")
    return "".join(out), note


def heatmap_legend(lang: str, note: str = "", plan: bool = False) -> str:
    """The heatmap's key; with a note (only the least ready units shown), the note takes the place
    of the colour ramp (the numbers are written in the cells anyway); with `plan` (some planned task
    not reported), the not-reported badge too."""
    stops = ", ".join(f"{readiness_colour(v)} {v}%" for v in range(0, 101, 10))
    lead = (
        f'<span class="lg-note">{E(note)}</span>'
        if note
        else '<span class="lg-scale"><span>0%</span>'
        f'<span class="lg-ramp" style="background:linear-gradient(90deg, {stops})"></span><span>100%</span></span>'
    )
    return (
        lead
        + f'<span class="lg-item"><span class="od lg-od">3</span> {E(i18n.t("wall_heatmap_legend_overdue", lang))}</span>'
        + (
            f'<span class="lg-item"><span class="nr lg-nr">2</span> {E(i18n.t("wall_heatmap_legend_not_reported", lang))}</span>'
            if plan
            else ""
        )
        + f'<span class="lg-item"><span class="lg-swatch lg-flag"></span>'
        f"{E(i18n.t('wall_heatmap_legend_stale', lang))}</span>"
        f'<span class="lg-item"><b>–</b> {E(i18n.t("wall_heatmap_legend_empty", lang))}</span>'
    )


def subcommittee_view(subs, lang: str) -> str:
    """Completion by subcommittee, worst readiness on top (as charts.subcommittee_bars): one stacked
    bar of tasks by status each, the counts written under it, the percent large on the right."""
    rows = subs[subs["tasks"] > 0].sort_values("readiness", ascending=True, na_position="first")
    n = max(1, len(rows))
    with_counts = n <= 7
    colours = _bar_colours(subs)
    out = [f'<div class="sb" style="--rows:{n}">']
    for r in rows.itertuples():
        total = sum(_count(r, s) for s in colours)
        segs = []
        for status, (bg, fg) in colours.items():
            count = _count(r, status)
            if not count:
                continue
            share = count / total if total else 0
            text = str(count) if share >= 0.07 else ""
            segs.append(
                f'<div class="sb-seg {status}" style="flex-grow:{count};background:{bg};color:{fg}">{text}</div>'
            )
        counts = ""
        if with_counts:
            parts = [
                f'<span><i class="{s}" style="background:{colours[s][0]}"></i>{_count(r, s)} '
                f"{E(i18n.t(s, lang).lower())}</span>"
                for s in colours
                if _count(r, s)
            ]
            if int(r.overdue):
                parts.append(f'<span class="sb-over">{int(r.overdue)} {E(i18n.t("overdue", lang).lower())}</span>')
            counts = f'<div class="sb-counts">{"".join(parts)}</div>'
        out.append(
            '<div class="sb-row">'
            f'<div class="sb-name">{E(r.short)}</div>'
            f'<div class="sb-barcol"><div class="sb-bar">{"".join(segs)}</div>{counts}</div>'
            f'<div class="sb-pct">{E(i18n.percent(r.readiness, lang, 0))}</div>'
            "</div>"
        )
    out.append("</div>")
    return "".join(out)


def _count(row, status: str) -> int:
    value = getattr(row, status, 0)
    return 0 if value is None or board.is_nan(value) else int(value)


def _bar_colours(subs) -> dict[str, tuple[str, str]]:
    """The statuses a bar is stacked by: the reported ones, then 'not reported' when a plan in force
    has planned tasks nobody reported (as charts.subcommittee_bars: no key for what cannot happen)."""
    if "not_reported" in subs and subs["not_reported"].fillna(0).astype(int).any():
        return {**DARK_STATUS, "not_reported": NOT_REPORTED}
    return dict(DARK_STATUS)


def subcommittee_legend(lang: str, subs=None) -> str:
    colours = DARK_STATUS if subs is None else _bar_colours(subs)
    return "".join(
        f'<span class="lg-item"><span class="lg-swatch {s}" style="background:{bg}"></span>{E(i18n.t(s, lang))}</span>'
        for s, (bg, _) in colours.items()
    )


def risks_view(risks, lang: str, per_page: int = TOP_RISKS) -> tuple[str, list[str]]:
    """Every risk (the `risks` query's order: earliest deadline, then weight) in large type, a page
    of `per_page` at a time: the task first, with its days late, then its owner, unit and
    subcommittee. Returns (html with one .rk-page each, the note of each page)."""
    records = risks.to_dict("records")
    total = len(records)
    pages = [records[k : k + per_page] for k in range(0, total, per_page)] or [[]]
    n = max(1, min(per_page, total))
    out = [f'<div class="rk" style="--rows:{n}">']
    notes = []
    for p, page in enumerate(pages):
        out.append(f'<div class="rk-page{" on" if p == 0 else ""}" data-page="{p}">')
        for r in page:
            out.append(_risk_row(r, lang))
        out.append("</div>")
        first = p * per_page + 1
        note = i18n.t("wall_risks_page", lang, first=first, last=first + len(page) - 1, total=total)
        if len(pages) > 1:
            note += f" · {p + 1}/{len(pages)}"
        notes.append(note)
    out.append("</div>")
    return "".join(out), notes


def _risk_row(r: dict, lang: str) -> str:
    badges = []
    late = r.get("days_late")
    if r.get("overdue") and late is not None and not board.is_nan(late):
        badges.append(f'<span class="rk-badge late">{E(i18n.t("wall_days_late", lang, days=int(late)))}</span>')
    if r.get("status") == "blocked":
        badges.append(f'<span class="rk-badge blocked">{E(i18n.t("blocked", lang))}</span>')
    meta = []
    if r.get("owner") and not board.is_nan(r.get("owner")):
        meta.append(f'<b class="rk-owner">{E(str(r["owner"]))}</b>')
    meta += [E(r["unit"]), E(r["subcommittee_short"])]
    deadline = board.as_date(r.get("deadline"))
    if deadline:
        meta.append(E(i18n.t("wall_due", lang, date=i18n.date(deadline))))
    pct = r.get("percent")
    if pct is not None and not board.is_nan(pct):
        meta.append(E(i18n.number(pct, lang, 0) + "%"))
    if r.get("note") and not board.is_nan(r.get("note")):
        meta.append(f'<span class="rk-note">{E(str(r["note"]))}</span>')
    return (
        '<div class="rk-row">'
        f'<div class="rk-badges">{"".join(badges)}</div>'
        f'<div class="rk-main"><div class="rk-task">{E(str(r["task"]))}</div>'
        f'<div class="rk-meta">{" · ".join(meta)}</div></div>'
        "</div>"
    )


@dataclass(frozen=True)
class Since:
    """What the since view shows: the day compared with (and the meeting held that day, if any), the
    `since` query's rows, the `headline` rows on that day and the `chase` query's rows."""

    day: dt.date
    meeting: str
    changes: object
    head_then: object
    chase: object


def _since_change(change, lang: str) -> str:
    if change is None or board.is_nan(change):
        return '<span class="sn-change none">–</span>'
    if round(float(change), 1) == 0:
        return '<span class="sn-change same">±0</span>'
    arrow, cls = ("▲", "better") if change > 0 else ("▼", "worse")
    return f'<span class="sn-change {cls}">{arrow} {E(i18n.signed(float(change), lang, 1))}</span>'


def since_view(since: Since, head, lang: str, rows: int = SINCE_ROWS) -> str:
    """Since the last meeting: readiness with its change since that day, the units to chase and the
    units that sent nothing since (tiles), and the units whose readiness moved worst (the `since`
    query's unit rows, worst first): then → now, the change, what went wrong."""
    changes = since.changes
    units = [] if changes is None or changes.empty else changes[changes["subcommittee"].isna()].to_dict("records")
    now = next(r for r in head.to_dict("records") if r["period"] == "now")
    then = next((r for r in since.head_then.to_dict("records") if r["period"] == "now"), None)
    value = now["readiness"]
    delta = None
    if then is not None and not board.is_nan(value) and not board.is_nan(then["readiness"]):
        delta = float(value) - float(then["readiness"])
    shown = board.Headline("readiness", i18n.percent(None if board.is_nan(value) else value, lang), delta, False)
    quiet = sum(1 for r in units if r["sent_nothing_since"])
    chase_n = 0 if since.chase is None else len(since.chase)
    word = E(i18n.t("wall_units_word", lang))
    tiles = [
        '<div class="tile" data-key="readiness">'
        f'<div class="t-label">{E(i18n.t("readiness", lang))}</div>'
        f'<div class="t-value" style="font-size:{_u(9)}">{E(shown.value)}</div>{_delta_html(shown, lang)}</div>',
        f'<div class="tile{" warn" if chase_n else ""}" data-key="chase">'
        f'<div class="t-label">{E(i18n.t("meet_to_chase", lang))}</div>'
        f'<div class="t-value" style="font-size:{_u(9)}">{chase_n}</div><div class="t-delta">{word}</div></div>',
        f'<div class="tile{" warn" if quiet else ""}" data-key="sent_nothing">'
        f'<div class="t-label">{E(i18n.t("meet_sent_nothing", lang))}</div>'
        f'<div class="t-value" style="font-size:{_u(9)}">{quiet}/{len(units)}</div>'
        f'<div class="t-delta">{word}</div></div>',
    ]
    lines = []
    for r in units[:rows]:
        meta = []
        if r["sent_nothing_since"]:
            last = board.as_date(r.get("last_report"))
            when = i18n.t("last_report_short", lang, date=i18n.date(last)) if last else i18n.t("since_never", lang)
            meta.append(f'<span class="sn-badge">{E(i18n.t("since_sent_nothing", lang))}</span> {E(when)}')
        for key, cls in (("went_backwards", "bad"), ("became_overdue", "bad"), ("completed", "")):
            n = 0 if board.is_nan(r[key]) else int(r[key])
            if n:
                meta.append(f'<span class="{cls}">{E(i18n.t("since_" + key, lang, n=n))}</span>')
        figures = (
            "–"
            if board.is_nan(r["readiness_now"])
            else f"{E(i18n.percent(_or_none(r['readiness_then']), lang, 0))} → "
            f"{E(i18n.percent(_or_none(r['readiness_now']), lang, 0))}"
        )
        lines.append(
            '<div class="sn-row">'
            f'<div class="sn-line"><span class="sn-unit">{E(r["unit"])}</span>'
            f'<span class="sn-fig">{figures}</span>{_since_change(r["change"], lang)}</div>'
            f'<div class="sn-meta">{" · ".join(meta) or "&nbsp;"}</div>'
            "</div>"
        )
    return (
        f'<div class="sn" style="--rows:{max(1, len(lines))}">'
        f'<div class="sn-tiles">{"".join(tiles)}</div>'
        f'<div class="sn-list"><div class="sn-head">{E(i18n.t("wall_since_worst", lang))}</div>{"".join(lines)}</div>'
        "</div>"
    )


def _or_none(value):
    return None if value is None or board.is_nan(value) else float(value)


def no_data(lang: str) -> str:
    return f'<div class="empty-view">{E(i18n.t("wall_no_data", lang))}</div>'


# ------------------------------------------------------------------ the whole wall
def views_payload(
    *,
    config,
    lang: str,
    views: tuple[str, ...],
    head,
    cells,
    stale,
    subs,
    risks,
    submissions,
    today: dt.date,
    board_now: dt.datetime,
    updated_at: dt.datetime,
    version: int,
    sort: str = "worst",
    since: Since | None = None,
) -> dict:
    """Everything the wall shows for one data version, from the named queries' results (`since`:
    what the since view shows, when it is asked for)."""
    clock = clock_data(config, board_now, updated_at, lang)
    empty = cells is None or cells.empty
    out = []
    for view in views:
        note, legend, notes = "", "", []
        if view == "countdown":
            body = countdown_view(config, board.headline(head, lang), clock, board_now, lang)
            title = i18n.t("wall_countdown_title", lang)
            legend = E(i18n.t("wall_delta_legend", lang))
        elif view == "heatmap":
            title = i18n.t("heatmap_title", lang)
            if empty:
                body = no_data(lang)
            else:
                g = charts.grid_in(board.grid(cells, stale, config, lang), lang, config)
                missing = charts.cell_counts(cells, "not_reported")
                body, note = heatmap_view(g, lang, sort=sort, missing=missing)
                if len(g.units) > MAX_ROWS:  # a long note: under the heatmap, not beside its title
                    legend, note = heatmap_legend(lang, note, plan=bool(missing)), ""
                else:
                    legend = heatmap_legend(lang, plan=bool(missing))
        elif view == "since":
            title = i18n.t("wall_since_title", lang)
            if empty or since is None:
                body = no_data(lang)
            else:
                body = since_view(since, head, lang)
                ref = f" ({since.meeting})" if since.meeting else ""
                note = i18n.t("wall_since_note", lang, date=i18n.date(since.day), ref=ref)
                legend = E(i18n.t("wall_since_legend", lang, date=i18n.date_short(since.day)))
        elif view == "subcommittees":
            title = i18n.t("subcommittee_title", lang)
            if empty or subs is None or not (subs["tasks"] > 0).any():
                body = no_data(lang)
            else:
                body = subcommittee_view(charts.subs_in(subs, lang, config), lang)
                legend = subcommittee_legend(lang, subs)
        else:
            title = i18n.t("risks_title", lang)
            if empty:
                body = no_data(lang)
            elif risks is None or (risks := board.open_risks(risks)).empty:
                body = f'<div class="empty-view ok">{E(i18n.t("no_risks", lang))}</div>'
            else:
                body, notes = risks_view(charts.risks_in(risks, lang, config), lang)
                note = notes[0]
        out.append({"id": view, "title": title, "note": note, "legend": legend, "html": body, "pages": notes or [note]})
    newest = newest_report(submissions)
    banners = []
    if data_is_old(newest, today, config.report_interval_days):
        banners.append(
            {
                "kind": "stale",
                "text": i18n.t("wall_stale_banner", lang, date=i18n.date(newest), interval=config.report_interval_days),
            }
        )
    return {
        "version": version,
        "lang": lang,
        "name": config.name,
        "views": out,
        "banners": banners,
        "newest_report": newest.isoformat() if newest else None,
        "updated": i18n.t("wall_updated", lang, time=f"{updated_at:%H:%M:%S}"),
        "offline": i18n.t("wall_offline_banner", lang, time="{time}"),
        "offline_after_s": OFFLINE_AFTER_S,
        "pages_per_turn": PAGES_PER_TURN,
    }


def wall_data(
    *,
    config,
    opts: Options,
    query,
    query_on,
    today: dt.date,
    board_now: dt.datetime,
    real_now: dt.datetime,
    version: int,
) -> dict:
    """The wall's views for one data version from the named queries (`query(name, **params)`, and
    `query_on(day, name)` for the figures as counted on an earlier day): what the Streamlit page and the
    lean page (wall/server.py) both draw."""
    since = None
    if "since" in opts.views:  # its queries only when the view is asked for
        day = meeting.last_meeting(config, today)
        held = meeting.previous_meeting(config, today)
        since = Since(
            day=day,
            meeting=i18n.milestone_name(held, opts.lang) if held and held.day == day else "",
            changes=query("since", since=day),
            head_then=query_on(day, "headline"),
            chase=query("chase"),
        )
    return views_payload(
        config=config,
        lang=opts.lang,
        views=opts.views,
        head=query("headline"),
        cells=query("heatmap"),
        stale=query("stale"),
        subs=query("subcommittees"),
        risks=query("risks"),
        submissions=query("submissions"),
        today=today,
        board_now=board_now,
        updated_at=real_now,
        version=version,
        sort=opts.sort,
        since=since,
    )


def asset(name: str) -> str:
    """A file of wall/assets/ (the wall's JavaScript and CSS), read again only when it changed."""
    path = ASSETS / name
    return _read(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> str:
    return path.read_text(encoding="utf-8")
