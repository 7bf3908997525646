"""Writes of the outbox: queue a message (once per key), send what is due, the daily digests, a
user's choice of channels.

Sending is at least once and never loses a message: a message is claimed (``sending``, with the
time) in its own transaction before the backend is called, and marked ``sent`` after; a worker
killed in between leaves a ``sending`` message that is put back to ``pending`` once it is older than
``GONGKAI_OUTBOX_STALE_MINUTES`` and tried again. A failure is retried later, at most
``GONGKAI_OUTBOX_MAX_ATTEMPTS`` times in all, then the message is ``failed`` with its error kept.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gongkai.accounts.models import Agency, Membership
from gongkai.accounts.selectors import actor_label
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.domain.notifications import Channel, MessageState, QuietHours, check_mobile, sms_text
from gongkai.notifications import digest, sms
from gongkai.notifications.models import OutboxMessage, Preference

log = logging.getLogger(__name__)


def quiet_hours() -> QuietHours:
    return QuietHours.parse(getattr(settings, "GONGKAI_SMS_QUIET_HOURS", "21:00-08:00"))


def _not_before(channel: Channel, now: datetime) -> datetime:
    if channel is not Channel.SMS:
        return now
    return quiet_hours().release_at(timezone.localtime(now))


def preference_for(user) -> Preference:
    """The user's choice (an unsaved default when they never chose: e-mail and the digest, no SMS)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def _queue(
    *,
    channel: Channel,
    recipient: str,
    label: str,
    subject: str,
    body: str,
    key: str,
    now: datetime,
    user=None,
    agency: Agency | None = None,
) -> OutboxMessage:
    full_key = f"{key}:{channel.value}"
    existing = OutboxMessage.objects.filter(key=full_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return OutboxMessage.objects.create(
                channel=channel.value,
                recipient=recipient,
                recipient_label=label[:100],
                user=user,
                agency=agency,
                subject=subject[:200],
                body=sms_text(subject, body) if channel is Channel.SMS else body,
                key=full_key,
                not_before=_not_before(channel, now),
            )
    except IntegrityError:  # queued at the same moment by another run
        return OutboxMessage.objects.get(key=full_key)


def notify_user(
    *, user, subject: str, body: str, key: str, agency: Agency | None = None, now: datetime | None = None
) -> list[OutboxMessage]:
    """Queue a message to a member of staff on each channel they chose (and can be reached on).
    ``key`` names the occasion (e.g. ``chase:12:2``): the same occasion is queued once."""
    now = now or timezone.now()
    pref = preference_for(user)
    out = []
    label = actor_label(user)
    if pref.email_enabled and user.email:
        out.append(
            _queue(
                channel=Channel.EMAIL,
                recipient=user.email,
                label=label,
                subject=subject,
                body=body,
                key=key,
                now=now,
                user=user,
                agency=agency,
            )
        )
    if pref.sms_enabled and pref.phone:
        out.append(
            _queue(
                channel=Channel.SMS,
                recipient=pref.phone,
                label=label,
                subject=subject,
                body=body,
                key=key,
                now=now,
                user=user,
                agency=agency,
            )
        )
    return out


def notify_address(
    *,
    channel: str,
    recipient: str,
    label: str,
    subject: str,
    body: str,
    key: str,
    agency: Agency | None = None,
    now: datetime | None = None,
) -> OutboxMessage:
    """Queue a message to an address that is no user's (an applicant's e-mail or mobile)."""
    return _queue(
        channel=Channel(channel),
        recipient=recipient,
        label=label,
        subject=subject,
        body=body,
        key=key,
        now=now or timezone.now(),
        agency=agency,
    )


# -- sending ----------------------------------------------------------------------------------------


def _deliver(message: OutboxMessage) -> str:
    if message.channel == Channel.EMAIL:
        EmailMessage(message.subject, message.body, to=[message.recipient]).send(fail_silently=False)
        return ""
    return sms.backend().send(message.recipient, message.body)


def outbox_send_due(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every message whose time has come; put back stale ``sending`` ones first. Returns counts."""
    now = now or timezone.now()
    stale_before = now - timedelta(minutes=int(getattr(settings, "GONGKAI_OUTBOX_STALE_MINUTES", 10)))
    max_attempts = int(getattr(settings, "GONGKAI_OUTBOX_MAX_ATTEMPTS", 5))
    reclaimed = OutboxMessage.objects.filter(state=MessageState.SENDING, claimed_at__lt=stale_before).update(
        state=MessageState.PENDING.value
    )
    counts = {"sent": 0, "failed": 0, "retry": 0, "reclaimed": reclaimed}
    due = list(
        OutboxMessage.objects.filter(state=MessageState.PENDING, not_before__lte=now)
        .order_by("not_before", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        # claim: only one worker wins a message (the update is conditional on its state)
        won = OutboxMessage.objects.filter(pk=pk, state=MessageState.PENDING).update(
            state=MessageState.SENDING.value, claimed_at=now, attempts=F("attempts") + 1
        )
        if not won:
            continue
        message = OutboxMessage.objects.get(pk=pk)
        try:
            provider_id = _deliver(message)
        except Exception as exc:  # noqa: BLE001 - any backend failure is kept on the message and retried
            error = f"{type(exc).__name__}: {exc}"[:500]
            if message.attempts >= max_attempts:
                OutboxMessage.objects.filter(pk=pk).update(state=MessageState.FAILED.value, last_error=error)
                counts["failed"] += 1
            else:
                later = _not_before(Channel(message.channel), now + timedelta(minutes=5 * message.attempts))
                OutboxMessage.objects.filter(pk=pk).update(
                    state=MessageState.PENDING.value, last_error=error, not_before=later
                )
                counts["retry"] += 1
            log.warning("outbox: message %s: %s", pk, error)
            continue
        OutboxMessage.objects.filter(pk=pk).update(
            state=MessageState.SENT.value, sent_at=timezone.now(), provider_id=provider_id[:100], last_error=""
        )
        counts["sent"] += 1
    return counts


# -- the daily digest -------------------------------------------------------------------------------


def digests_queue(*, today: date, now: datetime | None = None) -> int:
    """Queue today's digest for every member of staff who wants one and has something due or overdue
    (the registered sources say what). Once per user and day. Returns how many were queued."""
    now = now or timezone.now()
    User = get_user_model()
    staff = User.objects.filter(is_active=True, pk__in=Membership.objects.values("user_id")).order_by("pk")
    queued = 0
    for user in staff:
        key = f"digest:{user.pk}:{today.isoformat()}"
        if not preference_for(user).digest_enabled or OutboxMessage.objects.filter(key__startswith=key + ":").exists():
            continue
        lines = digest.digest_lines(user, today)
        if not lines:
            continue
        agency = Membership.objects.filter(user=user).select_related("agency").first()
        made = notify_user(
            user=user,
            subject=f"{today:%Y年%m月%d日}待办提醒",
            body="\n".join(lines),
            key=key,
            agency=agency.agency if agency else None,
            now=now,
        )
        queued += bool(made)
    return queued


# -- a user's choice ---------------------------------------------------------------------------------


@transaction.atomic
def preference_save(*, user, email_enabled: bool, sms_enabled: bool, phone: str, digest_enabled: bool) -> Preference:
    """Save how ``user`` is reminded; an SMS needs a mobile number (FieldError in Chinese)."""
    phone = (phone or "").strip()
    if phone:
        try:
            phone = check_mobile(phone)
        except DomainError as err:
            raise FieldError("phone", err.message) from None
    if sms_enabled and not phone:
        raise FieldError("phone", "选择短信提醒须填写手机号码")
    pref, _ = Preference.objects.get_or_create(user=user)
    pref.email_enabled, pref.sms_enabled, pref.phone, pref.digest_enabled = (
        email_enabled,
        sms_enabled,
        phone,
        digest_enabled,
    )
    pref.save()
    return pref
