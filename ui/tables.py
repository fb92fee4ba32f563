"""The tables the pages share: tasks, files received, what changed, messages."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from readiness import i18n

from .state import lang, store, t


def status_label(status: str) -> str:
    return t(status)


def statuses(tasks) -> list[str]:
    """The statuses a filter offers: every reported one, and 'not reported' where a plan in force
    has tasks nobody reported."""
    extra = ["not_reported"] if "status" in tasks and (tasks["status"] == "not_reported").any() else []
    return [*i18n.STATUS_KEYS, *extra]


def _sub_name(name):
    return i18n.sub_name(name, lang(), store().config)


TASK_COLUMNS = ("unit", "subcommittee_short", "task", "status", "percent", "deadline", "days_late", "owner", "note")


def task_table(df, show_unit: bool, key: str, columns: tuple[str, ...] = TASK_COLUMNS) -> None:
    """Tasks as the committee reads them: Vietnamese headers, dd/mm/yyyy, overdue first glance.
    `columns`: which of the query's columns to show, in order (those it lacks are left out)."""
    view = df.copy()
    if view.empty:  # Streamlit would draw an empty grid reading "empty", in English
        st.caption(t("no_rows"))
        return
    shown = [c for c in columns if c in view.columns and (show_unit or c != "unit")]
    formats = {
        "status": status_label,
        "subcommittee_short": _sub_name,
        "deadline": lambda d: "" if pd.isna(d) else i18n.date(d.date()),
        "days_late": lambda n: "" if pd.isna(n) else str(int(n)),
        "percent": lambda p: "" if pd.isna(p) else i18n.number(p, lang(), 0) + "%",
        "weight": lambda w: "" if pd.isna(w) else i18n.number(w, lang(), 0 if float(w).is_integer() else 1),
    }
    for col in shown:
        if col in formats:
            view[col] = view[col].map(formats[col])
        elif col in ("owner", "note", "code"):
            view[col] = view[col].fillna("")
    names = {
        "unit": t("unit"),
        "subcommittee_short": t("subcommittee"),
        "code": t("code"),
        "task": t("task"),
        "status": t("status"),
        "percent": t("percent"),
        "deadline": t("deadline"),
        "days_late": t("days_late"),
        "weight": t("weight"),
        "owner": t("owner"),
        "note": t("note"),
    }
    st.dataframe(view[shown].rename(columns=names), hide_index=True, width="stretch", key=key)


def submissions_table(df, key: str) -> None:
    """A unit's files, with their answer and which one counts."""
    _files_table(
        df,
        key,
        [
            "received_at",
            "report_date",
            "status",
            "tasks",
            "n_errors",
            "n_warnings",
            "source",
            "original_name",
            "current",
        ],
    )


def diff_table(df, key: str) -> None:
    """Tasks that moved, appeared or disappeared between two reports."""
    view = df.copy()
    view["change"] = view["change"].map(t)
    view["subcommittee_short"] = view["subcommittee_short"].map(_sub_name)

    def state(status, percent):
        if pd.isna(status):
            return ""
        return t(status) + ("" if pd.isna(percent) else f" ({i18n.number(percent, lang(), 0)}%)")

    view["before"] = [state(s, p) for s, p in zip(view["old_status"], view["old_percent"], strict=True)]
    view["after"] = [state(s, p) for s, p in zip(view["new_status"], view["new_percent"], strict=True)]
    cols = {
        "change": t("change"),
        "subcommittee_short": t("subcommittee"),
        "task": t("task"),
        "before": t("before"),
        "after": t("after"),
    }
    st.dataframe(view[list(cols)].rename(columns=cols), hide_index=True, width="stretch", key=key)


def messages_table(errors, warnings, key: str) -> None:
    """Errors then warnings, one row a cell: kind, sheet, row, column, value found, what to fix.

    A static table, so the fix text wraps instead of being cut off; on a phone each row folds into
    a short block (where, then what to fix) instead of scrolling sideways. Every cell is escaped:
    values come from the sender's file and the table reads Markdown."""
    heads = [t(k) for k in ("kind", "sheet", "row", "column", "value_found", "expected")]
    rows = [
        dict(
            zip(
                heads,
                (
                    t(kind),
                    m.sheet or "",
                    "" if m.row is None else str(m.row),
                    m.column or "",
                    "" if m.value is None else str(m.value),
                    m.text(lang()),
                ),
                strict=True,
            )
        )
        for kind, group in (("kind_error", errors), ("kind_warning", warnings))
        for m in group
    ]
    if not rows:
        return
    folding_table(pd.DataFrame(rows), key=f"messages_{key}", labelled=heads[1:5], dotted=heads[2:5], blocks=heads[5:])


def folding_table(view, key: str, labelled=(), dotted=(), blocks=()) -> None:
    """A static table whose text wraps instead of being cut off; on a phone each row folds into a
    short block instead of scrolling sideways: its first cell in bold, then the others on one line
    (the `labelled` columns, by heading, led by their heading; the `dotted` ones by ' · '), the
    `blocks` columns each on a line of their own, empty cells left out. Every cell is shown as
    typed (escaped): values come from the units' files and the table reads Markdown."""
    heads = [str(h) for h in view.columns]
    box = f"[class*='st-key-{key}'] table"

    def lead(head: str) -> str:
        return (" · " if head in dotted else "") + (f"{head.replace(chr(34), '')}: " if head in labelled else "")

    labels = "".join(
        f'{box} td:nth-child({i})::before {{content: "{lead(h)}"}}'
        for i, h in enumerate(heads, 1)
        if h in labelled or h in dotted
    )
    own_lines = "".join(
        f"{box} td:nth-child({i}) {{display: var(--fold, block); margin-top: 0.25rem}}"
        for i, h in enumerate(heads, 1)
        if h in blocks
    )
    st.html(
        "<style>@media (max-width: 640px) {"
        f"{box} thead {{display: none}}"
        f"{box}, {box} tbody {{display: block; width: 100%}}"
        f"{box} tr {{display: block; padding: 0.5rem 0.25rem; border-bottom: 1px solid rgba(128, 128, 128, 0.3)}}"
        f"{box} td {{display: var(--fold, inline); border: none; padding: 0; white-space: normal}}"
        f"{box} td > div, {box} td p {{display: inline}}"
        f"{box} td:first-child {{font-weight: 600; margin-right: 0.4rem}}"
        f"{own_lines}"
        f"{labels}}}</style>"
    )
    # An empty cell is drawn as '&nbsp;', which no selector can tell from text: the cell carries
    # --fold, which only the phone's rule reads.
    cells = view.map(literal)
    with st.container(key=key):
        st.table(cells.style.map(lambda v: "--fold: none" if v == "" else ""), hide_index=True)


# What Markdown (and Streamlit's :shortcodes:, $math$) would read inside a line, and at its start.
_INLINE = re.compile(r"([\\`*_{}\[\]<>~$]|:(?=[\w/]))")
_LEADING = re.compile(r"^([#>+\-]|\d+(?=[.)]))")


def literal(text) -> str:
    """Text shown as typed where Streamlit reads Markdown (a file's values, a file's name): one line."""
    line = _INLINE.sub(r"\\\1", " ".join(str(text).split()))
    match = _LEADING.match(line)
    if match is None:
        return line
    cut = match.end() if match.group(1)[0].isdigit() else 0
    return line[:cut] + "\\" + line[cut:]


def history_table(df, key: str) -> None:
    """Every file received: when, by whom, how, the answer, tasks, whether withdrawn."""
    _files_table(
        df,
        key,
        [
            "id",
            "received_at",
            "unit",
            "report_date",
            "status",
            "tasks",
            "n_errors",
            "n_warnings",
            "source",
            "submitted_by",
            "original_name",
            "withdrawn_at",
        ],
    )


def _files_table(df, key: str, columns: list[str]) -> None:
    view = df.copy()
    if "withdrawn_at" in view:  # a withdrawn file no longer reads "accepted"
        view["status"] = view["status"].where(view["withdrawn_at"].isna(), "withdrawn")
    day = lambda d: "" if pd.isna(d) else i18n.date(d.date())  # noqa: E731
    view["received_at"] = view["received_at"].map(lambda d: f"{d:%H:%M} {i18n.date(d.date())}")
    for col in ("report_date", "withdrawn_at"):
        if col in view:
            view[col] = view[col].map(day)
    view["status"] = view["status"].map(t)
    view["source"] = view["source"].map(t)
    if "current" in view:
        view["current"] = view["current"].map(lambda c: "✔" if c else "")
    for col in ("unit", "submitted_by"):
        if col in view:
            view[col] = view[col].fillna("")
    names = {
        "id": "#",
        "received_at": t("received_at"),
        "unit": t("unit"),
        "report_date": t("report_date"),
        "status": t("answer"),
        "tasks": t("tasks"),
        "n_errors": t("errors"),
        "n_warnings": t("warnings"),
        "source": t("source"),
        "submitted_by": t("submitted_by"),
        "original_name": t("file"),
        "withdrawn_at": t("withdrawn"),
        "current": t("current"),
    }
    st.dataframe(view[columns].rename(columns=names), hide_index=True, width="stretch", key=key)
