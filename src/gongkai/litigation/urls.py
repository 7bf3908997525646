"""URLs of the review and litigation register (table 四), under /work/reviews/."""

from django.urls import path

from gongkai.litigation import views

app_name = "litigation"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/conclude/", views.case_conclude, name="conclude"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/documents/<int:document_pk>/", views.document_download, name="document"),
]
