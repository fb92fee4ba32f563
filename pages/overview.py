"""Tổng quan: countdown, headline figures, readiness heatmap, completion by subcommittee."""

import plotly.graph_objects as go
import streamlit as st

import ui
from readiness import i18n
from readiness.board import countdown


def header(config, lang: str) -> None:
    cd = countdown(config, ui.now())
    left, right = st.columns([3, 2])
    left.subheader(config.name)
    text = ui.t("after_d_day", days=cd.days) if cd.passed else ui.t("days_left", days=cd.days, hours=cd.hours)
    right.metric(f"{ui.t('d_day')}: {config.d_day:%H:%M %d/%m/%Y}", text)
    if cd.phase or cd.next:
        parts = []
        if cd.phase:
            parts.append(
                f"{ui.t('phase')}: **{cd.phase.name_en if lang == 'en' and cd.phase.name_en else cd.phase.name}**"
            )
        if cd.next:
            name = cd.next.name_en if lang == "en" and cd.next.name_en else cd.next.name
            parts.append(f"{ui.t('next_milestone')}: **{name}** {i18n.date(cd.next.date.date())}")
        right.caption(" · ".join(parts))


def heatmap(cells, lang: str) -> go.Figure:
    units = list(dict.fromkeys(cells["unit"]))
    subs = list(dict.fromkeys(cells.sort_values("subcommittee")["subcommittee_short"]))
    grid = cells.pivot(index="unit", columns="subcommittee_short", values="readiness").reindex(
        index=units, columns=subs
    )
    text = grid.map(lambda v: "" if v != v else i18n.number(v, lang, 0))
    fig = go.Figure(
        go.Heatmap(
            z=grid.values,
            x=subs,
            y=units,
            text=text.values,
            texttemplate="%{text}",
            colorscale="Cividis",
            zmin=0,
            zmax=100,
            hovertemplate="%{y} · %{x}: %{z:.1f}%<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(300, 28 * len(units) + 80), margin=dict(l=10, r=10, t=10, b=10))
    return fig


lang = ui.lang()
store = ui.store()
header(store.config, lang)
cells = ui.query("heatmap")
if cells.empty:
    st.info(ui.t("no_data"))
    st.stop()
subs = ui.query("subcommittees")
stale = ui.query("stale")
total = subs["tasks"].sum()
overall = (subs["readiness"].fillna(0) * subs["tasks"]).sum() / total if total else None
n_units = len(store.config.units)
never = int(stale["never_reported"].sum())
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(ui.t("readiness"), i18n.percent(overall, lang))
c2.metric(ui.t("units_reported"), f"{n_units - never}/{n_units}")
c3.metric(ui.t("stale"), len(stale) - never)
c4.metric(ui.t("overdue"), int(subs["overdue"].sum()))
c5.metric(ui.t("blocked"), int(subs["blocked"].sum()))
left, right = st.columns([3, 2])
left.markdown(f"**{ui.t('heatmap_title')}**")
left.plotly_chart(heatmap(cells, lang), width="stretch", key="heatmap")
right.markdown(f"**{ui.t('subcommittee_title')}**")
right.dataframe(subs[["short", "readiness", "tasks", "done", "overdue", "blocked"]], hide_index=True, width="stretch")
