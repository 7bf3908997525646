"""URLs of the work-order register, under /work/workorders/."""

from django.urls import path

from gongkai.workorders import views

app_name = "workorders"
urlpatterns = [
    path("work/workorders/", views.order_list, name="list"),
    path("work/workorders/import/", views.import_upload, name="import"),
    path("work/workorders/import/<int:pk>/", views.import_preview, name="preview"),
    path("work/workorders/import/<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("work/workorders/export/", views.export, name="export"),
    path("work/workorders/statistics/", views.statistics, name="statistics"),
    path("work/workorders/settings/<slug:platform>/", views.platform_settings, name="settings"),
    path("work/workorders/<int:pk>/", views.order_detail, name="detail"),
    path("work/workorders/<int:pk>/act/<slug:action>/", views.order_act, name="act"),
    path("work/workorders/<int:pk>/to-application/", views.order_to_application, name="to_application"),
]
