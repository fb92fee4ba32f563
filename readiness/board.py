"""What the board pages show, computed from the store through named queries. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from .config import Config, Milestone


@dataclass
class Countdown:
    days: int
    hours: int
    passed: bool
    phase: Milestone | None
    next: Milestone | None


def countdown(config: Config, now: dt.datetime) -> Countdown:
    """Days and hours to D-day, the current phase (last milestone passed) and the next milestone."""
    delta = config.d_day - now
    passed = delta.total_seconds() < 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    phase = None
    nxt = None
    for m in config.milestones:
        if m.date <= now:
            phase = m
        elif nxt is None:
            nxt = m
    return Countdown(days, rest // 3600, passed, phase, nxt)


@dataclass
class Headline:
    key: str
    value: str
    delta: float | None  # change since a week earlier, None when there is nothing to compare
    worse_when_up: bool


def headline(figures, lang: str = "vi") -> list[Headline]:
    """The headline figures (now and a week earlier, from the `headline` query) with their changes."""
    from .i18n import number, percent

    rows = {r["period"]: r for r in figures.to_dict("records")}
    now, ago = rows["now"], rows.get("week_ago")

    def delta(key):
        if ago is None or now[key] is None or ago[key] is None or is_nan(now[key]) or is_nan(ago[key]):
            return None
        return float(now[key]) - float(ago[key])

    return [
        Headline(
            "readiness",
            percent(None if is_nan(now["readiness"]) else now["readiness"], lang),
            delta("readiness"),
            False,
        ),
        Headline("units_reported", f"{now['reported']}/{now['units']}", delta("reported"), False),
        Headline("stale", number(now["stale"], lang), delta("stale"), True),
        Headline("never_reported", number(now["never_reported"], lang), delta("never_reported"), True),
        Headline("overdue", number(now["overdue"], lang), delta("overdue"), True),
        Headline("blocked", number(now["blocked"], lang), delta("blocked"), True),
    ]


def is_nan(x) -> bool:
    return x is None or (isinstance(x, float) and x != x)


@dataclass
class Grid:
    """The heatmap as rows (units) by columns (subcommittees), ready to draw."""

    units: list[str]
    labels: list[str]  # row labels: the unit, with its last report date when stale
    columns: list[str]  # subcommittee short names
    subcommittees: list[str]  # full names, same order
    readiness: list[list[float | None]]
    text: list[list[str]]
    hover: list[list[str]]
    stale: list[bool]
    never: list[bool]
    overdue: list[list[int]]
    tasks: list[list[int]] = field(default_factory=list)  # tasks counted in each cell (0: none)
    notes: list[str] = field(default_factory=list)  # what the label adds to the unit: last report, none yet


def grid(cells, stale, config: Config, lang: str = "vi") -> Grid:
    """Build the heatmap: units in config order (city level, then communes), subcommittees in config
    order; a cell with no task stays empty ('–'), never 0; the number of overdue tasks of each cell
    apart from its text; stale units and units that never reported are flagged with their last report."""
    from .i18n import date, date_short, t

    decimal = "," if lang == "vi" else "."
    words = {k: t(k, lang) for k in ("readiness", "tasks", "done", "overdue", "blocked", "last_report")}
    by_cell = {}
    for unit, sub, readiness, tasks, done, overdue, blocked, last in zip(
        cells["unit"],
        cells["subcommittee"],
        cells["readiness"],
        cells["tasks"],
        cells["done"],
        cells["overdue"],
        cells["blocked"],
        cells["last_report"],
        strict=True,
    ):
        by_cell[(unit, sub)] = (readiness, tasks, done, overdue, blocked, last)
    stale_units = {r["unit"]: r for r in stale.to_dict("records")}
    units = [u.name for u in config.units if u.level == "city"] + [u.name for u in config.units if u.level == "commune"]
    subs = list(config.subcommittees)
    g = Grid(units, [], [s.short for s in subs], [s.name for s in subs], [], [], [], [], [], [])
    for unit in units:
        info = stale_units.get(unit)
        never = bool(info and info["never_reported"])
        is_stale = bool(info) and not never
        note = ""
        if never:
            note = t("no_report_yet", lang)
        elif info is not None and is_stale:
            note = t("last_report_short", lang, date=date_short(as_date(info["last_report"])))
        g.notes.append(note)
        g.labels.append(f"{unit} · {note}" if note else unit)
        g.stale.append(is_stale)
        g.never.append(never)
        row_z: list[float | None] = []
        row_text, row_hover, row_over, row_tasks = [], [], [], []
        for s in subs:
            c = by_cell.get((unit, s.name))
            if c is None or is_nan(c[0]):
                row_z.append(None)
                row_text.append("–")
                row_hover.append(f"<b>{unit}</b><br>{s.short}: –")
                row_over.append(0)
                row_tasks.append(0)
                continue
            readiness, tasks, done, overdue, blocked, last = c
            row_z.append(float(readiness))
            row_text.append(f"{readiness:.0f}")
            row_over.append(int(overdue))
            row_tasks.append(int(tasks))
            row_hover.append(
                f"<b>{unit}</b><br>{s.name}<br>{words['readiness']}: {readiness:.1f}".replace(".", decimal) + "%<br>"
                f"{words['tasks']}: {tasks} · {words['done']}: {done}<br>"
                f"{words['overdue']}: {overdue} · {words['blocked']}: {blocked}<br>"
                f"{words['last_report']}: {date(as_date(last))}"
            )
        g.readiness.append(row_z)
        g.text.append(row_text)
        g.hover.append(row_hover)
        g.overdue.append(row_over)
        g.tasks.append(row_tasks)
    return g


def unit_readiness(g: Grid, i: int) -> float | None:
    """A row's readiness: its cells' readiness weighted by their number of tasks (None: no task)."""
    counts = g.tasks[i] if g.tasks else [1] * len(g.readiness[i])
    pairs = [(v, n or 1) for v, n in zip(g.readiness[i], counts, strict=True) if v is not None]
    total = sum(n for _, n in pairs)
    return sum(v * n for v, n in pairs) / total if total else None


def worst_cell(g: Grid, i: int) -> int | None:
    """The column of a row's least ready subcommittee (the first of equals), None when it has no task."""
    cells = [(v, j) for j, v in enumerate(g.readiness[i]) if v is not None]
    return min(cells)[1] if cells else None


def worst_first(g: Grid) -> list[int]:
    """Row order for "worst first": units that never reported (nothing known) first, then the least
    ready; equals keep the config order. Stale units sort by their readiness (and are marked)."""

    def key(i: int):
        score = unit_readiness(g, i)
        return (0 if g.never[i] or score is None else 1, score if score is not None else 0.0, i)

    return sorted(range(len(g.units)), key=key)


def take_rows(g: Grid, rows: list[int]) -> Grid:
    """The grid with only these rows, in this order."""
    per_column = ("columns", "subcommittees")

    def part(name: str) -> list:
        values = getattr(g, name)
        return list(values) if name in per_column else [values[i] for i in rows] if values else []

    return Grid(**{f.name: part(f.name) for f in fields(Grid)})


def open_risks(risks):
    """The `risks` query's rows without the finished ones: a task at 100% is never late (a blocked
    one at 100% stays, as blocked, without days late). Same columns and order."""
    finished = (risks["status"] == "done") | (risks["percent"].fillna(0) >= 100)
    out = risks[~finished | (risks["status"] == "blocked")].copy()
    done = out["percent"].fillna(0) >= 100
    if done.any():
        out.loc[done, "overdue"] = False
        out.loc[done, "days_late"] = None
    return out.reset_index(drop=True)


def as_date(value) -> dt.date | None:
    if value is None or is_nan(value) or value != value:
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@dataclass
class Projection:
    rate_per_week: float | None  # readiness points per week over recent reports
    on_d_day: float | None  # projected readiness on D-day, capped at 100
    short: bool  # falls short of 100% on D-day
    line: list[tuple[dt.date, float]]  # from the last point to D-day, for drawing


def projection(days: list[dt.date], values: list[float], d_day: dt.date, recent: int = 4) -> Projection:
    """A straight line through the last few report dates of the aggregate, extended to D-day."""
    points = [(d, v) for d, v in zip(days, values, strict=True) if v is not None and not is_nan(v)][-recent:]
    if len(points) < 2 or points[-1][0] == points[0][0]:
        return Projection(None, None, False, [])
    xs = [(d - points[0][0]).days for d, _ in points]
    ys = [v for _, v in points]
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    last_day, last_value = points[-1]
    at_d = last_value + slope * (d_day - last_day).days
    at_d = max(0.0, min(100.0, at_d))
    return Projection(slope * 7, at_d, at_d < 99.95, [(last_day, last_value), (d_day, at_d)])


def filter_tasks(tasks, units=(), statuses=(), overdue_only: bool = False, search: str = ""):
    """The task table's filters: units, statuses, overdue only, and a search in task, owner and note
    that ignores case and diacritics."""
    from .text import fold_words

    out = tasks
    if units:
        out = out[out["unit"].isin(list(units))]
    if statuses:
        out = out[out["status"].isin(list(statuses))]
    if overdue_only:
        out = out[out["overdue"].fillna(False).astype(bool)]
    needle = fold_words(search)
    if needle:
        hay = (out["task"].fillna("") + " " + out["owner"].fillna("") + " " + out["note"].fillna("")).map(fold_words)
        out = out[hay.str.contains(needle, regex=False)]
    return out
