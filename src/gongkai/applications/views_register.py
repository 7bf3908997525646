"""Staff pages of the applicant register and the intake (issue 16 §4, §5): the download of a paper
registered with an application (转来的原件, 授权委托书). The register itself is shown on the case
page (``templatetags.applicant_register``); registering goes through ``views_staff.register``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from gongkai.accounts.selectors import roles_in
from gongkai.applications import selectors, selectors_register
from gongkai.downloads import stored_file_response


@login_required
@require_GET
def intake_file(request, pk: int, file_pk: int):
    app = selectors.case_for(request.user, pk)
    f = selectors_register.intake_file_for(roles_in(request.user, app.agency_id), app, file_pk)
    return stored_file_response(f.file, filename=f.original_name, content_type=f.content_type)
