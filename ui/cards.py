"""The page heading and the countdown card."""

from __future__ import annotations

import streamlit as st

from readiness import i18n

from .state import lang, now, t, today


def title_bar(config) -> None:
    """The exercise's name and D-day, on every page."""
    st.markdown(f"### {config.name}")
    st.caption(f"{t('phase')}: **{_phase_name(config)}** · {t('today')}: {i18n.date(today())}")


def _phase_name(config) -> str:
    from readiness.board import countdown

    cd = countdown(config, now())
    if cd.phase is None:
        return "–"
    return i18n.milestone_name(cd.phase, lang())


def countdown_card(config) -> None:
    """Days and hours to D-day, the phase and the next milestone."""
    from readiness.board import countdown

    cd = countdown(config, now())
    if cd.passed and cd.days == 0:
        value = t("d_day_now")
    elif cd.passed:
        value = t("after_d_day", days=cd.days)
    else:
        value = t("days_left", days=cd.days, hours=cd.hours)
    label = f"{t('d_day')}: {config.d_day:%H:%M} {i18n.date(config.d_day.date())}"
    nxt = ""
    if cd.next:
        name = i18n.milestone_name(cd.next, lang())
        nxt = f"{t('next_milestone')}: {name} {i18n.date_short(cd.next.date.date())}"
    st.metric(label, value, delta=nxt or None, delta_color="off", delta_arrow="off", border=True)
