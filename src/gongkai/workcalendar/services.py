"""Writes of the calendar: what happens when a holiday notice is entered, changed or removed.

The notice itself is saved by the admin (validated as a whole by ``forms``); right after, in the
same transaction, every open application's deadlines are recomputed against the calendar that
now includes it, so no page shows a provisional date once the notice is in (not the next morning).
"""

from __future__ import annotations

from datetime import date


def notice_changed(*, year: int, actor=None, today: date) -> list:
    """Recompute every open case for the calendar as it now stands; returns the ``DeadlineChange``s."""
    # imported here: the applications app builds on workcalendar, not the other way round
    from gongkai.applications.services import deadlines_recompute_after_notice

    return deadlines_recompute_after_notice(year=year, actor=actor, today=today)
