"""依申请公开转主动公开 (第四十四条) on the case's side: the mark in the case log.

The draft in the disclosure register is made by ``disclosure.services.document_from_application``;
``gongkai.proactive`` (above both apps) calls that and this, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from gongkai.accounts.selectors import actor_label
from gongkai.applications import clock
from gongkai.applications.models import Application, CaseEvent
from gongkai.domain.applications.proactive import LOG_PROACTIVE, check_can_mark
from gongkai.domain.errors import TransitionNotAllowed

MARKING_ROLES = frozenset({"clerk", "office_head"})


def already_marked(application: Application) -> CaseEvent | None:
    return application.events.filter(action=LOG_PROACTIVE).order_by("seq").first()


@transaction.atomic
def application_mark_proactive(
    *, application: Application, actor, actor_roles: set[str], details: dict[str, Any]
) -> CaseEvent:
    """Record in the case log that the information released was marked for proactive publication,
    with what the register made of it (``details``: its 索引号 and title). Once per case: a second
    mark returns the first row. The clocks skip the row (the case is closed; nothing moves)."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    if not set(actor_roles) & MARKING_ROLES:
        raise TransitionNotAllowed("转为主动公开应由经办人或办公室主任操作")
    check_can_mark(app.state, app.outcome_code)
    earlier = already_marked(app)
    if earlier is not None:
        return earlier
    seq = (app.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    return CaseEvent.objects.create(
        application=app,
        seq=seq,
        action=LOG_PROACTIVE,
        from_state=app.state,
        to_state=app.state,
        fields=clock.dump_fields(details),
        actor=actor,
        actor_label=actor_label(actor),
    )
