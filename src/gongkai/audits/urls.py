from django.urls import path

from gongkai.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.batch_list, name="batches"),
    path("batches/<int:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/progress.json", views.batch_progress, name="batch_progress"),
    path("batches/<int:batch_id>/export.json", views.batch_export_json, name="batch_export_json"),
    path("batches/<int:batch_id>/export.xlsx", views.batch_export_xlsx, name="batch_export_xlsx"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
]
