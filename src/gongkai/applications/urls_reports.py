"""/work/statistics/: the year's figures for the office and the leadership, and their Excel export."""

from django.urls import path

from gongkai.applications import views_reports

urlpatterns = [
    path("", views_reports.statistics_page, name="statistics"),
    path("export.xlsx", views_reports.statistics_export, name="statistics_export"),
]
