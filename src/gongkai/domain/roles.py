"""Who acts in the workflows. One list for the whole domain; the staff keys match gongkai.accounts.Role."""

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"
    OFFICE_HEAD = "office_head"
    LEADER = "leader"
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer"
    SUPERVISOR = "supervisor"
    APPLICANT = "applicant"  # the person or organisation that applied (no account)
    SYSTEM = "system"  # the background job (lapses, reminders)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Role.CLERK: "经办人",
    Role.OFFICE_HEAD: "办公室主任",
    Role.LEADER: "局领导",
    Role.CONFIDENTIALITY_REVIEWER: "保密审查员",
    Role.SUPERVISOR: "上级政务公开办",
    Role.APPLICANT: "申请人",
    Role.SYSTEM: "系统",
}


def known_roles(actor_roles: Iterable[str]) -> frozenset[Role]:
    """The workflow roles among a user's role keys (keys the domain does not know are ignored)."""
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in actor_roles if r in known)
