"""URLs of the new-media and public-communication registers: staff under /work/publicity/, the public
column's 新闻发布 under /xxgk/xinwenfabu/."""

from django.urls import path

from gongkai.publicity import views

app_name = "publicity"
urlpatterns = [
    path("work/publicity/", views.index, name="index"),
    path("work/publicity/accounts/new/", views.account_create, name="account_create"),
    path("work/publicity/accounts/<int:pk>/", views.account_detail, name="account"),
    path("work/publicity/months/new/", views.month_create, name="month_create"),
    path("work/publicity/months/<int:pk>/", views.month_correct, name="month_correct"),
    path("work/publicity/import/", views.import_upload, name="import"),
    path("work/publicity/import/<int:pk>/", views.import_preview, name="preview"),
    path("work/publicity/import/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("work/publicity/statistics/", views.statistics, name="statistics"),
    path("work/publicity/concerns/", views.concern_list, name="concerns"),
    path("work/publicity/concerns/new/", views.concern_create, name="concern_create"),
    path("work/publicity/concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("work/publicity/briefings/", views.briefing_list, name="briefings"),
    path("work/publicity/briefings/new/", views.briefing_create, name="briefing_create"),
    path("work/publicity/briefings/<int:pk>/", views.briefing_detail, name="briefing"),
    path("work/publicity/briefings/<int:pk>/edit/", views.briefing_edit, name="briefing_edit"),
    path("xxgk/xinwenfabu/", views.public_list, name="public_list"),
    path("xxgk/xinwenfabu/<int:pk>/", views.public_detail, name="public_detail"),
]
