"""Summaries and finding pages for reports audited before they were stored (the report page
reads these instead of decoding the whole result)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gongkai.audits.presentation import finding_pages, report_summary

    report_model = apps.get_model("audits", "AuditedReport")
    page_model = apps.get_model("audits", "AuditFindingsPage")
    done = report_model.objects.filter(status="done", summary__isnull=True, result__isnull=False)
    for report in done.only("id", "result").iterator(chunk_size=50):
        result = report.result or {}
        page_model.objects.bulk_create(
            page_model(report_id=report.pk, number=n, findings=page)
            for n, page in enumerate(finding_pages(result.get("findings", [])), start=1)
        )
        report_model.objects.filter(pk=report.pk).update(summary=report_summary(result))


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_report_attempts_and_pages")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
