from django.conf import settings

from gongkai.accounts.models import Agency


def agency(request):
    """The agency this installation serves, for the page header."""
    return {"site_agency": Agency.objects.filter(code=settings.GONGKAI_AGENCY_CODE).first()}
