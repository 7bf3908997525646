"""URLs of the disclosure app, one module per audience so each stays small."""

from django.urls import include, path

app_name = "disclosure"
urlpatterns = [
    path("work/documents/", include("gongkai.disclosure.urls_staff")),
    path("xxgk/", include("gongkai.disclosure.urls_public")),
]
