"""Moving the "now" timestamps of a scripted demo step to the day the step happened.

The demo plays a year of work through the services on one afternoon, so every timestamp the
database sets to "now" (a log's ``recorded_at``, the history's ``history_date``, ``updated_at``)
says today. After each step, :class:`Backdater` moves what the step wrote to the step's day. This is
the only write in the demo that bypasses the services, and only the demo does it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Model
from django.utils import timezone


def aware(day: date, minutes: int) -> datetime:
    """``minutes`` after 9:00 on ``day``, in the installation's time zone."""
    return timezone.make_aware(datetime.combine(day, time(9, 0)) + timedelta(minutes=minutes))


@dataclass(frozen=True)
class Appended:
    """An append-only table a step writes to: its rows past the last mark are the step's.

    ``rows`` is a manager or queryset (``CaseEvent.objects``, ``Document.history``), ``key`` its
    increasing key (``pk``, ``history_id``), ``field`` the timestamp to move."""

    rows: object
    key: str
    field: str


class Backdater:
    """After each step, moves the timestamps it wrote to its day: the rows it appended to ``tables``
    and the ``updated_at`` (and, when ``created``, ``created_at``) of the object it ``touched``.

    Each step is ``every`` minutes after the previous one, counted modulo ``within`` from 9:00, so a
    day's moves read in order. Make it before the first step; after a step that was rolled back,
    call :meth:`skip`."""

    def __init__(self, *tables: Appended, every: int, within: int) -> None:
        self.tables = tables
        self.every = every
        self.within = within
        self.minutes = 0
        self.marks = self._marks()

    def _marks(self) -> list[int]:
        return [t.rows.aggregate(m=Max(t.key))["m"] or 0 for t in self.tables]

    def skip(self) -> None:
        """Take the marks again (what a failed step wrote was rolled back)."""
        self.marks = self._marks()

    def stamp(self, day: date, touched: Model | None = None, *, created: bool = False) -> None:
        self.minutes = (self.minutes + self.every) % self.within
        when = aware(day, self.minutes)
        for table, mark in zip(self.tables, self.marks):
            table.rows.filter(**{f"{table.key}__gt": mark}).update(**{table.field: when})
        if touched is not None:
            dates = {"updated_at": when} | ({"created_at": when} if created else {})
            type(touched)._default_manager.filter(pk=touched.pk).update(**dates)
        self.marks = self._marks()
