"""Plotly figures of the board, built from the core's data. No Streamlit here, so they are testable."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Collection, Mapping

import pandas as pd
import plotly.graph_objects as go

from readiness import i18n
from readiness.board import Grid, Projection

# ColorBrewer's YlOrRd, reversed: low readiness is the strong dark red, high readiness a calm pale
# yellow. Colour-blind safe and ordered in lightness, so it still reads in grey-scale and on a
# washed-out projector; the eye goes to the units that are behind. (The dark wall uses its own
# scale with the same hues, wall.view.WALL_SCALE: there the strong end must be the bright one.)
READINESS_SCALE = [
    [0.0, "#bd0026"],
    [0.25, "#f03b20"],
    [0.5, "#fd8d3c"],
    [0.75, "#fecc5c"],
    [1.0, "#ffffb2"],
]
FLAG = "#9b1c1c"  # stale and never-reported rows: outline and label, the strongest mark on the page
OVERDUE_BADGE = "#1f1f1f"
# A unit's own assessment far from its figures: a mark of its own hue (a dark brown, apart from the
# red of the stale rows and readable on white), so the two never read as one.
FAR = "#8c510a"
STATUS_COLOURS = {  # darker = further along; blocked stands apart in a warm hue
    "done": "#1f2d5c",
    "in_progress": "#5b7fa6",
    "not_started": "#c9d3df",
    "blocked": "#d1495b",
}
# A planned task the unit has not reported: as far behind as a task can be, marked like the rows of
# units that never reported (FLAG) and hatched, so it reads apart from blocked in grey-scale too.
NOT_REPORTED_COLOUR = FLAG
NOT_REPORTED_PATTERN = dict(shape="/", bgcolor=FLAG, fgcolor="#ffffff", fgopacity=0.6, size=8, solidity=0.25)
SHORT_WORD = 7  # the longest word a heatmap column's heading holds on one line, upright
FONT = dict(family="Inter, Segoe UI, Roboto, Arial, sans-serif", size=13)


def scale_colour(scale: list, value: float) -> str:
    """A colour scale (Plotly's [[position, '#rrggbb'], ...]) sampled at a readiness of 0-100."""
    x = max(0.0, min(1.0, value / 100))
    for (p0, c0), (p1, c1) in zip(scale, scale[1:], strict=False):
        if x <= p1:
            f = (x - p0) / (p1 - p0) if p1 > p0 else 0.0
            a, b = _rgb(c0), _rgb(c1)
            return "#" + "".join(f"{round(u + (v - u) * f):02x}" for u, v in zip(a, b, strict=True))
    return scale[-1][1]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG) of '#rrggbb'."""

    def lin(c: int) -> float:
        u = c / 255
        return u / 12.92 if u <= 0.03928 else ((u + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ink(background: str) -> str:
    """Black or white, whichever contrasts more with the background."""
    lum = luminance(background)
    return "#111111" if (lum + 0.05) / 0.0502 > 1.05 / (lum + 0.05) else "#ffffff"


def text_colour(value: float | None, scale: list | None = None) -> str:
    """The number's colour on a cell of this readiness (grey where the cell is empty)."""
    if value is None:
        return "#8a8a8a"
    return ink(scale_colour(scale or READINESS_SCALE, value))


def grid_in(g: Grid, lang: str, config) -> Grid:
    """The grid with its subcommittees named in the language: the columns by their short form
    (`short_en` in English), the hover by the full name (`name_en`). The cells keep the Vietnamese
    full names in `subcommittees`, which a click hands to the queries."""
    if lang != "en":
        return g
    hover = []
    for row in g.hover:
        out = []
        for j, text in enumerate(row):
            parts = text.split("<br>")  # board.grid's hover: unit, then the subcommittee (': –' when empty)
            if len(parts) > 1:
                full, short = g.subcommittees[j], g.columns[j]
                english = i18n.sub_name(full, lang, config)
                if parts[1] == full:
                    parts[1] = english
                elif parts[1] == f"{short}: –":
                    parts[1] = f"{english}: –"
            out.append("<br>".join(parts))
        hover.append(out)
    columns = [i18n.sub_short(name, lang, config) for name in g.subcommittees]
    return dataclasses.replace(g, columns=columns, hover=hover)


def cell_counts(cells, column: str) -> dict[tuple[str, str], int]:
    """A count of the `heatmap` query per (unit, subcommittee), e.g. `not_reported` or `extra`;
    empty when the query has no such column (an older database) or every count is 0."""
    if column not in cells:
        return {}
    return {
        (u, s): int(n)
        for u, s, n in zip(cells["unit"], cells["subcommittee"], cells[column].fillna(0), strict=True)
        if n
    }


def plan_in(g: Grid, cells, lang: str) -> Grid:
    """The grid with the plan's counts in its hover: how many planned tasks of a cell its unit has not
    reported and how many reported tasks lie outside the plan (the count not reported is also drawn
    in the cell's corner: heatmap's `missing`). Without a plan, the grid as it is."""
    missing, extra = cell_counts(cells, "not_reported"), cell_counts(cells, "extra")
    if not missing and not extra:
        return g
    hover = [list(r) for r in g.hover]
    for i, unit in enumerate(g.units):
        for j, sub in enumerate(g.subcommittees):
            n, x = missing.get((unit, sub), 0), extra.get((unit, sub), 0)
            notes = [i18n.t("hover_not_reported", lang, n=n)] if n else []
            notes += [i18n.t("hover_extra", lang, n=x)] if x else []
            if notes:
                hover[i][j] = f"{hover[i][j]}<br><b>{', '.join(notes)}</b>"
    return dataclasses.replace(g, hover=hover)


# ---------------------------------------------------------------- the unit's own assessment

HOVER_REMARK = 60  # characters of a remark the hover quotes; the unit page shows it whole


def rating_label(rating: str, lang: str) -> str:
    """'ready' -> 'Đạt' ('Ready'); 'conditional', 'not_ready' likewise."""
    return i18n.t(f"rating_{rating}", lang)


def assessment_of(ratings: dict, unit: str, subcommittee: str) -> tuple[dict, bool] | None:
    """The unit's own rating of a subcommittee (an `assessments` row, from ratings_by_scope), else its
    rating of the whole unit; with whether it is the whole unit's. None when it rated neither."""
    if (unit, subcommittee) in ratings:
        return ratings[(unit, subcommittee)], False
    if (unit, None) in ratings:
        return ratings[(unit, None)], True
    return None


def ratings_by_scope(assessments) -> dict[tuple[str, str | None], dict]:
    """The `assessments` query's rows by (unit, subcommittee), None for the whole unit."""
    if assessments is None or assessments.empty:
        return {}
    return {
        (r["unit"], r["subcommittee"] if isinstance(r["subcommittee"], str) else None): r
        for r in assessments.to_dict("records")
    }


def far_units(assessments) -> dict[str, str]:
    """The units whose rating of the whole unit is far from the figures, each with that rating."""
    return {
        u: r["rating"] for (u, s), r in ratings_by_scope(assessments).items() if s is None and r["far_from_figures"]
    }


def assessment_line(row: dict, lang: str, whole: bool = False) -> str:
    """The hover's line for a rating: "Tự đánh giá: <b>Đạt</b> — “remark” — dự kiến 30/10", and
    "⚠ lệch số liệu" when it is far from the figures. The remark (the unit's own text) is escaped."""
    key = "hover_assessment_whole" if whole else "hover_assessment"
    parts = [i18n.t(key, lang, rating=f"<b>{rating_label(row['rating'], lang)}</b>")]
    remark = row.get("remark")
    if isinstance(remark, str) and remark.strip():
        text = " ".join(remark.split())
        if len(text) > HOVER_REMARK:
            text = text[: HOVER_REMARK - 1].rstrip() + "…"
        parts.append(f"“{html.escape(text)}”")
    ready_by = row.get("ready_by")
    if ready_by is not None and not pd.isna(ready_by):
        parts.append(i18n.t("ready_by_short", lang, date=i18n.date_short(pd.Timestamp(ready_by).date())))
    line = " — ".join(parts)
    if row.get("far_from_figures"):
        line += f" <b style='color:{FAR}'>{i18n.t('far_mark', lang)}</b>"
    return line


def assessed_in(g: Grid, assessments, lang: str) -> Grid:
    """The grid with each unit's own assessment in its cells' hover: the rating of the cell's
    subcommittee, else of the whole unit (on every cell of the row that has tasks), with its remark,
    its ready-by date and the far-from-the-figures mark. Without assessments, the grid as it is."""
    rows = ratings_by_scope(assessments)
    if not rows:
        return g
    hover = [list(r) for r in g.hover]
    for i, unit in enumerate(g.units):
        for j, sub in enumerate(g.subcommittees):
            own, whole = rows.get((unit, sub)), False
            if own is None and g.readiness[i][j] is not None:  # no task there: no rating of the whole unit
                own, whole = rows.get((unit, None)), True
            if own is not None:
                hover[i][j] = f"{hover[i][j]}<br>{assessment_line(own, lang, whole=whole)}"
    return dataclasses.replace(g, hover=hover)


def heatmap(
    g: Grid,
    lang: str = "vi",
    row_height: int = 34,
    far: Collection[str] = (),
    missing: Mapping[tuple[str, str], int] | None = None,
) -> go.Figure:
    """Units x subcommittees, in the grid's row order. Colours come from a Heatmap; numbers, hover
    and clicks from a transparent square marker on each cell (Plotly heatmaps give no click
    selection); the number of overdue tasks is a dark badge in the cell's top right corner and,
    with a plan in force, the number of planned tasks not reported (`missing`, cell_counts of
    'not_reported') a white badge ringed in red in its top left one, as the wall draws them: a
    second line of text under the number does not fit a column about 40 px wide. Stale and
    never-reported rows are outlined and their label says so in red; the label of a unit in `far`
    (its own assessment far from its figures, far_units) carries a small brown mark."""
    missing = missing or {}
    traces = [
        dict(
            type="heatmap",
            z=g.readiness,
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
    ]
    # One marker trace per text colour, so a click (which fades unselected points to the trace's
    # 'unselected' style) keeps every number readable.
    groups: dict[str, dict[str, list]] = {}
    for i, label in enumerate(g.labels):
        for j, col in enumerate(g.columns):
            colour = text_colour(g.readiness[i][j])
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
                textfont=dict(color=colour, size=14),
                hoverinfo="text",
                name="cells",
                marker=dict(symbol="square", size=28, color="rgba(0,0,0,0)"),
                selected=dict(marker=dict(color="rgba(20,20,20,0.25)"), textfont=dict(color=colour)),
                unselected=dict(marker=dict(opacity=1), textfont=dict(color=colour)),
            )
        )
    badges = [
        dict(
            x=j + 0.47,
            y=i - 0.43,
            xref="x",
            yref="y",
            xanchor="right",
            yanchor="top",
            text=str(n),
            showarrow=False,
            font=dict(color="#ffffff", size=10),
            bgcolor=OVERDUE_BADGE,
            borderpad=1,
            name="overdue",
        )
        for i, row in enumerate(g.overdue)
        for j, n in enumerate(row)
        if n
    ]
    badges += [
        dict(
            x=j - 0.47,
            y=i - 0.43,
            xref="x",
            yref="y",
            xanchor="left",
            yanchor="top",
            text=str(n),
            showarrow=False,
            font=dict(color=FLAG, size=10),
            bgcolor="#ffffff",
            bordercolor=FLAG,
            borderwidth=1,
            borderpad=0,
            hovertext=i18n.t("hover_not_reported", lang, n=n),
            name="not_reported",
        )
        for i, unit in enumerate(g.units)
        for j, sub in enumerate(g.subcommittees)
        if (n := missing.get((unit, sub), 0))
    ]
    flagged = [i for i in range(len(g.units)) if g.stale[i] or g.never[i]]
    outlines = [
        dict(
            type="rect",
            xref="x",
            yref="y",
            x0=-0.5,
            x1=len(g.columns) - 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line=dict(color=FLAG, width=3),
            layer="above",
            name="flagged",
        )
        for i in flagged
    ]
    far_mark = f" <span style='color:{FAR};font-size:11px'><b>≠ {i18n.t('far_label', lang)}</b></span>"
    ticktext = [
        (
            f"<b>{g.units[i]}</b> <span style='color:{FLAG}'><b>⚠ {g.notes[i]}</b></span>"
            if (g.stale[i] or g.never[i]) and g.notes
            else g.labels[i]
        )
        + (far_mark if g.units[i] in far else "")
        for i in range(len(g.units))
    ]
    # A column is about as wide as its number; a word longer than that ('Documents', 'Logistics')
    # would run into its neighbour, so such headings are set at an angle, one line each.
    slanted = any(len(word) > SHORT_WORD for c in g.columns for word in c.split())
    top = 24 + 4 * max(len(c) for c in g.columns) if slanted else 50
    layout = dict(
        height=max(260, row_height * len(g.labels) + 20 + top),
        margin=dict(l=10, r=10, t=top, b=10),
        plot_bgcolor="rgba(0,0,0,0)",
        paper_bgcolor="rgba(0,0,0,0)",
        font=FONT,
        showlegend=False,
        dragmode=False,
        clickmode="event+select",
        annotations=badges,
        shapes=outlines,
        yaxis=dict(
            autorange="reversed",
            showgrid=False,
            ticklabelstandoff=6,
            type="category",
            categoryorder="array",
            categoryarray=g.labels,
            tickmode="array",
            tickvals=g.labels,
            ticktext=ticktext,
        ),
        xaxis=dict(
            side="top",
            showgrid=False,
            type="category",
            tickangle=-35 if slanted else 0,
            tickmode="array",
            tickvals=g.columns,
            ticktext=list(g.columns) if slanted else [c.replace(" ", "<br>") for c in g.columns],
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


def subs_in(subs, lang: str, config):
    """The `subcommittees` query's rows with the names in the language: `short` its short form
    (`short_en` in English), `subcommittee` its full name (`name_en`)."""
    if lang != "en":
        return subs
    return subs.assign(
        short=subs["subcommittee"].map(lambda n: i18n.sub_short(n, lang, config)),
        subcommittee=subs["subcommittee"].map(lambda n: i18n.sub_name(n, lang, config)),
    )


def risks_in(risks, lang: str, config):
    """The `risks` query's rows with `subcommittee_short` in the language (`short_en` in English)."""
    if lang != "en":
        return risks
    return risks.assign(subcommittee_short=risks["subcommittee"].map(lambda n: i18n.sub_short(n, lang, config)))


def subcommittee_bars(subs, lang: str = "vi") -> go.Figure:
    """One horizontal bar per subcommittee, tasks stacked by status, worst readiness on top; the
    label is its short name (subs_in puts them in the language), the hover its full name."""
    rows = subs[subs["tasks"] > 0].sort_values("readiness", ascending=True, na_position="first")
    labels = [f"{r.short}  {i18n.percent(r.readiness, lang, 0)}" for r in rows.itertuples()]
    names = rows["subcommittee"].tolist()
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
                customdata=names,
                hovertemplate="%{customdata}<br>" + i18n.t(status, lang) + ": %{x}<extra></extra>",
            )
        )
    missing = rows["not_reported"].fillna(0).astype(int).tolist() if "not_reported" in rows else []
    if any(missing):  # only with a plan in force: no legend entry for what cannot happen
        label = i18n.t("not_reported", lang)
        fig.add_trace(
            go.Bar(
                y=labels,
                x=missing,
                orientation="h",
                name=label,
                marker=dict(color=NOT_REPORTED_COLOUR, pattern=NOT_REPORTED_PATTERN),
                text=[c if c else "" for c in missing],
                textposition="inside",
                insidetextanchor="middle",
                textfont=dict(color="#ffffff"),
                customdata=names,
                hovertemplate="%{customdata}<br>" + label + ": %{x}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="stack",
        height=max(220, 46 * len(rows) + 90),
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.28),
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
