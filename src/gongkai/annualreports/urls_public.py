"""The public 年报 section under /xxgk/nianbao/ (no login)."""

from django.urls import path

from gongkai.annualreports import views_public as views

urlpatterns = [
    path("", views.public_index, name="public_index"),
    path("<int:year>/", views.public_report, name="public_report"),
    path("<int:year>/<slug:kind>/", views.public_download, name="public_download"),
]
