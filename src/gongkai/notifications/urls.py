"""Pages of the reminders, under /work/notifications/."""

from django.urls import path

from gongkai.notifications import views

app_name = "notifications"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("preferences/", views.preferences, name="preferences"),
]
