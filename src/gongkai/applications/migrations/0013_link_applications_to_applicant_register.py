"""Data: every application registered before the applicant register gets its intake row and its
register entry (issue 16 §4).

Deterministic and idempotent: applications are read in id order, each applicant's register entry
takes the name and type of its first application, and an application that already has its intake
row is left alone, so running it twice (or after new applications were registered) changes nothing.
Origin: an application made from a 12345 work order (``WorkOrder.application``) is 12345工单转来 with
the order's number and the day the order was received; every other one is 直接提交. The identity
check was not recorded before: it stays empty (shown as 未记录).
"""

from django.db import migrations

from gongkai.domain.applications.register import applicant_key

CHUNK = 2000


def link(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Applicant = apps.get_model("applications", "Applicant")
    Intake = apps.get_model("applications", "Intake")
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    orders = {
        o.application_id: o
        for o in WorkOrder.objects.filter(application__isnull=False, platform="12345").only(
            "application_id", "number", "received_on"
        )
    }
    known = dict(Applicant.objects.values_list("key", "pk"))
    last = 0
    while True:
        batch = list(
            Application.objects.filter(pk__gt=last, intake__isnull=True)
            .order_by("pk")
            .only("pk", "applicant_type", "applicant_name", "id_document_type", "id_document_number", "phone")[
                :CHUNK
            ]
        )
        if not batch:
            return
        rows = []
        for app in batch:
            key = applicant_key(
                applicant_type=app.applicant_type,
                id_document_type=app.id_document_type,
                id_document_number=app.id_document_number,
                name=app.applicant_name,
                phone=app.phone,
            )
            applicant_id = None
            if key is not None:
                applicant_id = known.get(key.key)
                if applicant_id is None:
                    applicant_id = Applicant.objects.create(
                        key_kind=key.kind.value, key=key.key, applicant_type=app.applicant_type, name=app.applicant_name
                    ).pk
                    known[key.key] = applicant_id
            order = orders.get(app.pk)
            rows.append(
                Intake(
                    application_id=app.pk,
                    applicant_id=applicant_id,
                    origin="hotline_12345" if order else "direct",
                    origin_reference=order.number if order else "",
                    reached_on=order.received_on if order else None,
                )
            )
        Intake.objects.bulk_create(rows)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0012_applicant_register_and_intake"),
        ("workorders", "0002_role_choices_with_unit_roles"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
