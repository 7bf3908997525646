"""The supervisor's audit flow through the test client: upload, results, exports, access."""

import io
import json
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.accounts.models import Agency, Membership, Role
from gongkai.audits.models import AuditBatch, AuditedReport, AuditFindingsPage
from gongkai.audits.presentation import finding_pages, report_summary
from tests.factories import GOV_OFFICE, bureau

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """POST an upload; the test transaction never commits, so run what it queues "on commit"."""

    def _upload(files, **data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("audits:batches"), {"files": files, **data})

    return _upload


@pytest.fixture
def supervisor(client):
    bureau()
    user = get_user_model().objects.get(username="jiandu")
    client.force_login(user)
    return user


def _samples_zip(shared_dir) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for path in sorted((shared_dir / "samples").glob("sample-*.txt")):
            z.write(path, path.name)
    return buf.getvalue()


def test_a_zip_of_the_five_samples_is_audited_and_listed(client, supervisor, upload, shared_dir):
    zipped = SimpleUploadedFile("samples.zip", _samples_zip(shared_dir), content_type="application/zip")
    response = upload([zipped], title="2021年度抽查")
    batch = AuditBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("audits:batch", args=[batch.pk])
    assert batch.reports.count() == 5
    assert set(batch.reports.values_list("status", flat=True)) == {AuditedReport.Status.DONE}
    page = client.get(reverse("audits:batch", args=[batch.pk])).content.decode()
    assert "无锡市梁溪区教育局" in page and "乐清市教育局" in page
    progress = client.get(reverse("audits:batch_progress", args=[batch.pk])).json()
    assert progress == {"total": 5, "finished": 5, "percent": 100, "complete": True}


def test_a_report_page_shows_the_original_with_findings_marked(client, supervisor, upload, shared_dir):
    data = (shared_dir / "samples" / "sample-02.txt").read_bytes()
    upload([SimpleUploadedFile("sample-02.txt", data)])
    report = AuditedReport.objects.get()
    assert report.summary["count"] == len(report.result["findings"]) == report.finding_pages.get().findings.__len__()
    assert report.result["format"] == "2021" and report.result["year"] == 2021
    html = client.get(reverse("audits:report", args=[report.pk])).content.decode()
    assert "<mark" in html and "永嘉县发展和改革局" in html
    # every finding says how sure it is
    assert html.count('data-testid="certainty"') == len(report.result["findings"])
    assert any(f["where"]["spans"] for f in report.result["findings"])


def test_exports_carry_every_report_and_finding(client, supervisor, upload, shared_dir):
    upload([SimpleUploadedFile("samples.zip", _samples_zip(shared_dir))])
    batch = AuditBatch.objects.get()
    exported = json.loads(client.get(reverse("audits:batch_export_json", args=[batch.pk])).content)
    assert len(exported) == 5 and {"file", "format", "year", "agency", "tables", "findings"} <= set(exported[0])
    response = client.get(reverse("audits:batch_export_xlsx", args=[batch.pk]))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["汇总", "问题清单", "表二", "表三", "表四", "旧式统计"]
    assert wb["汇总"].max_row == 6
    formats = {row[5] for row in wb["汇总"].iter_rows(min_row=2, values_only=True)}
    assert formats and all("格式" in f or "旧式" in f for f in formats), formats  # named in Chinese
    assert wb["问题清单"]["E1"].value == "把握" and wb["问题清单"]["E2"].value in {"确定", "较可能", "待核实"}
    assert wb["表二"].max_row > 1 and wb["表四"].max_row > 1  # the samples' tables 二 and 四
    findings_total = sum(len(r["findings"]) for r in exported)
    assert wb["问题清单"].max_row == 1 + findings_total


def test_nothing_audit_able_is_refused_and_nothing_is_stored(client, supervisor, upload):
    response = upload([SimpleUploadedFile("virus.exe", b"MZ")])
    assert response.status_code == 200
    html = response.content.decode()
    assert "不支持的文件类型" in html and "没有可审计的文件" in html
    assert not AuditBatch.objects.exists()


def test_another_supervisors_batches_and_reports_are_not_found(client, supervisor, upload):
    upload([SimpleUploadedFile("s.txt", b"abc")])
    batch, report = AuditBatch.objects.get(), AuditedReport.objects.get()
    other = get_user_model().objects.create_user("jiandu2")
    Membership.objects.create(user=other, agency=Agency.objects.get(code=GOV_OFFICE), role=Role.SUPERVISOR)
    client.force_login(other)
    for url in (
        reverse("audits:batch", args=[batch.pk]),
        reverse("audits:report", args=[report.pk]),
        reverse("audits:batch_export_json", args=[batch.pk]),
        reverse("audits:batch_export_xlsx", args=[batch.pk]),
    ):
        assert client.get(url).status_code == 404


def test_the_audit_pages_require_login(client):
    response = client.get(reverse("audits:batches"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["jingban", "zhuren", "lingdao", "baomi"])
def test_only_the_supervisor_role_may_use_the_audit(client, supervisor, upload, username):
    upload([SimpleUploadedFile("s.txt", b"abc")])
    batch, report = AuditBatch.objects.get(), AuditedReport.objects.get()
    client.force_login(get_user_model().objects.get(username=username))
    page = client.get(reverse("audits:batches"))
    assert page.status_code == 403
    assert "上级政务公开办" in page.content.decode()
    refused = upload([SimpleUploadedFile("x.txt", "某县教育局2023年政府信息公开工作年度报告".encode())])
    assert refused.status_code == 403 and AuditedReport.objects.count() == 1
    for url in (
        reverse("audits:batch", args=[batch.pk]),
        reverse("audits:batch_progress", args=[batch.pk]),
        reverse("audits:report", args=[report.pk]),
        reverse("audits:batch_export_json", args=[batch.pk]),
        reverse("audits:batch_export_xlsx", args=[batch.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_a_user_with_no_role_may_not_upload(client, upload):
    client.force_login(get_user_model().objects.create_user("nobody"))
    assert upload([SimpleUploadedFile("x.txt", b"abc")]).status_code == 403
    assert not AuditedReport.objects.exists()


def _report_with_findings(user, n: int, *, stored: bool = True) -> AuditedReport:
    """A done report with ``n`` findings; ``stored``: with its summary and finding pages saved as
    the audit saves them (else as a report audited before they existed: read from the result)."""
    text = "".join(f"第{i}行\n" for i in range(n))
    findings, pos = [], 0
    for i in range(n):
        line = f"第{i}行"
        span = {
            "start": pos,
            "end": pos + len(line),
            "original_start": pos,
            "original_end": pos + len(line),
            "text": line,
        }
        severity = "error" if i < 5 else "warning"
        findings.append(
            {
                "rule": "unmatched_row" if i >= 5 else "t3_sum",
                "severity": severity,
                "message": f"问题{i}",
                "where": {"cells": [], "spans": [span], "expected": None, "actual": None},
            }
        )
        pos += len(line) + 1
    batch = AuditBatch.objects.create(title="大", created_by=user)
    result = {"file": "big.txt", "format": None, "year": None, "agency": None, "tables": {}, "findings": findings}
    report = AuditedReport.objects.create(
        batch=batch,
        position=1,
        filename="big.txt",
        content=b"",
        size=0,
        status="done",
        result=result,
        text=text,
        original=text,
        summary=report_summary(result) if stored else None,
    )
    if stored:
        for number, page in enumerate(finding_pages(findings), start=1):
            AuditFindingsPage.objects.create(report=report, number=number, findings=page)
    return report


@pytest.mark.parametrize("stored", [True, False], ids=["stored-pages", "older-report"])
def test_the_report_page_shows_findings_a_page_at_a_time_and_counts_them_by_rule(client, supervisor, stored):
    report = _report_with_findings(supervisor, 450, stored=stored)
    url = reverse("audits:report", args=[report.pk])
    first = client.get(url).content.decode()
    assert first.count('<li id="finding-') == 200
    assert first.count("<mark") == 200  # the text marks this page's findings only
    assert "共450项" in first and "第1页，共3页" in first
    groups = client.get(url).context["groups"]
    assert [(g.rule, g.count) for g in groups] == [("t3_sum", 5), ("unmatched_row", 445)]
    last = client.get(url, {"page": 3})
    html = last.content.decode()
    assert html.count('<li id="finding-') == 50 and 'id="finding-449"' in html
    assert 'data-findings="449"' in html and 'data-findings="0"' not in html and 'title="#450"' in html
    assert "问题449 <code>" in html and "问题0 <code>" not in html
    assert client.get(url, {"page": "x"}).status_code == 200  # a bad page number shows the first


def test_the_report_text_is_escaped_inside_and_outside_the_marks(client, supervisor):
    report = _report_with_findings(supervisor, 3)
    report.original = "<script>x</script>" + report.original[18:]
    report.save()
    html = client.get(reverse("audits:report", args=[report.pk])).content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in re.sub(r"</?mark[^>]*>", "", html)


def test_the_migration_stores_summaries_and_pages_of_reports_audited_before(supervisor):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gongkai.audits.migrations.0003_report_summaries")
    report = _report_with_findings(supervisor, 450, stored=False)
    migration.forwards(apps, None)
    report.refresh_from_db()
    assert report.summary == report_summary(report.result)
    assert [len(p.findings) for p in report.finding_pages.order_by("number")] == [200, 200, 50]
