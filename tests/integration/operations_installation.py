"""Run inside a separate gongkai installation by tests/integration/test_operations_restore.py.

Each installation is its own process with its own database (an SQLite file, or a database created
on the PostgreSQL server of DATABASE_URL) and its own MEDIA_ROOT, under the production settings:
what an operator has after ``make setup`` on a new machine. Usage::

    python operations_installation.py setup [--demo]   migrate; the demo year plus extras, or the demo people only
    python operations_installation.py fingerprint      every row of every gongkai table as JSON (files by SHA-256)
    python operations_installation.py write STOPFILE PROGRESSFILE   submit applications until STOPFILE exists
    python operations_installation.py consistency      do the applications and their logs match?
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import models  # noqa: E402

SHARED = Path(__file__).resolve().parents[3] / "shared"
TODAY = date(2026, 3, 2)  # a Monday with the 2026 notice shipped: the script works on any day


def _applicant(i: int) -> dict:
    return {
        "applicant_type": "natural_person",
        "applicant_name": f"申请人{i}",
        "id_document_type": "resident_id",
        "id_document_number": "110101199001011237",
        "phone": "13800000000",
        "description": f"测试申请{i}",
        "delivery_form": "electronic",
        "delivery_channel": "email",
    }


def setup(demo: bool) -> None:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not demo:
        from gongkai.demo.accounts import seed_demo

        seed_demo()
        return
    call_command("seed_demo", verbosity=0)
    # What the demo year lacks: an application with an uploaded attachment, and audited reports
    # (their uploaded bytes live in the database, their results are JSON).
    from gongkai.accounts.models import Agency
    from gongkai.applications.services import application_submit
    from gongkai.audits.services import audit_batch_create
    from gongkai.audits.uploads import Expanded

    application_submit(
        agency=Agency.objects.get(code="demo-edu"),
        channel="in_person",
        applicant=_applicant(0),
        submitted_on=TODAY,
        handed_in_on=TODAY,
        today=TODAY,
        attachments=[("身份证明.pdf", "application/pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")],
    )
    files = [(p.name, p.read_bytes()) for p in sorted((SHARED / "samples").glob("sample-*.txt"))[:3]]
    audit_batch_create(
        user=get_user_model().objects.get(username="jiandu"), title="备份测试", expanded=Expanded(files=files)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _value(field, obj):
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        if not value:
            return ""
        with value.storage.open(value.name, "rb") as f:
            return [value.name, hashlib.sha256(f.read()).hexdigest()]
    if isinstance(value, (bytes, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, (date, datetime, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    return value


def fingerprint() -> dict:
    out = {}
    for model in apps.get_models():
        label = model._meta.label
        if not (model.__module__.startswith("gongkai.") or label in {"auth.User", "auth.Group"}):
            continue
        if label == "operations.WorkerHeartbeat":
            continue
        fields = model._meta.concrete_fields
        out[label] = [{f.name: _value(f, o) for f in fields} for o in model._default_manager.order_by("pk")]
    return out


def write(stop: Path, progress: Path) -> None:
    """Submit applications one by one (each: the case, its first log entry, its history row, in
    one transaction) until told to stop; the count so far goes to ``progress`` after each."""
    from gongkai.accounts.models import Agency
    from gongkai.applications.services import application_submit

    agency = Agency.objects.get(code="demo-edu")
    n = 0
    while not stop.exists():
        n += 1
        application_submit(
            agency=agency,
            channel="in_person",
            applicant=_applicant(n),
            submitted_on=TODAY,
            handed_in_on=TODAY,
            today=TODAY,
        )
        # written aside and renamed: a reader never sees the file truncated between two counts
        partial = progress.with_suffix(".partial")
        partial.write_text(str(n))
        partial.replace(progress)
        time.sleep(0.002)


def consistency() -> dict:
    from django.db.models import Count, Exists, OuterRef, Q

    from gongkai.applications.models import Application, CaseEvent

    history = Application.history.model.objects.filter(id=OuterRef("pk"))
    cases = Application.objects.annotate(submits=Count("events", filter=Q(events__action="submit")))
    return {
        "applications": Application.objects.count(),
        "events": CaseEvent.objects.count(),
        "without_submit_event": cases.filter(submits=0).count(),
        "without_history": Application.objects.filter(~Exists(history)).count(),
    }


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "setup":
        setup(demo="--demo" in sys.argv)
    elif cmd == "fingerprint":
        json.dump(fingerprint(), sys.stdout, ensure_ascii=False, default=str)
    elif cmd == "write":
        write(Path(sys.argv[2]), Path(sys.argv[3]))
    elif cmd == "consistency":
        json.dump(consistency(), sys.stdout)
    else:
        sys.exit(f"unknown command {cmd}")
