"""The demo's routing to units (承办): a few open cases of 示范区教育局 assigned to its two units, one
answered, one returned as 不属于本单位, one signed for, one still waiting — played through the services."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.accounts.models import Agency, Unit
from gongkai.applications import services
from gongkai.applications.models import Application, Assignment
from gongkai.demo.accounts import AGENCY
from gongkai.domain.errors import DomainError


def seed_routing(today: date | None = None) -> int:
    """Assign up to three open cases whose reply is still some days off; nothing if any case of the
    agency is already assigned. Returns the number of assignments made."""
    today = today or timezone.localdate()
    agency = Agency.objects.filter(code=AGENCY["code"]).first()
    if agency is None or Assignment.objects.filter(application__agency=agency).exists():
        return 0
    units = {u.name: u for u in Unit.objects.filter(agency=agency)}
    if set(units) < {"基础教育股", "计划财务股"}:
        return 0
    User = get_user_model()
    clerk, jichu, caiwu = (User.objects.get(username=u) for u in ("jingban", "chengban1", "chengban2"))
    cases = list(
        Application.objects.filter(agency=agency, state__in=services.open_states(), reply_due__gt=today)
        .exclude(state="awaiting_sign_off")
        .order_by("-reply_due")[:3]
    )
    made = 0
    for i, app in enumerate(cases):
        targets = (
            [units["基础教育股"], units["计划财务股"]] if i == 0 else [units["基础教育股" if i == 1 else "计划财务股"]]
        )
        try:
            created = services.assignment_create(
                application=app,
                units=targets,
                actor=clerk,
                actor_roles={"clerk"},
                today=today,
                instructions="请查找本单位制作或保存的相关信息，提出拟办意见。",
            )
        except DomainError:
            continue
        made += len(created)
        if i == 0:  # 会签: one unit returns it, the other answers
            first, second = created
            _act(first, jichu, "return_to_office", today, return_kind="not_ours", reason="该信息由计划财务股制作并保存")
            _act(second, caiwu, "accept", today)
            _act(
                second,
                caiwu,
                "answer",
                today,
                proposed_outcome="disclosed",
                opinion="经查，本股制作并保存该信息，不属于第十四条、第十五条、第十六条规定的情形，拟予以公开。",
                files=[("查找到的信息.txt", "text/plain", "计划财务股查找到的相关信息（示范数据）。\n".encode())],
            )
        elif i == 1:
            _act(created[0], jichu, "accept", today)
    return made


def _act(a: Assignment, user, action: str, today: date, files=(), **fields) -> None:
    services.assignment_transition(
        assignment=a, action=action, actor=user, actor_roles={"unit_staff"}, fields=fields, today=today, files=files
    )
