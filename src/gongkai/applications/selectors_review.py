"""Reads of the reply reviews (法制审核, 保密审查): what waits for each reviewer."""

from __future__ import annotations

from gongkai.applications.models import Application
from gongkai.domain.applications.workflow import State


def awaiting_review_count(agency_id: int, state: State) -> int:
    """Draft replies of the agency waiting in ``state`` (答复待法制审核 or 答复待保密审查)."""
    return Application.objects.filter(agency_id=agency_id, state=state.value).count()
