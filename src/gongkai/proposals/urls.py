"""URLs of the suggestions and proposals register: staff under /work/proposals/, the public column's
建议提案复文公开 under /xxgk/jianyitian/."""

from django.urls import path

from gongkai.proposals import views

app_name = "proposals"
urlpatterns = [
    path("work/proposals/", views.proposal_list, name="list"),
    path("work/proposals/new/", views.proposal_create, name="create"),
    path("work/proposals/settings/", views.proposal_settings, name="settings"),
    path("work/proposals/<int:pk>/", views.proposal_detail, name="detail"),
    path("work/proposals/<int:pk>/act/<slug:action>/", views.proposal_act, name="act"),
    path("xxgk/jianyitian/", views.public_list, name="public_list"),
    path("xxgk/jianyitian/<int:pk>/", views.public_detail, name="public_detail"),
]
