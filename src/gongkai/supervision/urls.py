from django.urls import path

from gongkai.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.agencies, name="agencies"),
    path("agencies/<int:agency_id>/column/", views.column_edit, name="column_edit"),
    path("board/", views.board_current, name="board_current"),
    path("board/<int:year>/", views.board, name="board"),
    path("board/<int:year>/circular.docx", views.circular, {"kind": "docx"}, name="circular_docx"),
    path("board/<int:year>/circular.pdf", views.circular, {"kind": "pdf"}, name="circular_pdf"),
    path("board/<int:year>/<int:agency_id>/", views.agency_year, name="agency_year"),
    path("board/<int:year>/<int:agency_id>/upload/", views.upload, name="upload"),
    path("board/<int:year>/<int:agency_id>/fetch/", views.fetch, name="fetch"),
    path("filings/<int:filing_id>/", views.filing, name="filing"),
    path("filings/<int:filing_id>/progress.json", views.filing_progress, name="filing_progress"),
    path("filings/<int:filing_id>/download/", views.filing_download, name="filing_download"),
    path("work/", views.work, name="work"),
    path("filings/<int:filing_id>/findings/<int:number>/review/", views.finding_review, name="finding_review"),
    path("filings/<int:filing_id>/rectify/", views.rectify, name="rectify"),
    path("rectifications/<int:rectification_id>/", views.rectification, name="rectification"),
    path("rectifications/<int:rectification_id>/letter.docx", views.rectification_letter, name="rectification_letter"),
    path("rectifications/<int:rectification_id>/answer/", views.rectification_answer, name="rectification_answer"),
    path("rectifications/<int:rectification_id>/close/", views.rectification_close, name="rectification_close"),
    path("rectifications/<int:rectification_id>/return/", views.rectification_return, name="rectification_return"),
    path("notices/", views.notices, name="notices"),
    path("compare/", views.compare_current, name="compare_current"),
    path("compare/<int:year>/", views.compare, name="compare"),
    path("compare/<int:year>/export.xlsx", views.compare_export, name="compare_export"),
    path("compare/agency/<int:agency_id>/", views.compare_agency, name="compare_agency"),
    path("compare/agency/<int:agency_id>/export.xlsx", views.compare_agency_export, name="compare_agency_export"),
]
