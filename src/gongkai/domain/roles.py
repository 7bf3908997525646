"""Who acts in the workflows: the one list of roles. The staff roles (:data:`STAFF_ROLES`) are what a
membership of an agency may hold; ``gongkai.accounts.models.Role`` (the model's choices) is built from them."""

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


# The roles a user holds through a membership (the others act without an account).
STAFF_ROLES: tuple[Role, ...] = tuple(r for r in Role if r not in (Role.APPLICANT, Role.SYSTEM))


def known_roles(actor_roles: Iterable[str]) -> frozenset[Role]:
    """The workflow roles among a user's role keys (keys the domain does not know are ignored)."""
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in actor_roles if r in known)
