"""The overview's glue: the layout that reads on a laptop and on a phone, the phone's unit list, the
risk tables, and bringing a clicked cell's tasks into view.

Streamlit tells the script nothing about the screen's width, so the page draws both forms where
they differ (the heatmap and the unit list, the risk table and the risk cards) in keyed containers,
and CSS media queries on their `st-key-*` classes show the one that fits. The 640 px break is
Streamlit's own, where its columns start to stack."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness import board, i18n

from .state import lang, t

PHONE_CSS = """
<style>
@media (max-width: 640px) {
  /* the six figures two by two, so that 'Quá hạn' is on the first screen */
  .st-key-figures [data-testid="stHorizontalBlock"] { flex-flow: row wrap !important; gap: 0.5rem !important; }
  .st-key-figures [data-testid="stColumn"] {
    flex: 1 1 calc(50% - 0.5rem) !important; width: calc(50% - 0.5rem) !important;
    min-width: calc(50% - 0.5rem) !important;
  }
  .st-key-figures [data-testid="stMetric"] { padding: 0.25rem 0.5rem !important; }
  .st-key-figures [data-testid="stMetric"] > div { padding: 0.25rem !important; }
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem !important; }
  .st-key-figures [data-testid="stMetricValue"] { font-size: 1.9rem !important; }
  [class*="st-key-wide_only"] { display: none !important; }
}
@media (min-width: 641px) {
  [class*="st-key-phone_only"] { display: none !important; }
}
</style>
"""

RISKS_PER_PAGE = 10
RISK_ROWS_SHOWN = 10  # the laptop table's height, in rows; it scrolls to the rest


def phone_layout() -> None:
    """The CSS that switches between the laptop and the phone forms."""
    st.html(PHONE_CSS)


def _pct(value: float | None) -> str:
    return "–" if value is None else i18n.percent(value, lang(), 0)


def unit_list(
    g: board.Grid,
    missing: dict[tuple[str, str], int] | None = None,
    key: str = "phone_units",
    far: dict[str, str] | None = None,
) -> None:
    """The heatmap as a phone reads it: units worst first, each with its readiness and its least
    ready subcommittee; a tap opens its cells (readiness, overdue and, with a plan in force, not
    reported tasks by subcommittee). `missing`: not-reported tasks per (unit, subcommittee); `far`:
    the units whose own rating of the whole unit is far from the figures, with that rating
    (charts.far_units), badged."""
    missing, far = missing or {}, far or {}
    for i in board.worst_first(g):
        score = board.unit_readiness(g, i)
        worst = board.worst_cell(g, i)
        bits = [f"**{_pct(score)}**", g.units[i]]
        if worst is not None:
            bits.append(t("lowest_cell", name=g.columns[worst], pct=_pct(g.readiness[i][worst])))
        label = " · ".join(bits)
        if g.notes and g.notes[i]:
            label += f" :red-badge[⚠ {g.notes[i]}]"
        overdue = sum(g.overdue[i])
        if overdue:
            label += f" :orange-badge[{t('n_overdue', n=overdue)}]"
        unreported = [missing.get((g.units[i], s), 0) for s in g.subcommittees]
        if sum(unreported):
            label += f" :violet-badge[{t('n_not_reported', n=sum(unreported))}]"
        if g.units[i] in far:
            label += f" :gray-badge[{t('far_badge', rating=t('rating_' + far[g.units[i]]))}]"
        with st.expander(label, key=f"{key}_{i}"):
            if score is None:
                st.caption(t("no_report_yet"))
                continue
            head = f"| {t('subcommittee')} | {t('readiness')} | {t('overdue')} |"
            rule = "|:--|--:|--:|"
            if missing:
                head += f" {t('not_reported')} |"
                rule += "--:|"
            rows = [
                f"| {g.columns[j]} | {_pct(v)} | {g.overdue[i][j] or ''} |"
                + (f" {unreported[j] or ''} |" if missing else "")
                for j, v in enumerate(g.readiness[i])
                if v is not None
            ]
            st.markdown(f"{head}\n{rule}\n" + "\n".join(rows))


def cell_extras(extras) -> None:
    """Under a clicked cell's tasks: the unit's tasks there outside the plan (shown, not counted)."""
    if extras.empty:
        return
    names = "; ".join(_escape(x) for x in extras["task"])
    st.caption(t("cell_extra", n=len(extras), tasks=names))


def _late(n) -> str:
    return "" if pd.isna(n) else str(int(n))


def risk_table(risks, key: str) -> None:
    """Every risk, led by the task, its days late and its owner (pinned and sized to fit without
    sideways scrolling); the table scrolls down to the rest."""
    view = pd.DataFrame(
        {
            t("task"): risks["task"],
            t("days_late"): risks["days_late"].map(_late),
            t("owner"): risks["owner"].fillna(""),
            t("unit"): risks["unit"],
            t("subcommittee"): risks["subcommittee_short"],
            t("deadline"): risks["deadline"].map(lambda d: "" if pd.isna(d) else i18n.date(d.date())),
            t("status"): risks["status"].map(t),
            t("percent"): risks["percent"].map(lambda p: "" if pd.isna(p) else i18n.number(p, lang(), 0) + "%"),
            t("note"): risks["note"].fillna(""),
        }
    )
    config = {
        t("task"): st.column_config.TextColumn(width=380, pinned=True),
        t("days_late"): st.column_config.TextColumn(width=70),
        t("owner"): st.column_config.TextColumn(width=150),
    }
    height = 38 + 35 * min(len(view), RISK_ROWS_SHOWN)
    st.dataframe(view, hide_index=True, width="stretch", height=height, column_config=config, key=key)


def risk_cards(risks, key: str = "phone_risks") -> None:
    """The risks as a phone reads them: one short card each (task, days late, owner; then unit and
    subcommittee), a page at a time."""
    pages = max(1, -(-len(risks) // RISKS_PER_PAGE))
    page = 1
    if pages > 1:
        page = st.segmented_control(
            t("risk_page"), list(range(1, pages + 1)), default=1, key=f"{key}_page", required=True
        )
    start = (page - 1) * RISKS_PER_PAGE
    lines = []
    for r in risks.iloc[start : start + RISKS_PER_PAGE].to_dict("records"):
        head = []
        if not pd.isna(r["days_late"]):
            head.append(f":red-badge[{t('wall_days_late', days=int(r['days_late']))}]")
        if r["status"] == "blocked":
            head.append(f":orange-badge[{t('blocked')}]")
        elif r["status"] == "not_reported":
            head.append(f":violet-badge[{t('not_reported')}]")
        who = " · ".join(x for x in (_text(r["owner"]), r["unit"], r["subcommittee_short"]) if x)
        lines.append(f"- {' '.join(head)} **{_escape(r['task'])}**  \n  {_escape(who)}")
    st.markdown("\n".join(lines))
    st.caption(t("wall_risks_page", first=start + 1, last=min(len(risks), start + RISKS_PER_PAGE), total=len(risks)))


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _escape(text: str) -> str:
    """A spreadsheet's text shown as typed inside Markdown."""
    out = str(text)
    for ch in "\\`*_[]<>#|:$~":
        out = out.replace(ch, "\\" + ch)
    return out


_SCROLL_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const token = data && data.token;
  // once per chosen cell: a rerun (a new report arriving) leaves the reader where they are
  if (!token || window.__readinessScrolledTo === token) return;
  window.__readinessScrolledTo = token;
  requestAnimationFrame(() => parentElement.scrollIntoView({ behavior: "smooth", block: "start" }));
}
"""


def scroll_here(token: str) -> None:
    """Bring this point of the page into view, once for each token (a clicked cell)."""
    mount = st.components.v2.component("readiness_scroll_here", js=_SCROLL_JS, isolate_styles=False)
    mount(key="scroll_here", data={"token": token}, height="content")
