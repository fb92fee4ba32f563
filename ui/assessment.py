"""The unit's own assessment (tự đánh giá) on the pages: on the unit page its rating of the whole
unit and of each subcommittee beside the readiness the board computes, with why a rating is far from
the figures; on the subcommittee page each unit's rating for it (else of the whole unit), flagged
ones first. Every figure is the `assessments` query's (or the `heatmap` query's, for a cell)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from readiness import i18n

from .charts import assessment_of, rating_label, ratings_by_scope
from .state import lang, t
from .tables import folding_table


def _pct(value, decimals: int = 0) -> str:
    return i18n.percent(None if value is None or pd.isna(value) else float(value), lang(), decimals)


def _readiness_under(value: float, threshold: float) -> str:
    """A readiness under the threshold, never rounded up to it ('79,6%', not '80%' under 80%)."""
    return _pct(value, 0 if round(value) < threshold else 1)


def far_reason(row: dict, threshold: float) -> str | None:
    """Why a rating is far from the figures, in the numbers of the `assessments` row: "Đơn vị tự đánh
    giá Đạt nhưng mức sẵn sàng 46% (dưới 80%) và còn 6 việc quá hạn", "… Chưa đạt nhưng mức sẵn sàng
    đã 100%"; None when it is not far."""
    if not row.get("far_from_figures"):
        return None
    readiness = row.get("readiness")
    if row["rating"] == "not_ready":
        return t("far_not_ready", value=_pct(readiness))
    reasons = []
    if readiness is not None and not pd.isna(readiness) and readiness < threshold:
        limit = _pct(threshold, 0 if float(threshold).is_integer() else 1)
        reasons.append(t("far_ready_low", value=_readiness_under(float(readiness), threshold), threshold=limit))
    overdue = int(row.get("overdue") or 0)
    if overdue:
        reasons.append(t("far_ready_overdue", n=overdue))
    return t("far_ready", reasons=t("far_and").join(reasons))


def _day(value) -> str:
    return "" if value is None or pd.isna(value) else i18n.date(pd.Timestamp(value).date())


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _rating(row: dict) -> str:
    return rating_label(row["rating"], lang()) + (" ⚠" if row.get("far_from_figures") else "")


# ---------------------------------------------------------------- the unit page


def unit_block(assessments, report_date, threshold: float, config, key: str = "unit_assessment") -> None:
    """A unit's own assessment from the report that counts: the flagged ratings explained, then its
    whole-unit rating and each subcommittee's beside the readiness the board computes, the overdue
    count, the remark and the ready-by date; a line saying it sent none when it did not.
    `report_date`: its current report's date (None: it has none, and nothing is shown)."""
    if report_date is None or pd.isna(report_date):
        return
    st.markdown(f"#### {t('assessment_title')}")
    if assessments.empty:
        st.caption(t("assessment_none", date=_day(report_date)))
        return
    rows = assessments.to_dict("records")
    st.caption(t("assessment_of", date=_day(rows[0]["report_date"])))

    def scope(r: dict) -> str:
        sub = r["subcommittee"]
        return i18n.sub_short(sub, lang(), config) if isinstance(sub, str) else t("assessment_whole")

    far = [(scope(r), reason) for r in rows if (reason := far_reason(r, threshold))]
    if far:
        lines = "\n".join(f"- **{name}**: {reason}." for name, reason in far)
        st.warning(f"**{t('assessment_far_title')}**\n\n{lines}", icon=":material/warning:")
    computed, overdue, remark, ready_by = (
        t(k) for k in ("assessment_computed", "overdue", "assessment_remark", "assessment_ready_by")
    )
    view = _filled(
        pd.DataFrame(
            {
                t("assessment_scope"): [scope(r) for r in rows],
                t("self_assessment"): [_rating(r) for r in rows],
                computed: [_pct(r["readiness"]) for r in rows],
                overdue: [str(int(r["overdue"])) if r["overdue"] else "" for r in rows],
                remark: [_text(r["remark"]) for r in rows],
                ready_by: [_day(r["ready_by"]) for r in rows],
            }
        )
    )
    folding_table(view, key=key, labelled=(computed, overdue, ready_by), dotted=(computed, overdue), blocks=(remark,))


def _filled(view):
    """The table without the columns no row fills (no remark, no ready-by date given)."""
    return view[[c for c in view.columns if (view[c] != "").any()]]


# ---------------------------------------------------------------- the subcommittee page


def subcommittee_list(assessments, cells, subcommittee: str, threshold: float, key: str = "sub_assessments") -> None:
    """Each unit with tasks in the subcommittee: its rating for it (else its rating of the whole
    unit, said so) beside its readiness there (the `heatmap` query's cell), why it is far from the
    figures when it is, its remark and ready-by date. Those far off first, then the others that
    rated, then those that sent none; each group in the board's order of units."""
    st.markdown(f"#### {t('assessment_units_title')}")
    mine = cells[cells["subcommittee"] == subcommittee]
    if mine.empty:
        return
    ratings = ratings_by_scope(assessments)
    rated, unrated = [], []
    for cell in mine.itertuples():
        found = assessment_of(ratings, cell.unit, subcommittee)
        if found is None:
            unrated.append((cell, None, False))
        else:
            rated.append((cell, *found))
    if not rated:
        st.caption(t("assessment_units_none"))
        return
    st.caption(t("assessment_units_help"))
    rated.sort(key=lambda x: not x[1]["far_from_figures"])  # stable: the board's order within each group

    def rating(r: dict | None, whole: bool) -> str:
        if r is None:
            return t("assessment_not_sent")
        return _rating(r) + (f" ({t('assessment_whole').lower()})" if whole else "")

    def reason(r: dict | None, whole: bool) -> str:
        text = far_reason(r, threshold) if r is not None else None
        return "" if text is None else (f"{t('assessment_whole')}: {text}" if whole else text)

    rows = [*rated, *unrated]
    readiness, check, remark, ready_by = (
        t(k) for k in ("readiness", "assessment_check", "assessment_remark", "assessment_ready_by")
    )
    view = _filled(
        pd.DataFrame(
            {
                t("unit"): [c.unit for c, _, _ in rows],
                readiness: [_pct(c.readiness) for c, _, _ in rows],
                t("self_assessment"): [rating(r, w) for _, r, w in rows],
                check: [reason(r, w) for _, r, w in rows],
                remark: ["" if r is None else _text(r["remark"]) for _, r, _ in rows],
                ready_by: ["" if r is None else _day(r["ready_by"]) for _, r, _ in rows],
            }
        )
    )
    folding_table(view, key=key, labelled=(readiness, ready_by), dotted=(t("self_assessment"),), blocks=(check, remark))
