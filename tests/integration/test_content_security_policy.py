"""A strict Content-Security-Policy on every HTML page (django-csp), and pages it can hold to:
no inline script, no event-handler attribute, no style attribute or element, no javascript: URL;
and the one layout of base.html: one header, stylesheets in <head>.
Checked over every page of the site as each demo user and the public reach it (tests/integration/
crawl.py); the browser tests (tests/e2e) fail on any CSP violation in the console."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import bureau
from tests.integration import crawl
from tests.integration.test_annualreports import env, published  # noqa: F401 (env is a fixture)

pytestmark = pytest.mark.django_db

REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
# Pages that are not reached by a GET link: POST-only endpoints (their forms sit on pages that are
# crawled), files and JSON (not HTML: downloads carry their own sandbox policy), and the applicant's
# case pages, which need the number and code (tests/integration/test_applications_public.py).
NOT_BY_LINK = {
    "accounts:logout",
    "applications:public_forget",
    "applications:letter_generate",
    "applications:letter_upload_signed",
    "applications:letter_template_upload",
    "litigation:document_add",
    "annualreports:staff_open",
    "annualreports:staff_sections",
    "annualreports:staff_act",
    "disclosure:staff_validity",
    "applications:public_receipt",
    "applications:public_receipt_pdf",
    "applications:public_case",
    "applications:public_letter",
    "applications:letter_download",
    "applications:staff_attachment",
    "disclosure:public_attachment",
    "disclosure:staff_attachment",
    "audits:batch_progress",
    "workorders:confirm",
    "publicity:confirm",
    "annualreports:staff_download",
    # a published annual report: test_the_public_annual_report_pages_hold_to_the_policy
    "annualreports:public_report",
    "annualreports:public_download",
    # the supervisor's desk: POST-only moves, JSON progress, files (the pages of a follow-up are also
    # checked with an agency's answer in tests/integration/test_supervision.py)
    "supervision:upload",
    "supervision:fetch",
    "supervision:filing_progress",
    "supervision:filing_download",
    "supervision:finding_review",
    "supervision:rectify",
    "supervision:rectification_letter",
    "supervision:circular_docx",
    "supervision:circular_pdf",
    "supervision:compare_export",
    "supervision:compare_agency_export",
    "supervision:rectification_answer",
    "supervision:rectification_close",
    "supervision:rectification_return",
    # delivery and archiving: POST-only moves (the evidence list too: a heavy rendering), files, JSON
    "applications:delivery_record",
    "applications:delivery_served",
    "applications:delivery_proof",
    "applications:delivery_proof_download",
    "applications:return_receipt",
    "applications:evidence",
    "applications:archive_case",
    "applications:archive_package",
    "applications:archive_progress",
}
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"(href|src|action)\s*=\s*\"\s*javascript:", re.I)
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"", re.I)


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def _audit_batch():
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="jiandu"))
    text = "示范区教育局2025年政府信息公开工作年度报告\n一、总体情况\n".encode()
    response = client.post(reverse("audits:batches"), {"files": [SimpleUploadedFile("报告.txt", text)]})
    assert response.status_code == 302
    return response["Location"]


def test_every_html_page_has_a_strict_policy_and_nothing_inline(django_capture_on_commit_callbacks):
    call_command("seed_demo", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        batch_url = _audit_batch()
    from gongkai.disclosure.models import Document

    # a document's moves are buttons (forms), not links: one move's page by its address
    newest = Document.objects.filter(is_public=True).order_by("-published_on", "-pk").first()
    # the reset confirmation of a letter template is linked only once the agency uploaded one
    # a unit's answer file is linked from its case's page, and the crawl opens only a few case pages
    from gongkai.applications.models import AssignmentFile

    answered = AssignmentFile.objects.select_related("assignment").order_by("pk").first()
    assert answered is not None, "the demo has a unit's answer with a file"
    # the papers of a forwarded application are linked from its case page (issue 16 §5); 依申请公开转主动公开
    # (第四十四条) is linked from a case answered 予以公开, which the crawl may not open
    from gongkai.applications.models import Application, IntakeFile

    forwarded = IntakeFile.objects.order_by("pk").first()
    assert forwarded is not None, "the demo has a forwarded application with its papers"
    released = Application.objects.filter(state="replied", outcome_code="disclosed").order_by("pk").first()
    assert released is not None, "the demo has a case answered 予以公开"
    extras = (
        batch_url,
        f"/work/applications/{answered.assignment.application_id}/",
        f"/work/applications/{forwarded.application_id}/",
        f"/work/proactive/case/{released.pk}/",
        f"/work/documents/{newest.pk}/act/revise/",
        "/work/applications/letter-templates/correction_notice/reset/",
    )
    visits = crawl.crawl(extra_urls=extras)
    pages = [v for v in visits if v.html]
    assert len(pages) > 100
    assert check_pages(pages) == []
    assert crawl.missing_patterns(visits, NOT_BY_LINK) == set()


def check_pages(pages) -> list[str]:
    problems = []
    for v in pages:
        where = f"{v.user or 'public'} {v.url} ({v.status})"
        if not v.csp:
            problems.append(f"{where}: no Content-Security-Policy")
            continue
        policy = directives(v.csp)
        for name, value in REQUIRED.items():
            if policy.get(name) != [value]:
                problems.append(f"{where}: {name} is {policy.get(name)}, expected {value}")
        for pattern, what in (
            (INLINE_SCRIPT, "inline <script>"),
            (EVENT_HANDLER, "on…= attribute"),
            (STYLE_ATTRIBUTE, "style= attribute"),
            (STYLE_ELEMENT, "<style> element"),
            (JS_URL, "javascript: URL"),
        ):
            m = pattern.search(v.html)
            if m:
                problems.append(f"{where}: {what}: {v.html[m.start() : m.start() + 120]!r}")
        # stylesheets in <head> only: one linked in <main> restyles the page after it first renders
        body = v.html[v.html.find("</head>") :]
        m = STYLESHEET.search(body)
        if m:
            problems.append(f"{where}: stylesheet outside <head>: {body[m.start() : m.start() + 120]!r}")
        # a <title> is text: markup in it means a template put content in the title block
        title = re.search(r"<title>(.*?)</title>", v.html, re.S)
        if title and "<" in title.group(1):
            problems.append(f"{where}: markup inside <title>: {title.group(1)[:80]!r}")
        # Django's admin pages have a layout of their own (popups without a header)
        if not v.url.startswith("/admin/") and v.html.count("<header") != 1:
            problems.append(f"{where}: {v.html.count('<header')} <header> elements, expected the one of base.html")
    return problems


def test_the_public_annual_report_pages_hold_to_the_policy(client, env):
    report = published(env)
    year = report.year
    for url in ("/xxgk/nianbao/", f"/xxgk/nianbao/{year}/"):
        response = client.get(url)
        assert response.status_code == 200
        visit = crawl.Visit(
            None,
            url,
            "",
            200,
            response["Content-Type"],
            response.get("Content-Security-Policy"),
            response.content.decode(),
        )
        assert check_pages([visit]) == []


def test_error_pages_and_refusals_carry_the_policy_too(client):
    bureau()
    client.raise_request_exception = False
    for response in (client.get("/no-such-page/"), client.get("/xxgk/documents/999999/")):
        assert response.status_code == 404 and "script-src 'self'" in response["Content-Security-Policy"]
    too_big = client.generic("POST", "/apply/", b"x", content_type="text/plain", CONTENT_LENGTH=str(10**12))
    assert too_big.status_code == 413 and "script-src 'self'" in too_big["Content-Security-Policy"]


def test_an_attachment_download_keeps_its_own_sandbox_policy():
    from gongkai.disclosure import views_public

    assert views_public.ATTACHMENT_CSP == "default-src 'none'; sandbox"
    # the middleware never overwrites a policy a view has set (django-csp: only when absent)
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.test import RequestFactory

    response = HttpResponse(b"x")
    response["Content-Security-Policy"] = views_public.ATTACHMENT_CSP
    out = CSPMiddleware(lambda r: response).process_response(RequestFactory().get("/"), response)
    assert out["Content-Security-Policy"] == views_public.ATTACHMENT_CSP
