"""``{% review_cases_for application as reviews %}`` for the snippet on an application's case page."""

from django import template

from gongkai.litigation import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def review_cases_for(context, application):
    """The reviews and suits that arose from ``application``, and whether the user may register one."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "cases": list(selectors.review_cases_for_application(application)),
        "can_write": bool(user and user.is_authenticated and selectors.can_write(user, application.agency_id)),
    }
