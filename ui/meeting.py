"""The coordination meeting page's glue (Họp giao ban): the day compared with, what changed since it
(the `since` query), the forecast to D-day (`forecast`), who to chase with a message to copy (`chase`
and readiness.meeting) and the brief (readiness.brief), built on a click with its progress shown."""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pandas as pd
import streamlit as st

from readiness import brief, export, i18n, meeting

from .copy import copy_button
from .state import data_version, lang, query, query_on, t
from .tables import literal

SINCE = "meet_since"  # the date picker's key
QUICK = "meet_quick"  # the quick choices' key
WEEK = "week"  # the quick choice of a week ago
_BRIEFS = "meet_briefs"  # session_state: (format, since, data version, today, lang) -> the brief's bytes


def _missing(value) -> bool:
    return value is None or (not isinstance(value, list | tuple | str) and bool(pd.isna(value)))


def _pct(value, decimals: int = 1) -> str:
    return "–" if _missing(value) else i18n.percent(float(value), lang(), decimals)


def _day(value) -> dt.date | None:
    if _missing(value):
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _count(value) -> int:
    return 0 if _missing(value) else int(value)


# ---------------------------------------------------------------- the day compared with


def choices(config, today: dt.date) -> dict[str, dt.date]:
    """The quick choices of the day to compare with: each meeting held before today, then a week ago
    (unless a meeting was held that day)."""
    out = {f"m{i}": m.day for i, m in enumerate(config.meetings) if m.day < today}
    week = today - dt.timedelta(days=meeting.DEFAULT_SINCE_DAYS)
    if week not in out.values():  # a meeting a week ago is offered by its name
        out[WEEK] = week
    return out


def _matching(options: dict[str, dt.date], day) -> str | None:
    return next((key for key, d in options.items() if d == day), None)


def since_picker(config, today: dt.date) -> dt.date:
    """'Từ ngày': a date picker opening on the last meeting before today, with the meetings held (and
    a week ago) as quick choices; a choice sets the date, a date typed lights the choice it matches."""
    options = choices(config, today)
    state = st.session_state
    if state.get(SINCE) is None:
        state[SINCE] = meeting.last_meeting(config, today)
    if QUICK not in state:
        state[QUICK] = _matching(options, state[SINCE])

    def picked() -> None:
        if state[QUICK] is not None:
            state[SINCE] = options[state[QUICK]]

    def typed() -> None:
        state[QUICK] = _matching(options, state[SINCE])

    def label(key: str) -> str:
        if key == WEEK:
            return f"{t('meet_week_ago')} · {i18n.date_short(options[key])}"
        held = config.meetings[int(key[1:])]
        return f"{i18n.milestone_name(held, lang())} · {i18n.date_short(held.day)}"

    left, right = st.columns([1, 3], vertical_alignment="bottom")
    left.date_input(
        t("meet_since"), key=SINCE, max_value=today, format="DD/MM/YYYY", help=t("meet_since_help"), on_change=typed
    )
    right.pills(t("meet_quick"), list(options), format_func=label, key=QUICK, on_change=picked)
    return state[SINCE] or meeting.last_meeting(config, today)


def compare_line(config, today: dt.date, since: dt.date) -> None:
    """Which days are compared, the meeting the day is, and the next meeting."""
    held = [m for m in config.meetings if m.day == since]
    ref = f" — {i18n.milestone_name(held[-1], lang())}" if held else ""
    line = t("meet_compare", today=i18n.date(today), since=i18n.date(since), ref=ref)
    upcoming = meeting.next_meeting(config, today)
    if upcoming is not None:
        line += " " + t(
            "meet_next",
            name=i18n.milestone_name(upcoming, lang()),
            time=f"{upcoming.date:%H:%M}",
            date=i18n.date(upcoming.day),
        )
    st.caption(line)


# ---------------------------------------------------------------- the figures at the top


def _now(headline) -> dict:
    return next(r for r in headline.to_dict("records") if r["period"] == "now")


def figures(since: dt.date, changes, forecast, chase) -> None:
    """Readiness and overdue tasks with their change since the day, the units that sent nothing since,
    the cells projected short on D-day, the units to chase. Two by two on a phone (overview's CSS)."""
    now, then = _now(query("headline")), _now(query_on(since, "headline"))
    units = changes[changes["subcommittee"].isna()]
    quiet = int(units["sent_nothing_since"].fillna(False).astype(bool).sum())
    misses = int(forecast["misses_d_day"].fillna(False).astype(bool).sum()) if not forecast.empty else 0
    against = t("meet_vs_since", date=i18n.date(since))

    def delta(key: str, decimals: int) -> str | None:
        if _missing(now[key]) or _missing(then[key]):
            return None
        return i18n.signed(float(now[key]) - float(then[key]), lang(), decimals) or "0"

    with st.container(key="figures"):
        c = st.columns(5)
        c[0].metric(
            t("readiness"),
            _pct(now["readiness"]),
            delta=delta("readiness", 1),
            help=against,
            border=True,
            height="stretch",
        )
        c[1].metric(
            t("overdue"),
            i18n.number(now["overdue"], lang()),
            delta=delta("overdue", 0),
            delta_color="inverse",
            help=against,
            border=True,
            height="stretch",
        )
        c[2].metric(
            t("meet_sent_nothing"),
            f"{quiet}/{len(units)}",
            help=t("meet_sent_nothing_help", date=i18n.date(since)),
            border=True,
            height="stretch",
        )
        c[3].metric(t("meet_misses"), misses, help=t("meet_misses_help"), border=True, height="stretch")
        c[4].metric(t("meet_to_chase"), len(chase), help=t("meet_to_chase_help"), border=True, height="stretch")


# ---------------------------------------------------------------- since the day


def change_text(change) -> str:
    """A change of readiness, coloured, with its sign and arrow: ':green[**▲ +4,2**]'."""
    if _missing(change):
        return ""
    value = float(change)
    if round(value, 1) == 0:
        return ":gray[±0]"
    arrow, colour = ("▲", "green") if value > 0 else ("▼", "red")
    return f":{colour}[**{arrow} {i18n.signed(value, lang(), 1)}**]"


def moved(row: dict) -> list[str]:
    """A since row's figures: readiness then → now with the change, then what moved since."""
    if _missing(row["readiness_then"]) and _missing(row["readiness_now"]):
        parts = ["–"]
    else:
        parts = [f"{_pct(row['readiness_then'])} → {_pct(row['readiness_now'])} {change_text(row['change'])}".rstrip()]
    if _count(row["completed"]):
        parts.append(t("since_completed", n=_count(row["completed"])))
    if _count(row["became_overdue"]):
        parts.append(f":orange[{t('since_became_overdue', n=_count(row['became_overdue']))}]")
    if _count(row["went_backwards"]):
        parts.append(f":red[{t('since_went_backwards', n=_count(row['went_backwards']))}]")
    return parts


def unit_label(row: dict) -> str:
    """A unit's line of the since list: readiness then → now and the change, what moved, and a badge
    when it sent nothing since."""
    label = " · ".join([f"**{literal(row['unit'])}**", *moved(row)])
    if row["sent_nothing_since"]:
        last = _day(row["last_report"])
        when = t("last_report_short", date=i18n.date(last)) if last else t("since_never")
        label += f" :red-badge[{t('since_sent_nothing')}] :gray[{when}]"
    return label


def cell_lines(cells, config) -> str:
    """A unit's subcommittees, one line each as the unit's own (a list, not a table: it never
    scrolls sideways on a phone)."""
    return "\n".join(
        "- " + " · ".join([f"**{i18n.sub_short(r['subcommittee'], lang(), config)}**", *moved(r)])
        for r in cells.to_dict("records")
    )


def since_list(changes, since: dt.date, config) -> None:
    """Each unit, worst first (the query's order), with its readiness then and now and what moved;
    open one for its subcommittees. The units that sent nothing since are named first."""
    st.caption(t("since_help", since=i18n.date(since)))
    units = changes[changes["subcommittee"].isna()]
    cells = changes[changes["subcommittee"].notna()]
    quiet = units[units["sent_nothing_since"].fillna(False).astype(bool)]["unit"].tolist()
    if quiet:
        st.markdown(t("since_quiet", n=len(quiet), since=i18n.date(since), units=", ".join(literal(u) for u in quiet)))
    else:
        st.markdown(t("since_all_sent", since=i18n.date(since)))
    for row in units.to_dict("records"):
        with st.expander(unit_label(row), key=f"since_{row['unit']}"):
            mine = cells[cells["unit"] == row["unit"]]
            if mine.empty:
                st.caption(t("since_no_tasks"))
            else:
                st.markdown(cell_lines(mine, config))


# ---------------------------------------------------------------- the forecast


def misses(forecast) -> pd.DataFrame:
    """The cells projected short of 100% on D-day or at the next milestone: the largest gap on D-day
    first (the query's order), then those short only at the milestone, the largest gap there first."""
    if forecast.empty:
        return forecast
    d_day = forecast["misses_d_day"].fillna(False).astype(bool)
    milestone = forecast["misses_milestone"].fillna(False).astype(bool)
    short = forecast[d_day | milestone].assign(
        _gap=forecast["gap"].fillna(0), _milestone_gap=100 - forecast["projected_at_milestone"].fillna(100)
    )
    return short.sort_values(["_gap", "_milestone_gap"], ascending=False, kind="stable").drop(
        columns=["_gap", "_milestone_gap"]
    )


def _projection(row: dict, column: str) -> str:
    """A projected readiness, or why there is none (fewer than two reports)."""
    if row["reason"] in ("one_report", "no_report"):
        return t(f"forecast_{row['reason']}")
    return _pct(row[column])


def _completion(row: dict) -> str:
    if row["reason"] == "complete":
        return t("forecast_complete", date=i18n.date(_day(row["projected_completion"])))
    if row["reason"] == "flat":
        return t("forecast_flat")
    day = _day(row["projected_completion"])
    return i18n.date(day) if day else ""


def forecast_view(rows, config) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The forecast as the page shows it: every figure as text in the language (a cell with fewer
    than two reports says so where its projection would be). Returns the frame and the CSS of the
    projections that fall short (red on D-day, orange at the milestone), by column."""
    d_day = config.d_day.date()
    records = rows.to_dict("records")
    milestone = next((r for r in records if not _missing(r["next_milestone"])), None)
    d_day_col = t("col_d_day", date=i18n.date_short(d_day))
    # The answer first (the projections), then what it is drawn from: a phone sees the first columns.
    out = {
        t("unit"): [r["unit"] for r in records],
        t("subcommittee"): [i18n.sub_short(r["subcommittee"], lang(), config) for r in records],
        d_day_col: [_projection(r, "projected_on_d_day") for r in records],
        t("col_gap"): [
            i18n.number(r["gap"], lang(), 1) if not _missing(r["gap"]) and r["gap"] > 0 else "" for r in records
        ],
    }
    styles = {d_day_col: [SHORT_D_DAY if r["misses_d_day"] is True else "" for r in records]}
    if milestone is not None:
        name = _milestone_name(config, milestone["next_milestone"])
        head = t("col_milestone", name=name, date=i18n.date_short(_day(milestone["next_milestone_date"])))
        out[head] = [_projection(r, "projected_at_milestone") for r in records]
        styles[head] = [SHORT_MILESTONE if r["misses_milestone"] is True else "" for r in records]
    out[t("col_completion")] = [_completion(r) for r in records]
    out[t("col_now")] = [_pct(r["readiness"]) for r in records]
    out[t("col_rate")] = [
        "" if _missing(r["rate_per_week"]) else i18n.signed(r["rate_per_week"], lang(), 1) for r in records
    ]
    out[t("col_reports")] = [str(_count(r["reports"])) for r in records]
    return pd.DataFrame(out), styles


SHORT_D_DAY = "color: #b3261e; font-weight: 600"
SHORT_MILESTONE = "color: #a3510b"


def miss_lines(short, config) -> str:
    """The cells projected short as a phone reads them: one line each, the projections first."""
    view, _ = forecast_view(short, config)
    d_day_col, gap_col = view.columns[2], view.columns[3]
    lines = []
    for r, miss in zip(view.to_dict("records"), short.to_dict("records"), strict=True):
        value = f":red[**{r[d_day_col]}**]" if miss["misses_d_day"] is True else r[d_day_col]
        bits = [f"{d_day_col}: {value}" + (f" (−{r[gap_col]})" if r[gap_col] else "")]
        bits += [f"{col}: {r[col]}" for col in view.columns[4:-3] if r[col]]
        lines.append(f"- **{literal(r[t('unit')])}** · {r[t('subcommittee')]}  \n  " + " · ".join(bits))
    return "\n".join(lines)


def _milestone_name(config, name: str) -> str:
    """A milestone's name in the language (the config's `name_en` in English)."""
    found = next((m for m in config.milestones if m.name == name), None)
    return i18n.milestone_name(found, lang()) if found is not None else name


def forecast_table(rows, config, key: str, max_rows: int = 20) -> None:
    """The forecast's rows as a table, numbers to the right; it scrolls past `max_rows`."""
    view, styles = forecast_view(rows, config)
    styled = view.style
    for column, css in styles.items():
        styled = styled.apply(lambda _, css=css: css, subset=[column])
    right = st.column_config.TextColumn(alignment="right")
    numbers = [c for c in view.columns[2:] if c != t("col_completion")]
    st.dataframe(
        styled,
        hide_index=True,
        width="stretch",
        height=38 + 35 * min(len(view), max_rows),
        key=key,
        column_config={t("unit"): st.column_config.TextColumn(width="medium"), **dict.fromkeys(numbers, right)},
    )


def forecast_section(forecast, config) -> None:
    """How the forecast is made, the cells projected short (by the gap), those with too few reports,
    then every unit and subcommittee in the config's order."""
    first = forecast.iloc[0] if not forecast.empty else None
    milestone = ""
    if first is not None and not _missing(first["next_milestone"]):
        milestone = t(
            "forecast_milestone",
            name=_milestone_name(config, first["next_milestone"]),
            date=i18n.date(_day(first["next_milestone_date"])),
        )
    st.caption(t("forecast_fit", d_day=i18n.date(config.d_day.date()), milestone=milestone))
    short = misses(forecast)
    st.markdown(f"#### {t('forecast_misses_title', n=len(short))}")
    if short.empty:
        st.success(t("forecast_no_misses"))
    else:
        st.caption(t("forecast_misses_help"))
        with st.container(key="wide_only_misses"):
            forecast_table(short, config, key="forecast_misses")
        with st.container(key="phone_only_misses"):
            st.markdown(miss_lines(short, config))
    for reason in ("one_report", "no_report"):  # no line from fewer than two reports: say whose
        cells = [
            f"{literal(r['unit'])} · {i18n.sub_short(r['subcommittee'], lang(), config)}"
            for r in forecast[forecast["reason"] == reason].to_dict("records")
        ]
        if cells:
            st.caption(t("forecast_too_few", reason=t(f"forecast_{reason}"), cells="; ".join(cells)))
    st.markdown(f"#### {t('forecast_all_title')}")
    units = {u.name: i for i, u in enumerate(config.units)}
    subs = {s.name: i for i, s in enumerate(config.subcommittees)}
    ordered = forecast.assign(_u=forecast["unit"].map(units), _s=forecast["subcommittee"].map(subs))
    forecast_table(ordered.sort_values(["_u", "_s"], kind="stable").drop(columns=["_u", "_s"]), config, "forecast_all")


# ---------------------------------------------------------------- who to chase


def where() -> meeting.Where:
    """Where a chased unit sends its report: the upload page at the address this browser reached the
    board by (so the link works for the unit too), else the page's path."""
    url = getattr(st.context, "url", None)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return meeting.Where()
    parts = urllib.parse.urlsplit(url)
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return meeting.Where(f"{parts.scheme}://{parts.netloc}{'/' + base if base else ''}{meeting.UPLOAD_PAGE}")


CSV_COLUMNS = {
    "unit": "unit",
    "level": "col_level",
    "contact": "col_contact",
    "phone": "col_phone",
    "never_reported": "never_reported",
    "stale": "stale",
    "last_report": "last_report",
    "days_since": "col_days_since",
    "report_due": "col_report_due",
    "overdue": "overdue",
    "not_reported": "col_not_reported",
    "blocked": "blocked",
    "earliest_deadline": "col_earliest_deadline",
    "most_days_late": "col_most_days_late",
    "overdue_tasks": "col_overdue_tasks",
    "not_reported_tasks": "col_not_reported_tasks",
    "message": "col_message",
}


def chase_csv(chase, config, today: dt.date, language: str, to: meeting.Where) -> bytes:
    """The chase list as a CSV for Excel (UTF-8 with its BOM): Vietnamese headers (English ones in
    English), one row a unit, its message last; text inert (export.csv_text)."""
    frame = meeting.chase_frame(chase, config, today, language, to)
    if frame.empty:
        frame = pd.DataFrame(columns=list(CSV_COLUMNS))
    frame["level"] = frame["level"].map(lambda level: i18n.t(f"level_{level}", language))
    for col in ("never_reported", "stale"):
        frame[col] = frame[col].map(lambda yes: i18n.t("yes", language) if yes else "")
    for col in ("days_since", "overdue", "not_reported", "blocked", "most_days_late"):
        frame[col] = pd.to_numeric(frame[col]).astype("Int64")
    frame = frame[list(CSV_COLUMNS)].rename(columns={k: i18n.t(v, language) for k, v in CSV_COLUMNS.items()})
    return ("\ufeff" + export.csv_text(frame)).encode("utf-8")


def _tel(phone: str) -> str:
    """A phone number as a tel: address (digits and a leading +)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return ("+" if phone.strip().startswith("+") else "") + digits


def chase_head(row: dict) -> str:
    """The unit, and what it is chased for, as badges."""
    badges = []
    if row["never_reported"]:
        badges.append(f":red-badge[{t('never_reported')}]")
    elif row["stale"]:
        badges.append(f":orange-badge[{t('chase_stale', date=i18n.date(_day(row['last_report'])))}]")
    if _count(row["overdue"]):
        badges.append(f":orange-badge[{t('n_overdue', n=_count(row['overdue']))}]")
    if _count(row["not_reported"]):
        badges.append(f":violet-badge[{t('n_not_reported', n=_count(row['not_reported']))}]")
    if _count(row["blocked"]):
        badges.append(f":gray-badge[{_count(row['blocked'])} {t('blocked').lower()}]")
    return f"**{literal(row['unit'])}**  \n" + " ".join(badges)


def contact_line(row: dict) -> str:
    """The contact and a phone number that dials when tapped (tel:)."""
    bits = []
    if not _missing(row.get("contact")) and str(row["contact"]).strip():
        bits.append(literal(row["contact"]))
    if not _missing(row.get("phone")) and str(row["phone"]).strip():
        bits.append(f"☎ [{literal(row['phone'])}](tel:{_tel(str(row['phone']))})")
    return " · ".join(bits) if bits else f":gray[{t('chase_no_contact')}]"


# The message on a tinted ground, so it reads as the text that is sent.
MESSAGE_CSS = """<style>
[class*="st-key-chase_message_"] [data-testid="stText"] {
  background: rgba(128, 128, 128, 0.08); padding: 0.6rem 0.8rem; border-radius: 0.5rem;
}
</style>"""


def chase_section(chase, config, today: dt.date) -> None:
    """Each unit to chase, worst first: why, its contact and phone, the message ready to send with a
    button that copies it; the whole list as a CSV."""
    to = where()
    rows = meeting.with_messages(chase, config, today, lang(), to)
    if not rows:
        st.success(t("chase_none"))
        return
    text, button = st.columns([3, 1], vertical_alignment="center")
    text.caption(t("chase_help", n=len(rows)))
    button.download_button(
        t("chase_csv"),
        data=chase_csv(chase, config, today, lang(), to),
        file_name=f"{t('chase_file', date=f'{today:%d-%m-%Y}')}.csv",
        mime="text/csv",
        key="chase_csv",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )
    st.html(MESSAGE_CSS)
    for i, row in enumerate(rows):
        with st.container(border=True, key=f"chase_{i}"):
            who, message = st.columns([2, 3])
            who.markdown(chase_head(row))
            who.markdown(contact_line(row))
            with message, st.container(key=f"chase_message_{i}", gap="small"):
                st.text(row["message"])
                copy_button(row["message"], key=f"copy_{i}")


# ---------------------------------------------------------------- the brief


def brief_section(store, today: dt.date, since: dt.date) -> None:
    """Three buttons building the brief (PDF, DOCX, XLSX) with a progress bar, then offering it for
    download. Built only on a click; the bytes are kept for the session until the day compared with,
    the data or the language changes, so a rerun (a new report, another tab) never rebuilds them."""
    st.caption(t("brief_help", since=i18n.date(since)))
    stamp = (since, data_version(), today, lang())
    kept = {k: v for k, v in st.session_state.get(_BRIEFS, {}).items() if k[1:] == stamp}
    st.session_state[_BRIEFS] = kept
    columns = st.columns(len(brief.FORMATS))
    progress = st.empty()
    for fmt, col in zip(brief.FORMATS, columns, strict=True):
        name = fmt.upper()
        if col.button(t("brief_build", fmt=name), key=f"brief_{fmt}", width="stretch", icon=":material/description:"):
            bar = progress.progress(0.0, text=t("brief_step_queries"))

            def told(fraction: float, step: str, bar=bar) -> None:
                key = f"brief_step_{step}"
                bar.progress(max(0.0, min(1.0, fraction)), text=t(key) if key in i18n.STRINGS else step)

            try:
                kept[(fmt, *stamp)] = brief.build_brief(store, today, since, fmt, lang(), progress=told)
            except Exception as exc:  # a brief that cannot be built says why; the page goes on
                progress.error(t("brief_failed", detail=f"{type(exc).__name__}: {exc}"[:300]))
                continue
            progress.empty()
        data = kept.get((fmt, *stamp))
        if data is not None:
            col.download_button(
                t("brief_download", fmt=name, size=i18n.number(len(data) / 1024, lang(), 0)),
                data=data,
                file_name=f"{t('brief_file', date=f'{today:%d-%m-%Y}')}.{fmt}",
                mime=brief.MEDIA_TYPES[fmt],
                key=f"brief_download_{fmt}",
                type="primary",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )
