"""What the board pages show, computed from the store through named queries. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
