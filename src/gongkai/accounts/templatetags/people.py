from django import template

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A name in Chinese order (family name first, no space); the user name when none is set."""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()
