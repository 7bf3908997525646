"""URLs of the applications app, one module per audience so each stays small."""

from django.urls import include, path

app_name = "applications"
urlpatterns = [
    path("apply/", include("gongkai.applications.urls_public")),
    path("work/applications/", include("gongkai.applications.urls_staff")),
    path("work/statistics/", include("gongkai.applications.urls_reports")),
]
