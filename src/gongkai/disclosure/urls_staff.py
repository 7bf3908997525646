"""Staff pages under /work/documents/ (names prefixed ``staff_`` in the ``disclosure`` namespace)."""

from django.urls import path

from gongkai.disclosure import views_staff

urlpatterns = [
    path("", views_staff.document_list, name="staff_list"),
    path("queue/", views_staff.queue, name="staff_queue"),
    path("overdue/", views_staff.overdue, name="staff_overdue"),
    path("new/", views_staff.create, name="staff_create"),
    path("figures/", views_staff.figures_current, name="staff_figures_current"),
    path("figures/<int:year>/", views_staff.figures, name="staff_figures"),
    path("<int:pk>/", views_staff.detail, name="staff_detail"),
    path("<int:pk>/edit/", views_staff.edit, name="staff_edit"),
    path("<int:pk>/act/<slug:action>/", views_staff.act, name="staff_act"),
    path("<int:pk>/validity/", views_staff.change_validity, name="staff_validity"),
    path("<int:pk>/files/<int:att_pk>/", views_staff.attachment_download, name="staff_attachment"),
]
