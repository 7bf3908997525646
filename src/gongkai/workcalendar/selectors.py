"""The working-day calendar in force: the shipped notices plus those the agency entered."""

from datetime import date

from gongkai.domain.calendar import WorkingCalendar
from gongkai.workcalendar.models import HolidayNotice


def working_calendar() -> WorkingCalendar:
    entered = [n.to_domain() for n in HolidayNotice.objects.prefetch_related("periods", "makeup_workdays")]
    return WorkingCalendar.official().with_notices(entered)


def missing_notice_year(calendar: WorkingCalendar, today: date) -> int | None:
    """The year whose notice is missing and soon needed: this year, or from October on the next.

    The State Council publishes the next year's notice between late October and early December,
    and a 40-working-day clock started in November already reaches into January.
    """
    if today.year not in calendar.covered_years:
        return today.year
    if today.month >= 10 and today.year + 1 not in calendar.covered_years:
        return today.year + 1
    return None
