"""Reads of the outbox: the office's page."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gongkai.accounts.models import Membership
from gongkai.notifications.models import OutboxMessage

# who reads the outbox of their agency: the office (it sends the applicants' notices and the 督办)
OFFICE_ROLES = ("clerk", "office_head")


def office_agency_ids(user) -> list[int]:
    return list(
        Membership.objects.filter(user=user, role__in=OFFICE_ROLES).values_list("agency_id", flat=True).distinct()
    )


def outbox_for(user, *, state: str = "", channel: str = "") -> QuerySet[OutboxMessage]:
    """The messages of the agencies where ``user`` works in the office, and their own, newest first."""
    qs = OutboxMessage.objects.filter(Q(agency_id__in=office_agency_ids(user)) | Q(user=user))
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    return qs.order_by("-created_at", "-pk")
