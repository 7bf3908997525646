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
    # the staff of a unit of the agency (股室, 直属单位, school) a case is routed to (承办), and its head
    UNIT_STAFF = "unit_staff"
    UNIT_HEAD = "unit_head"
    # reviews a draft reply before sign-off (domain.applications.review); never signs
    LEGAL_REVIEWER = "legal_reviewer"
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
    Role.UNIT_STAFF: "承办人",
    Role.UNIT_HEAD: "股室负责人",
    Role.LEGAL_REVIEWER: "法制审核人员",
    Role.APPLICANT: "申请人",
    Role.SYSTEM: "系统",
}


# The roles a user holds through a membership (the others act without an account).
STAFF_ROLES: tuple[Role, ...] = tuple(r for r in Role if r not in (Role.APPLICANT, Role.SYSTEM))


# The roles held in a unit: they give no reading of the agency's work beyond the unit's assignments.
UNIT_ROLES: frozenset[Role] = frozenset({Role.UNIT_STAFF, Role.UNIT_HEAD})


def known_roles(actor_roles: Iterable[str]) -> frozenset[Role]:
    """The workflow roles among a user's role keys (keys the domain does not know are ignored)."""
    known = {r.value for r in Role}
    return frozenset(Role(r) for r in actor_roles if r in known)
