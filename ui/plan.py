"""The assigned task plan on the pages: the plan in force, the secretariat's plan upload (read,
previewed against the plan in force, loaded only on confirmation), the plan loads in the history,
and a unit's assigned tasks it has not reported and its tasks outside the plan."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness import i18n
from readiness.archive import sha256

from .state import lang, query, store, t
from .tables import literal, messages_table, task_table
from .uploader import uploader_texts

TYPES = ["xlsx", "xlsm", "xls", "ods", "csv"]
CHANGES = {"added": "plan_added", "removed": "plan_removed", "deadline": "plan_deadline", "weight": "plan_weight"}
_PREVIEWS = "plan_previews"  # session_state: (file id, plan in force) -> (Plan, diff)
_LOADED = "plan_loaded"  # session_state: file id -> PlanOutcome, so a rerun shows the answer again


def _when(at) -> str:
    return f"{at:%H:%M} {i18n.date(at.date())}"


def in_force(plans) -> dict | None:
    """The `plans` query's row of the plan in force, or None without a plan."""
    rows = plans[plans["in_force"].fillna(False).astype(bool)]
    return None if rows.empty else rows.iloc[0].to_dict()


def in_force_line(plans) -> None:
    """Which plan the figures count against: its file, when and by whom it was loaded, its size."""
    row = in_force(plans)
    if row is None:
        st.caption(t("plan_none"))
        return
    st.markdown(
        t(
            "plan_in_force",
            file=literal(row["original_name"]),
            at=_when(row["loaded_at"]),
            by=literal(row["loaded_by"] or t(row["source"])),
            tasks=int(row["tasks"]),
            units=int(row["units"]),
        )
    )


# ---------------------------------------------------------------- the upload page, secretariat only


def section(user, limit_mb: int) -> None:
    """The secretariat's plan section: the plan in force, an uploader, then the file's answer."""
    st.markdown(f"#### {t('plan_title')}")
    plans = query("plans")
    in_force_line(plans)
    st.caption(t("plan_explain"))
    uploader_texts("plan_upload")
    upload = st.file_uploader(t("plan_upload_help"), type=TYPES, key="plan_upload", max_upload_size=limit_mb)
    st.caption(t("upload_limits", mb=limit_mb, types=", ".join(f".{x}" for x in TYPES)))
    if upload is not None:
        with st.container(border=True, key="plan_answer"):
            _answer(upload, user, plans)


def _answer(upload, user, plans) -> None:
    loaded: dict = st.session_state.setdefault(_LOADED, {})
    name = literal(upload.name)
    if upload.file_id in loaded:
        _show_loaded(name, loaded[upload.file_id])
        return
    current = in_force(plans)
    data = upload.getvalue()
    if current is not None and current["sha256"] == sha256(data):
        st.info(f"**{t('plan_head_duplicate')}** — {t('plan_duplicate', file=name)}", icon=":material/content_copy:")
        return
    previews: dict = st.session_state.setdefault(_PREVIEWS, {})
    key = (upload.file_id, None if current is None else int(current["id"]))
    if key not in previews:
        with st.spinner(t("checking", file=name)):
            previews[key] = store().preview_plan(data, upload.name)
    plan, diff = previews[key]
    if not plan.accepted:
        st.error(
            f"**{t('plan_head_rejected')}** — {t('plan_rejected', file=name, n=len(plan.errors))}",
            icon=":material/block:",
        )
        _messages(upload, plan.errors, plan.warnings)
        return
    st.warning(
        f"**{t('plan_head_waiting')}** — "
        + t("plan_ok", file=name, tasks=len(plan.tasks), units=len(plan.units))
        + "  \n"
        + t("plan_waiting"),
        icon=":material/hourglass_top:",
    )
    if st.button(t("plan_confirm"), key="plan_confirm", type="primary"):
        try:
            loaded[upload.file_id] = store().load_plan(data, upload.name, source="upload", user=user)
        except PermissionError as exc:  # a replica whose writer did not answer: nothing loaded
            st.error(str(exc), icon=":material/cloud_off:")
        else:
            previews.clear()
            st.rerun()
    _messages(upload, [], plan.warnings)
    st.markdown(f"**{t('plan_per_unit')}**")
    assigned_table(plan.tasks, key="plan_assigned")
    st.markdown(f"**{t('plan_changes')}**")
    if current is None:
        st.caption(t("plan_first"))
    elif diff.empty:
        st.caption(t("plan_same"))
    else:
        counts = diff["change"].value_counts()
        st.caption(t("plan_changes_summary", **{c: int(counts.get(c, 0)) for c in CHANGES}))
        changes_table(diff, key="plan_diff")


def _messages(upload, errors, warnings) -> None:
    """A plan's errors and warnings with their cells, and the file with those cells marked."""
    if not (errors or warnings):
        return
    st.markdown(f"**{t('messages_title')}**")
    messages_table(errors, warnings, key=f"plan_{upload.file_id}")
    st.download_button(
        t("download_errors"),
        data=lambda: store().error_report(upload.getvalue(), upload.name, errors, warnings, lang()) or b"",
        file_name=f"Loi - {upload.name.rsplit('.', 1)[0]}.xlsx",
        key=f"plan_errdl_{upload.file_id}",
    )


def _show_loaded(name: str, outcome) -> None:
    if outcome.status == "duplicate":
        st.info(f"**{t('plan_head_duplicate')}** — {t('plan_duplicate', file=name)}", icon=":material/content_copy:")
    elif outcome.status != "accepted":  # read again on loading: a file changed since its preview
        st.error(
            f"**{t('plan_head_rejected')}** — {t('plan_rejected', file=name, n=len(outcome.errors))}",
            icon=":material/block:",
        )
        messages_table(outcome.errors, outcome.warnings, key="plan_loaded")
    else:
        plans = query("plans")
        row = plans[plans["id"] == outcome.plan_id]
        at = _when(row.iloc[0]["loaded_at"]) if not row.empty else ""
        st.success(
            f"**{t('plan_head_loaded')}** — "
            + t("plan_loaded", file=name, tasks=outcome.tasks, units=outcome.units, at=at),
            icon=":material/check_circle:",
        )


def assigned_table(tasks, key: str) -> None:
    """A read plan's tasks counted by unit (rows, in the config's order) and subcommittee (columns,
    blank where none), with each unit's total; every row shown."""
    config = store().config
    order = {u.name: i for i, u in enumerate(config.units)}
    counts = pd.crosstab(pd.Series([x.unit for x in tasks], name=t("unit")), pd.Series([x.subcommittee for x in tasks]))
    subs = [s.name for s in config.subcommittees if s.name in counts.columns]
    counts = counts[subs].sort_index(key=lambda units: units.map(lambda u: order.get(u, len(order))))
    view = counts.map(lambda n: str(n) if n else "–")  # no task: '–', as on the heatmap, never 0
    view.columns = [i18n.sub_short(s, lang(), config) for s in subs]
    view[t("total")] = counts.sum(axis=1).astype(str)
    columns = {c: st.column_config.TextColumn(alignment="right") for c in view.columns}
    columns[t("unit")] = st.column_config.TextColumn(pinned=True)  # a phone scrolls the counts, not the names
    st.dataframe(
        view.reset_index(),
        hide_index=True,
        width="stretch",
        height=_rows_height(len(view)),
        column_config=columns,
        key=key,
    )


def _rows_height(n: int) -> int:
    """A data grid's height that shows n rows without scrolling (its header and rows are 35 px)."""
    return 38 + 35 * max(n, 1)


def changes_table(diff, key: str) -> None:
    """What a new plan changes against the plan in force, one row per unit and task; a deadline or
    weight that moves reads 'old → new'."""
    config = store().config

    def day(d) -> str:
        return "" if pd.isna(d) else i18n.date(d.date())

    def weight(w) -> str:
        return "" if pd.isna(w) else i18n.number(w, lang(), 0 if float(w).is_integer() else 1)

    def moved(old: str, new: str) -> str:
        return f"{old} → {new}" if old and new and old != new else new or old

    view = pd.DataFrame(
        {
            t("change"): diff["change"].map(lambda c: t(CHANGES.get(c, c))),
            t("unit"): diff["unit"],
            t("subcommittee"): diff["subcommittee"].map(lambda s: i18n.sub_short(s, lang(), config)),
            **({t("code"): diff["code"].fillna("")} if diff["code"].notna().any() else {}),
            t("task"): diff["task"],
            t("deadline"): [
                moved(day(a), day(b)) for a, b in zip(diff["old_deadline"], diff["new_deadline"], strict=True)
            ],
            t("weight"): [
                moved(weight(a), weight(b)) for a, b in zip(diff["old_weight"], diff["new_weight"], strict=True)
            ],
        }
    )
    st.dataframe(view, hide_index=True, width="stretch", key=key)


# ---------------------------------------------------------------- the history page


def loads_table(plans, key: str) -> None:
    """Every plan file loaded, newest first: when, which file, the answer, its size, who, in force."""
    view = pd.DataFrame(
        {
            "#": plans["id"],
            t("loaded_at"): plans["loaded_at"].map(_when),
            t("file"): plans["original_name"],
            t("answer"): plans["status"].map(t),
            t("tasks"): plans["tasks"],
            t("plan_units"): plans["units"],
            t("errors"): plans["n_errors"],
            t("source"): plans["source"].map(t),
            t("loaded_by"): plans["loaded_by"].fillna(""),
            t("in_force"): plans["in_force"].map(lambda f: "✔" if f else ""),
        }
    )
    st.dataframe(view, hide_index=True, width="stretch", key=key)


# ---------------------------------------------------------------- the unit page


def cell_note(row) -> str | None:
    """What a unit's readiness in a subcommittee adds beside its overdue count: how many of its
    assigned tasks there it has not reported (a `heatmap` row), or None."""
    missing = getattr(row, "not_reported", 0)
    return t("cell_not_reported", n=int(missing)) if missing and not pd.isna(missing) else None


def unit_sections(tasks, extras, key: str) -> None:
    """A unit's assigned tasks it has not reported and its reported tasks outside the plan, each
    with what it means; led by the task, so a phone shows it first. Nothing without a plan for the
    unit."""
    missing = tasks[tasks["status"] == "not_reported"]
    planned = tasks["plan_state"].notna().any() if "plan_state" in tasks else False
    if planned:
        st.markdown(f"#### {t('unit_not_reported_title', n=len(missing))}")
        if missing.empty:
            st.caption(t("unit_all_reported", n=len(tasks)))
        else:
            st.caption(t("unit_not_reported_help"))
            columns = ("task", "code", "subcommittee_short", "deadline", "days_late", "weight")
            task_table(missing, show_unit=False, key=f"{key}_not_reported", columns=_with_codes(missing, columns))
    if not extras.empty:
        st.markdown(f"#### {t('unit_extra_title', n=len(extras))}")
        st.caption(t("unit_extra_help"))
        columns = ("task", "code", "subcommittee_short", "status", "percent", "deadline", "owner", "note")
        task_table(extras, show_unit=False, key=f"{key}_extra", columns=_with_codes(extras, columns))


def _with_codes(df, columns: tuple[str, ...]) -> tuple[str, ...]:
    """The columns, without the task code where no task has one."""
    return columns if df["code"].notna().any() else tuple(c for c in columns if c != "code")
