"""Staff pages under /work/applications/ (names prefixed ``staff_`` in the ``applications`` namespace),
plus a case's letters (``views_reports.LETTER_URLPATTERNS``: /work/applications/<id>/letters/…)."""

from django.urls import path

from gongkai.applications import views_register, views_staff, views_templates, views_units
from gongkai.applications.views_delivery import DELIVERY_URLPATTERNS
from gongkai.applications.views_reports import LETTER_URLPATTERNS

urlpatterns = [
    path("", views_staff.worklist, name="staff_list"),
    path("new/", views_staff.register, name="staff_register"),
    path("approvals/", views_staff.approvals, name="staff_approvals"),
    path("deadline-changes/", views_staff.deadline_changes, name="staff_deadline_changes"),
    # the office head's own letter templates (upload, preview, reset)
    path("letter-templates/", views_templates.letter_templates, name="letter_templates"),
    path("letter-templates/<slug:kind>/upload/", views_templates.letter_template_upload, name="letter_template_upload"),
    path("letter-templates/<slug:kind>/reset/", views_templates.letter_template_reset, name="letter_template_reset"),
    path(
        "letter-templates/<slug:kind>/preview/", views_templates.letter_template_preview, name="letter_template_preview"
    ),
    path(
        "letter-templates/<slug:kind>/download/",
        views_templates.letter_template_download,
        name="letter_template_download",
    ),
    # routing to units (承办): the unit's work list and assignment pages, the office's assignment form
    path("units/", views_units.unit_worklist, name="unit_list"),
    path("units/<int:pk>/", views_units.assignment_detail, name="unit_assignment"),
    path("units/<int:pk>/act/<slug:action>/", views_units.assignment_act, name="unit_act"),
    path("units/<int:pk>/files/<int:file_pk>/", views_units.assignment_file, name="unit_file"),
    path("<int:pk>/assign/", views_units.assign, name="staff_assign"),
    path("<int:pk>/", views_staff.case_detail, name="staff_case"),
    path("<int:pk>/act/<slug:action>/", views_staff.act, name="staff_act"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views_staff.attachment_download, name="staff_attachment"),
    path("<int:pk>/intake-files/<int:file_pk>/", views_register.intake_file, name="staff_intake_file"),
]
urlpatterns += LETTER_URLPATTERNS
urlpatterns += DELIVERY_URLPATTERNS  # delivery (送达) and archiving (归档)
