"""The demo's deliveries (送达): the replies of a few concluded cases of 示范区教育局 recorded as served
— by EMS with its tracking number, by e-mail, handed over at the window —, one EMS reply still in
the post (待登记送达日期) — played through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.applications import services_delivery
from gongkai.applications.models import Application, DeliveryRecord, Letter
from gongkai.demo.accounts import AGENCY
from gongkai.domain.applications.serving import s10_check_digit
from gongkai.domain.errors import DomainError

CLERK_ROLES = {"clerk"}


def _ems_number(n: int) -> str:
    serial = f"{31000000 + n:08d}"
    return f"EA{serial}{s10_check_digit(serial)}CN"


def seed_deliveries(today: date | None = None, *, limit: int = 8) -> int:
    """Record the delivery of up to ``limit`` replies; nothing if the agency has any. Returns the count."""
    today = today or timezone.localdate()
    agency = Agency.objects.filter(code=AGENCY["code"]).first()
    if agency is None or DeliveryRecord.objects.filter(application__agency=agency).exists():
        return 0
    clerk = get_user_model().objects.get(username="jingban")
    cases = Application.objects.filter(agency=agency, state="replied", concluded_on__isnull=False).order_by(
        "-concluded_on", "-pk"
    )[: limit + 4]
    made = 0
    for i, app in enumerate(cases):
        reply = Letter.objects.filter(application=app, kind__startswith="reply_").order_by("-created_at", "-pk").first()
        if reply is None or made >= limit:
            continue
        sent = app.concluded_on
        by_post = app.delivery_channel == "post" or i % 3 == 0
        args: dict = {"sent_on": sent}
        if by_post:
            served = sent + timedelta(days=3)
            args |= {
                "method": "ems",
                "tracking_number": _ems_number(app.pk),
                "address": app.address or "示范区人民路1号",
            }
            # the latest one is still in the post: its served date is waited for, never guessed
            if made and served <= today:
                args["served_on"] = served
        elif app.delivery_channel == "email" and app.email:
            args |= {"method": "email", "address": app.email, "served_on": sent}
        else:
            args |= {"method": "in_person", "served_on": sent, "signed_by": app.applicant_name}
        try:
            services_delivery.delivery_record_create(
                letter=reply, actor=clerk, actor_roles=CLERK_ROLES, today=today, **args
            )
        except DomainError:
            continue
        made += 1
    return made
