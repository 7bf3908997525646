"""Staff pages under /work/annual-reports/ (names prefixed ``staff_`` in the ``annualreports`` namespace)."""

from django.urls import path

from gongkai.annualreports import views_staff as views

urlpatterns = [
    path("", views.index, name="staff_index"),
    path("<int:year>/", views.year_detail, name="staff_year"),
    path("<int:year>/open/", views.open_year, name="staff_open"),
    path("<int:year>/sections/", views.save_sections, name="staff_sections"),
    path("<int:year>/act/<slug:action>/", views.act, name="staff_act"),
    path("<int:year>/download/<slug:kind>/", views.download, name="staff_download"),
    path("<int:year>/previous/", views.previous, name="staff_previous"),
]
