"""The applicant reads the 补正 period on the public status page in the same words as in the letter:
the clock counts from the day the notice is sent (domain.clocks), so the page must not say "from
the day you received it", which would promise a later deadline than the one that is enforced."""

from datetime import date

from gongkai.applications.selectors_public import _public_event
from gongkai.domain.applications.states import Action


def test_the_status_page_counts_the_correction_period_from_the_notice_as_the_letter_does():
    event = _public_event(
        Action.REQUEST_CORRECTION,
        {"items": ["申请内容的具体名称"], "period_working_days": 10, "requested_on": date(2026, 3, 3)},
        date(2026, 3, 3),
        "",
    )
    assert "补正期限：告知书发出之日起10个工作日" in event.details
    assert not any("收到" in d for d in event.details)
