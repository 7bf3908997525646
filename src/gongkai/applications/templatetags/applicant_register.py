"""Tags of the applicant register's snippets (issue 16 §4, §5), so that the case page and the action
page show them without their views changing: ``{% case_register_for app as reg %}`` (the intake, the
applicant's other applications, a possible 重复申请), ``{% month_count_for app as mc %}`` (the fee's
count, 109号) and ``{% frequency_for app as freq %}`` (第三十五条)."""

from django import template

from gongkai import localtime
from gongkai.accounts.selectors import roles_in
from gongkai.applications import selectors_register
from gongkai.domain.applications.register import ARTICLE_35

register = template.Library()


def _roles(context, app) -> set[str]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return set()
    return roles_in(user, app.agency_id)


@register.simple_tag(takes_context=True)
def case_register_for(context, app):
    return selectors_register.case_register(app, roles=_roles(context, app), today=localtime.local_today())


@register.simple_tag(takes_context=True)
def month_count_for(context, app):
    if not _roles(context, app) & selectors_register.OFFICE_ROLES:
        return None
    return selectors_register.month_count(app)


@register.simple_tag(takes_context=True)
def frequency_for(context, app):
    if not _roles(context, app) & selectors_register.OFFICE_ROLES:
        return None
    return {
        "frequency": selectors_register.applicant_frequency(app, today=localtime.local_today()),
        "article": ARTICLE_35,
    }
