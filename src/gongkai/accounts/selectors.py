"""Reads about agencies and roles."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.accounts.models import Agency, Membership, Role, Unit
from gongkai.domain.applications.review import DEFAULT_REVIEW_POLICY, ReviewPolicy
from gongkai.domain.applications.sign_off import DEFAULT_SIGN_OFF_POLICY, SignOffPolicy
from gongkai.domain.roles import UNIT_ROLES

_UNIT_ROLE_VALUES = [r.value for r in UNIT_ROLES]


def memberships_of(user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("agency", "unit").order_by("agency__name", "role")


def roles_of(user: AbstractBaseUser) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def agencies_visible_to(user: AbstractBaseUser) -> QuerySet[Agency]:
    """The agencies whose work a user may read: their own, and those their supervising office oversees.
    A unit role (承办人, 股室负责人) reads none: only the cases routed to its unit (:func:`units_of`)."""
    own = Membership.objects.filter(user=user).exclude(role__in=_UNIT_ROLE_VALUES).values_list("agency_id", flat=True)
    supervising = Membership.objects.filter(user=user, role=Role.SUPERVISOR).values_list("agency_id", flat=True)
    return (
        Agency.objects.filter(kind=Agency.Kind.AGENCY)
        .filter(Q(id__in=own) | Q(supervised_by_id__in=supervising))
        .distinct()
    )


def agencies_worked_in(user: AbstractBaseUser) -> QuerySet[Agency]:
    """The agencies in which ``user`` holds a role: the only ones whose cases (with the applicants'
    names and identity documents) they may open. A supervising office sees counts and rates of the
    agencies it oversees, never a person's details (gongkai.supervision).
    A unit role (承办人, 股室负责人) opens only the cases routed to its unit (:func:`units_of`)."""
    own = Membership.objects.filter(user=user).exclude(role__in=_UNIT_ROLE_VALUES).values_list("agency_id", flat=True)
    return Agency.objects.filter(kind=Agency.Kind.AGENCY, id__in=own).distinct()


def units_of(user: AbstractBaseUser) -> QuerySet[Unit]:
    """The units in which ``user`` holds a unit role: whose assigned cases they read and answer."""
    return Unit.objects.filter(memberships__user=user, memberships__role__in=_UNIT_ROLE_VALUES).distinct()


def units_of_agency(agency: Agency | int) -> QuerySet[Unit]:
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return Unit.objects.filter(agency_id=agency_id).order_by("kind", "name")


def primary_agency(user: AbstractBaseUser) -> Agency | None:
    m = memberships_of(user).first()
    return m.agency if m else None


def roles_in(user: AbstractBaseUser, agency: Agency | int) -> set[str]:
    """The roles ``user`` holds in one agency (an agency or its id): the only ones that count for acting
    on its work. A supervisor of the agency holds none there: supervision is read-only."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return set(Membership.objects.filter(user=user, agency_id=agency_id).values_list("role", flat=True))


def actor_label(user: AbstractBaseUser | None, *, nobody: str = "系统") -> str:
    """The name a log shows for who acted: the user's full name (or login), ``nobody`` when no user
    acted — the background job (系统), or on an application the applicant through the public form."""
    if user is None:
        return nobody
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def site_agency() -> Agency | None:
    """The agency whose public pages this installation serves (settings.GONGKAI_AGENCY_CODE)."""
    return Agency.objects.filter(code=settings.GONGKAI_AGENCY_CODE, kind=Agency.Kind.AGENCY).first()


def sign_off_policy_for(agency: Agency) -> SignOffPolicy:
    """The agency's settings: which replies are signed off, and by whom (per outcome). The one reading
    of what the settings page stores (services.agency_settings_update); the applications app acts on it."""
    chains = agency.sign_off_chains or {}
    if agency.sign_off_outcomes is None:
        return SignOffPolicy(DEFAULT_SIGN_OFF_POLICY.outcomes_needing_sign_off, chains)
    return SignOffPolicy(frozenset(agency.sign_off_outcomes), chains)


def review_policy_for(agency: Agency) -> ReviewPolicy:
    """The agency's settings of the reviews a draft reply needs before sign-off: 法制审核 (default: 部分公开
    and every refusal) and 保密审查 (default: none), per outcome."""
    legal = agency.legal_review_outcomes
    secrecy = agency.secrecy_review_outcomes
    return ReviewPolicy(
        legal=DEFAULT_REVIEW_POLICY.legal if legal is None else frozenset(legal),
        secrecy=DEFAULT_REVIEW_POLICY.secrecy if secrecy is None else frozenset(secrecy),
    )


# -- the registers kept by an agency's office (proposals, work orders, new media) -----------------------

# who keeps those registers: the clerk and the office head write; the others read (agencies_visible_to)
REGISTER_WRITE_ROLES = frozenset({Role.CLERK.value, Role.OFFICE_HEAD.value})


def writing_agencies(user: AbstractBaseUser) -> QuerySet[Agency]:
    """The agencies in whose registers ``user`` writes (as clerk or office head), by name."""
    return (
        Agency.objects.filter(
            kind=Agency.Kind.AGENCY, memberships__user=user, memberships__role__in=list(REGISTER_WRITE_ROLES)
        )
        .distinct()
        .order_by("name")
    )


def register_agency_for(user: AbstractBaseUser, code: str | None) -> Agency | None:
    """The agency whose register a page shows: the one named by ``code`` if the user may read it (404
    otherwise, absent and forbidden alike), else the first they write in, else the first they read."""
    agencies = agencies_visible_to(user).order_by("name")
    if code:
        found = agencies.filter(code=code).first()
        if found is None:
            raise Http404("机构不存在")
        return found
    return writing_agencies(user).first() or agencies.first()
