"""URLs of the annual reports app: the staff workspace and register, and the public 年报 section."""

from django.urls import include, path

app_name = "annualreports"
urlpatterns = [
    path("work/annual-reports/", include("gongkai.annualreports.urls_staff")),
    path("xxgk/nianbao/", include("gongkai.annualreports.urls_public")),
]
