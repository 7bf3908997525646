"""Reads about agencies and roles."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from gongkai.accounts.models import Agency, Membership, Role


def memberships_of(user: AbstractBaseUser) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("agency").order_by("agency__name", "role")


def roles_of(user: AbstractBaseUser) -> set[str]:
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def agencies_visible_to(user: AbstractBaseUser) -> QuerySet[Agency]:
    """The agencies whose work a user may read: their own, and those their supervising office oversees."""
    own = Membership.objects.filter(user=user).values_list("agency_id", flat=True)
    supervising = Membership.objects.filter(user=user, role=Role.SUPERVISOR).values_list("agency_id", flat=True)
    return (
        Agency.objects.filter(kind=Agency.Kind.AGENCY)
        .filter(Q(id__in=own) | Q(supervised_by_id__in=supervising))
        .distinct()
    )


def primary_agency(user: AbstractBaseUser) -> Agency | None:
    m = memberships_of(user).first()
    return m.agency if m else None
