"""Plotly figures of the board, built from the core's data. No Streamlit here, so they are testable."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from readiness import i18n
from readiness.board import Grid, Projection

# Viridis: sequential, colour-blind safe, ordered in lightness (reads in grey-scale and on a projector),
# and free of greys, so a stale (grey) row never looks like a mid value.
READINESS_SCALE = "Viridis"
STALE_GREY = "#d4d4d4"
STATUS_COLOURS = {  # darker = further along; blocked stands apart in a warm hue
    "done": "#1f2d5c",
    "in_progress": "#5b7fa6",
    "not_started": "#c9d3df",
    "blocked": "#d1495b",
}
FONT = dict(family="Inter, Segoe UI, Roboto, Arial, sans-serif", size=13)


def text_colour(value: float | None) -> str:
    # Viridis is dark below ~65 and light above: white numbers on dark cells, black on light ones.
    if value is None:
        return "#9a9a9a"
    return "#ffffff" if value < 65 else "#111111"


def heatmap(g: Grid, lang: str = "vi", row_height: int = 30) -> go.Figure:
    """Units x subcommittees. Colours come from a Heatmap; numbers, hover and clicks from a
    transparent square marker on each cell (Plotly heatmaps give no click selection)."""
    fresh = [[v if not (g.stale[i] or g.never[i]) else None for v in row] for i, row in enumerate(g.readiness)]
    muted = [
        [(1 if v is not None else None) if (g.stale[i] or g.never[i]) else None for v in row]
        for i, row in enumerate(g.readiness)
    ]
    traces = [
        dict(
            type="heatmap",
            z=fresh,
            x=g.columns,
            y=g.labels,
            zmin=0,
            zmax=100,
            colorscale=READINESS_SCALE,
            xgap=3,
            ygap=3,
            hoverinfo="skip",
            showscale=False,
            name="readiness",
        ),
        dict(
            type="heatmap",
            z=muted,
            x=g.columns,
            y=g.labels,
            zmin=0,
            zmax=1,
            colorscale=[[0, STALE_GREY], [1, STALE_GREY]],
            xgap=3,
            ygap=3,
            hoverinfo="skip",
            showscale=False,
            name="stale",
        ),
    ]
    # One marker trace per text colour, so a click (which fades unselected points to the trace's
    # 'unselected' style) keeps every number readable.
    groups: dict[str, dict[str, list]] = {}
    for i, label in enumerate(g.labels):
        muted_row = g.stale[i] or g.never[i]
        for j, col in enumerate(g.columns):
            value = g.readiness[i][j]
            colour = "#6b6b6b" if muted_row and value is not None else text_colour(value)
            grp = groups.setdefault(colour, {"x": [], "y": [], "text": [], "hovertext": [], "customdata": []})
            grp["x"].append(col)
            grp["y"].append(label)
            grp["text"].append(g.text[i][j])
            grp["hovertext"].append(g.hover[i][j])
            grp["customdata"].append([g.units[i], g.subcommittees[j]])
    for colour, grp in groups.items():
        traces.append(
            dict(
                type="scatter",
                **grp,
                mode="markers+text",
                textfont=dict(color=colour, size=13),
                hoverinfo="text",
                name="cells",
                marker=dict(symbol="square", size=26, color="rgba(0,0,0,0)"),
                selected=dict(marker=dict(color="rgba(255,255,255,0.35)"), textfont=dict(color=colour)),
                unselected=dict(marker=dict(opacity=1), textfont=dict(color=colour)),
            )
        )
    layout = dict(
        height=max(260, row_height * len(g.labels) + 70),
        margin=dict(l=10, r=10, t=50, b=10),
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        font=FONT,
        showlegend=False,
        dragmode=False,
        clickmode="event+select",
        yaxis=dict(autorange="reversed", showgrid=False, ticklabelstandoff=6, type="category"),
        xaxis=dict(
            side="top",
            showgrid=False,
            type="category",
            tickangle=0,
            tickmode="array",
            tickvals=g.columns,
            ticktext=[c.replace(" ", "<br>") for c in g.columns],
        ),
    )
    return _figure(traces, layout)


def _figure(traces: list[dict], layout: dict) -> go.Figure:
    # At province scale (1,500 cells) Plotly's validation of every array costs tens of milliseconds
    # on each cache miss; the spec is ours and covered by tests, so it is wrapped unvalidated.
    try:
        return go.Figure({"data": traces, "layout": layout}, _validate=False)
    except TypeError:  # a Plotly without the switch
        return go.Figure({"data": traces, "layout": layout})


def subcommittee_bars(subs, lang: str = "vi") -> go.Figure:
    """One horizontal bar per subcommittee, tasks stacked by status, worst readiness on top."""
    rows = subs[subs["tasks"] > 0].sort_values("readiness", ascending=True, na_position="first")
    labels = [f"{r.short}  {i18n.percent(r.readiness, lang, 0)}" for r in rows.itertuples()]
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        counts = rows[status].tolist()
        fig.add_trace(
            go.Bar(
                y=labels,
                x=counts,
                orientation="h",
                name=i18n.t(status, lang),
                marker_color=colour,
                text=[c if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate="%{y}<br>" + i18n.t(status, lang) + ": %{x}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=max(220, 46 * len(rows) + 90),
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", y=-0.15),
        font=FONT,
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        xaxis=dict(title=i18n.t("tasks", lang), showgrid=True),
        yaxis=dict(autorange="reversed"),
    )
    return fig


def trend(trend_df, projection: Projection, d_day: dt.date, show_units: bool, lang: str = "vi") -> go.Figure:
    """Readiness over time of one subcommittee (aggregate, optionally each unit) and the projection."""
    fig = go.Figure()
    if show_units:
        for unit, part in trend_df[trend_df["unit"].notna()].groupby("unit", sort=False):
            fig.add_trace(
                go.Scatter(
                    x=part["day"], y=part["readiness"], mode="lines", name=unit, line=dict(width=1), opacity=0.55
                )
            )
    agg = trend_df[trend_df["unit"].isna()]
    fig.add_trace(
        go.Scatter(
            x=agg["day"],
            y=agg["readiness"],
            mode="lines+markers",
            name=i18n.t("aggregate", lang),
            line=dict(width=4, color="#00204c"),
        )
    )
    if projection.line:
        (x0, y0), (x1, y1) = projection.line
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines+markers+text",
                name="→ " + i18n.t("d_day", lang),
                line=dict(dash="dash", width=3, color="#d1495b" if projection.short else "#5b7fa6"),
                text=["", i18n.percent(y1, lang, 0)],
                textposition="top left",
            )
        )
    fig.add_vline(x=dt.datetime.combine(d_day, dt.time()).timestamp() * 1000, line_dash="dot", line_color="#888")
    fig.add_hline(y=100, line_dash="dot", line_color="#888")
    fig.update_xaxes(tickformat="%d/%m", hoverformat="%d/%m/%Y")
    fig.update_layout(
        height=380,
        margin=dict(l=10, r=10, t=20, b=10),
        font=FONT,
        yaxis=dict(range=[0, 108], title="%"),
        legend=dict(orientation="h", y=-0.2),
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
    )
    return fig
