"""Public pages under /apply/: the application form, its receipt, the status lookup (no account)."""

from django.urls import path

from gongkai.applications import views_public as views

urlpatterns = [
    path("", views.apply, name="public_apply"),
    path("form/", views.blank_form, name="public_blank_form"),
    path("receipt/<str:number>/", views.receipt, name="public_receipt"),
    path("receipt/<str:number>/pdf", views.receipt_pdf, name="public_receipt_pdf"),
    path("status/", views.status_lookup, name="public_status"),
    path("status/forget/", views.forget, name="public_forget"),
    path("status/<str:number>/", views.case_status, name="public_case"),
    path("status/<str:number>/letters/<int:letter_id>/", views.case_letter, name="public_letter"),
]
