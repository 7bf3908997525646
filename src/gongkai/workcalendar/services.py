"""Writes of the calendar: what happens when a holiday notice is entered, changed or removed.

The notice itself is saved by the admin (validated as a whole by ``forms``); right after, in the
same transaction, every app whose dates depend on the calendar recomputes them (the applications
app: every open case's deadlines), so no page shows a provisional date once the notice is in (not
the next morning). The apps listen to ``signals.holiday_notice_changed``: they build on the
calendar, not the other way round.
"""

from __future__ import annotations

from datetime import date

from gongkai.workcalendar.signals import holiday_notice_changed


def notice_changed(*, year: int, actor=None, today: date) -> list:
    """Let every dependent app recompute for the calendar as it now stands; returns their changes
    (for applications, the ``DeadlineChange``s)."""
    changes: list = []
    for _receiver, result in holiday_notice_changed.send(sender=None, year=year, actor=actor, today=today):
        changes.extend(result or ())
    return changes
