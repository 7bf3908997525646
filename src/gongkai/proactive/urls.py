"""URLs of 依申请公开转主动公开 (第四十四条), under /work/proactive/."""

from django.urls import path

from gongkai.proactive import views

app_name = "proactive"
urlpatterns = [
    path("", views.year_list, name="year"),
    path("case/<int:pk>/", views.from_case, name="from_case"),
]
