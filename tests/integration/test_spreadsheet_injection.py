"""Formula injection: hostile text typed by applicants or carried in uploaded reports' names never
becomes a live formula in any Excel export (OWASP CSV/formula injection)."""

import io
from datetime import date

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gongkai import spreadsheets
from gongkai.applications.models import Application
from tests.factories import bureau

HOSTILE = [
    '=HYPERLINK("http://evil.example/x","点击")',
    "=2+5+cmd|'calc'!A0",
    "+1+cmd|'/c calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|'calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _formula_cells(content: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [
        f"{ws.title}!{c.coordinate}={c.value!r}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _texts(content: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@given(st.text(max_size=30))
def test_neutralised_text_never_starts_with_a_formula_trigger_and_keeps_its_content(text):
    safe = spreadsheets.neutralise(text)
    assert not safe.startswith(spreadsheets.FORMULA_TRIGGERS)
    assert safe in (text, "'" + text)


def test_numbers_and_dates_stay_numbers_and_dates():
    wb = openpyxl.Workbook()
    spreadsheets.append_row(wb.active, [1, 2.5, -3, date(2026, 3, 2), None, "=1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    row = next(openpyxl.load_workbook(buf).active.iter_rows(values_only=True))
    assert row[:3] == (1, 2.5, -3) and row[3].date() == date(2026, 3, 2) and row[4] is None
    assert row[5] == "'=1+1"


@pytest.mark.django_db
def test_hostile_applicant_names_are_plain_text_in_the_statistics_export(client):
    agency = bureau().agency
    Application.objects.bulk_create(
        [
            Application(
                agency=agency,
                tracking_number=f"T-{n}",
                submission_year=2026,
                sequence=n,
                query_code_hash="x",
                channel="in_person",
                applicant_type="natural_person",
                applicant_name=name,
                id_document_type="resident_id",
                id_document_number="110101199001011237",
                phone="1",
                description="d",
                delivery_form="paper",
                delivery_channel="post",
                received_on=date(2026, 3, 2),
                state="in_progress",
            )
            for n, name in enumerate(HOSTILE, 1)
        ]
    )
    client.force_login(get_user_model().objects.get(username="zhuren"))
    response = client.get(reverse("applications:statistics_export"), {"year": 2026})
    assert response.status_code == 200
    assert _formula_cells(response.content) == []
    texts = _texts(response.content)
    for name in HOSTILE:
        assert "'" + name in texts  # still readable, never evaluated


@pytest.mark.django_db
def test_hostile_report_file_names_are_plain_text_in_the_audit_export(client, django_capture_on_commit_callbacks):
    client.force_login(bureau().people["jiandu"])
    text = '=HYPERLINK("http://evil.example","点击")教育局2021年政府信息公开工作年度报告\n'.encode()
    files = [SimpleUploadedFile(f"{name}.txt", text) for name in HOSTILE[:2]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audits:batches"), {"files": files})
    assert response.status_code == 302
    batch_url = response["Location"]
    batch_id = int(batch_url.rstrip("/").rsplit("/", 1)[-1])
    export = client.get(reverse("audits:batch_export_xlsx", args=[batch_id]))
    assert export.status_code == 200
    assert _formula_cells(export.content) == []
    texts = _texts(export.content)
    assert "'=2+5+cmd|'calc'!A0.txt" in texts
