from django.conf import settings

from gongkai.accounts.models import Agency


def agency(request):
    """The agency this installation serves, for the page header."""
    return {"site_agency": Agency.objects.filter(code=settings.GONGKAI_AGENCY_CODE).first()}


class _Navigation:
    """What the header's menu offers a user: only what they can open (one query, on first use)."""

    def __init__(self, user):
        self._user = user
        self._facts = None

    def _load(self):
        if self._facts is None:
            from gongkai.accounts.models import Membership, Role
            from gongkai.domain.roles import UNIT_ROLES

            rows = set(Membership.objects.filter(user=self._user).values_list("role", "agency__kind"))
            supervisor = self._user.is_superuser or any(role == Role.SUPERVISOR for role, _ in rows)
            # a unit role (承办人, 股室负责人) works the cases routed to its unit, not the agency's
            # registers: the review register and the annual report refuse it (accounts.selectors)
            agency_staff = any(kind == Agency.Kind.AGENCY and role not in UNIT_ROLES for role, kind in rows)
            self._facts = {
                "in_agency": any(kind == Agency.Kind.AGENCY for _, kind in rows),
                "agency_staff": agency_staff,
                "supervisor": supervisor,
            }
        return self._facts

    @property
    def disclosure(self) -> bool:
        # the 主动公开 register is an agency's own: a supervising office has none (it was a 403
        # whose 返回 link led back to the same 403)
        return self._load()["in_agency"]

    @property
    def agency_work(self) -> bool:
        # applications and reviews name people: a supervising office opens none of them (counts only,
        # on its own desk), so it is not offered the menu items
        return self._load()["in_agency"]

    @property
    def reviews(self) -> bool:
        return self._load()["agency_staff"]

    @property
    def annual_reports(self) -> bool:
        # an agency's own staff, and a supervising office for the agencies it oversees
        return self._load()["agency_staff"] or self._load()["supervisor"]

    @property
    def supervision(self) -> bool:
        return self._load()["supervisor"]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": _Navigation(user)}
