"""URLs of the review and litigation register (table 四)."""

from django.urls import path  # noqa: F401

app_name = "litigation"
urlpatterns: list = []
