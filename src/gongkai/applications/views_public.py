"""The applicant's pages (no account): apply, receipt (page and PDF), status lookup, final letters.

Access without an account rests on two things the applicant holds: the tracking number and the
query code. Right after submitting, the submitting browser's session holds a *grant* for the new
number (and, for one hour, the code, so the receipt can show it); a lookup with number + code gives
the same grant. Every page of a case checks the grant; without one it sends the visitor to the
lookup form, whatever the number, so a guessed number learns nothing.

Writes go through ``services.application_submit``, which commits the case (application, first
log entry, attachments, reply deadline) in one transaction before this view answers with a
redirect to the receipt: a receipt is never shown for a case that is not stored, and a failure
shows the form again, with what was typed, and a Chinese message that nothing was stored.

Crash between commit and receipt (kill -9, out of memory): nothing the dying request would have
written to the session or the cache survives, so the query code is made *before* the service is
called and kept in the session under the form's token, and the session is saved then (the form
page itself gave the browser its session cookie). A resubmission of the same form from the same
browser finds the code, checks it against the stored digest, and shows the receipt with it for
``PENDING_CODE_SECONDS``; anyone else gets the receipt without the code and is told how to
recover it (the receipt and the status page explain: same browser, the PDF receipt, or the office
with an identity document).

Duplicates: each form page carries a one-time token; the service turns a second submission of it
into the first application. The two requests of a double click race, so (1) a busy SQLite is
tried again (:func:`_submit`), (2) the twin finds the first one's code in the cache by token for a
few minutes (the twins may hold different session cookies), and (3) a token that comes back with
different content (a form page served twice) is stored as a new application, never answered with
someone else's receipt.
"""

from __future__ import annotations

import hmac
import logging
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from gongkai import localtime
from gongkai.accounts.selectors import site_agency
from gongkai.applications import notices, receipts, services
from gongkai.applications import selectors_public as selectors
from gongkai.applications.forms_public import ApplicationForm, LookupForm
from gongkai.domain.applications.delivery import CHANNEL_LABELS, DELIVERY_PAIRS, FORM_LABELS
from gongkai.domain.applications.receipt import Channel
from gongkai.domain.applications.tracking import new_query_code
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import APPLICANT_TYPES
from gongkai.workcalendar.selectors import working_calendar

logger = logging.getLogger(__name__)

SESSION_KEY = "gongkai.apply"
CODE_SHOWN_SECONDS = 60 * 60  # the receipt shows the query code for an hour, in the submitting browser only
# A code kept for a form's token before its commit: how long the same browser may resubmit the
# same form after a crash and still see the code.
PENDING_CODE_SECONDS = 24 * 60 * 60
GRANT_SECONDS = 2 * 60 * 60
MAX_GRANTS = 20
# A double click races the first request: its twin waits this long for the first one's code,
# which stays in the cache (keyed by the form's secret token) for TWIN_CODE_SECONDS.
TWIN_WAIT_SECONDS = 3.0
TWIN_CODE_SECONDS = 10 * 60
SUBMIT_RETRY_DELAYS = (0.1, 0.3, 0.6, 1.0, 1.5)
# The applicant's pages sit in the public column (disclosure/public/base_public.html) under its
# 依申请公开 menu item.
PUBLIC_NAV = {"public_nav": "apply"}

TOO_MANY_SUBMISSIONS = "提交过于频繁，请稍后再试。"
TOO_MANY_LOOKUPS = "查询过于频繁，请稍后再试。"
WRONG_NUMBER_OR_CODE = "申请编号或查询码不正确"
NOT_SAVED = "系统暂时出现错误，申请没有提交成功，也没有保存任何内容。您填写的内容仍在下方，请稍后重新提交。"


def _rate(setting: str, default: str):
    def rate(group, request) -> str:
        return getattr(settings, setting, default)

    return rate


def _agency():
    agency = site_agency()
    if agency is None:
        raise Http404("本系统尚未设置受理机关")
    return agency


# -- what the session holds ---------------------------------------------------------------------


def _data(session) -> dict:
    data = session.get(SESSION_KEY) or {}
    return {
        "receipts": dict(data.get("receipts", {})),
        "grants": dict(data.get("grants", {})),
        "pending": dict(data.get("pending", {})),
    }


def _store(session, data: dict) -> None:
    now = time.time()
    data["receipts"] = {n: r for n, r in data["receipts"].items() if now - r.get("t", 0) < CODE_SHOWN_SECONDS}
    pending = {k: p for k, p in data["pending"].items() if now - p.get("t", 0) < PENDING_CODE_SECONDS}
    data["pending"] = dict(sorted(pending.items(), key=lambda kv: kv[1].get("t", 0))[-MAX_GRANTS:])
    grants = {n: t for n, t in data["grants"].items() if now - t < GRANT_SECONDS}
    data["grants"] = dict(sorted(grants.items(), key=lambda kv: kv[1])[-MAX_GRANTS:])
    session[SESSION_KEY] = data


def _grant(session, number: str, *, code: str | None = None, submitted: bool = False) -> None:
    data = _data(session)
    now = time.time()
    data["grants"][number] = now
    if submitted:
        data["receipts"][number] = {"c": code, "t": now}
    _store(session, data)


def _has_grant(session, number: str) -> bool:
    t = _data(session)["grants"].get(number)
    return t is not None and time.time() - t < GRANT_SECONDS


def _receipt_entry(session, number: str) -> dict | None:
    r = _data(session)["receipts"].get(number)
    if r is None or time.time() - r.get("t", 0) >= CODE_SHOWN_SECONDS:
        return None
    return r


def _pending_code(session, token: uuid.UUID) -> str:
    """The code kept for this form in this session (a resubmission), or a new one, kept now."""
    data = _data(session)
    entry = data["pending"].get(str(token))
    if entry is not None and time.time() - entry.get("t", 0) < PENDING_CODE_SECONDS:
        return entry["c"]
    code = new_query_code()
    data["pending"][str(token)] = {"c": code, "t": time.time()}
    _store(session, data)
    return code


def _kept_code_for(session, token: uuid.UUID | None, app) -> str | None:
    """The code this session kept for ``token``, if it is the code of ``app``."""
    if token is None:
        return None
    entry = _data(session)["pending"].get(str(token))
    if entry is None or time.time() - entry.get("t", 0) >= PENDING_CODE_SECONDS:
        return None
    digest = services.query_code_digest(entry["c"])
    return entry["c"] if hmac.compare_digest(digest.encode(), app.query_code_hash.encode()) else None


def _code_key(token: uuid.UUID) -> str:
    return f"gongkai.apply.code.{token}"


def _twin_code(token: uuid.UUID | None, number: str, *, wait: float) -> str | None:
    """The code a twin request (double click) was given, kept briefly in the cache by form token.

    The twins of a double click may carry no session cookie yet, or overwrite each other's
    session, so the code is passed between them through the cache; the first may still be
    storing it, so wait for it a moment.
    """
    if token is None:
        return None
    deadline = time.monotonic() + wait
    while True:
        entry = cache.get(_code_key(token))
        if entry is not None and entry.get("n") == number:
            return entry.get("c")
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.1)


def _to_lookup(number: str):
    # The same answer for every number without a grant: whether it exists is not revealed.
    return redirect(f"{reverse('applications:public_status')}?{urlencode({'number': number[:40]})}")


# -- apply --------------------------------------------------------------------------------------


def _typed(post) -> dict:
    return {name: post.get(name, "") for name in ApplicationForm.base_fields if name != "attachments"}


def _render_form(request, form, *, problem: str = "", files_lost: bool = False, status: int = 200):
    error_count = len(form.errors) if form.is_bound else 0
    return render(
        request,
        "applications/public/apply.html",
        {**PUBLIC_NAV, "form": form, "problem": problem, "files_lost": files_lost, "error_count": error_count},
        status=status,
    )


@require_GET
def blank_form(request):
    """The 申请表 on paper, for visitors who apply in person or by post (第二十九条: 书面形式)."""
    agency = _agency()
    forms = [(FORM_LABELS[f], [CHANNEL_LABELS[c] for c in channels]) for f, channels in DELIVERY_PAIRS.items()]
    return render(
        request,
        "applications/public/blank_form.html",
        {**PUBLIC_NAV, "agency": agency, "delivery_pairs": forms, "applicant_types": list(APPLICANT_TYPES.values())},
    )


@ratelimit(group="gongkai.apply.submit", key="ip", rate=_rate("GONGKAI_APPLY_RATE", "10/h"), method="POST", block=False)
@require_http_methods(["GET", "POST"])
@never_cache  # each visitor must get their own form token: a cached form would merge strangers' applications
def apply(request):
    agency = _agency()
    if request.method == "GET":
        # The browser gets its session cookie with the form: the code kept in the session before
        # the commit must reach the same browser if the receipt is lost (see the module's doc).
        _store(request.session, _data(request.session))
        return _render_form(request, ApplicationForm(initial={"submission_token": uuid.uuid4()}))
    files_lost = bool(request.FILES)
    if getattr(request, "limited", False):
        return _render_form(
            request,
            ApplicationForm(initial=_typed(request.POST)),
            problem=TOO_MANY_SUBMISSIONS,
            files_lost=files_lost,
            status=429,
        )
    form = ApplicationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_form(request, form, files_lost=files_lost)
    token = form.cleaned_data["submission_token"]
    today = localtime.local_today()
    fields = dict(
        agency=agency,
        channel=Channel.ONLINE.value,
        applicant=form.applicant(),
        submitted_on=today,
        # 第三十一条: online, receipt is the day both sides confirm; the system confirms at once.
        confirmed_on=today,
        attachments=form.attachment_triples(),
        today=today,
        note=form.registration_note,
    )
    code = None
    if token is not None:
        code = _pending_code(request.session, token)
        request.session.save()  # now, before the commit: a crash after it must not lose the code
    try:
        submitted = _submit(**fields, submission_token=token, query_code=code)
        if not submitted.created and not _same_submission(submitted.application, form):
            # The token came with someone else's application (a form page served twice): this is
            # not a resubmission, so it must neither see that case nor be lost. Store it anew.
            logger.warning("a form token came back with different content; stored as a new application")
            token = None
            submitted = _submit(**fields, submission_token=None)
    except Exception as err:
        # The service's transaction rolled back: nothing of this request is stored. A twin request
        # (double click) may have stored the same form meanwhile; then its receipt is the answer.
        earlier = selectors.application_by_token(token) if token is not None else None
        if earlier is None or not _same_submission(earlier, form):
            return _refused(request, form, err, files_lost)
        submitted = services.Submitted(earlier, None, False)
    _remember(request, submitted, token)
    if submitted.created and form.cleaned_data.get("notify_by"):
        # checked by the form; the receipt is ready at once (online: received the day it is submitted)
        notices.applicant_opt_in(application=submitted.application, channel=form.cleaned_data["notify_by"])
    return redirect("applications:public_receipt", number=submitted.application.tracking_number)


def _same_submission(app, form: ApplicationForm) -> bool:
    return all(getattr(app, name) == value for name, value in form.applicant().items())


def _remember(request, submitted: services.Submitted, token: uuid.UUID | None) -> None:
    """Give this browser the new case (and its code, or the code its twin request was given)."""
    number = submitted.application.tracking_number
    if submitted.created:
        _grant(request.session, number, code=submitted.query_code, submitted=True)
        if token is not None:
            try:
                cache.set(_code_key(token), {"n": number, "c": submitted.query_code}, TWIN_CODE_SECONDS)
            except Exception:  # the case is stored and this browser has its code; only a twin would miss it
                logger.warning("could not keep the query code of %s for a twin request", number, exc_info=True)
    elif (kept := _kept_code_for(request.session, token, submitted.application)) is not None:
        # this browser made the case: e.g. its receipt was lost when the worker died after the commit
        _grant(request.session, number, code=kept, submitted=True)
    elif _receipt_entry(request.session, number) is None:
        age = timezone.now() - submitted.application.submitted_at
        wait = TWIN_WAIT_SECONDS if age < timedelta(seconds=30) else 0
        _grant(request.session, number, code=_twin_code(token, number, wait=wait), submitted=True)
    else:
        _grant(request.session, number)


def _submit(**kwargs) -> services.Submitted:
    """application_submit, tried again while the database is busy with another write.

    SQLite refuses a second writer at once ("database is locked") when two submissions overlap,
    e.g. the two requests of a double click. Trying again is safe: a failed attempt left nothing,
    and the form's token makes the attempt after the twin's commit return the twin's case.
    """
    for delay in (*SUBMIT_RETRY_DELAYS, None):
        try:
            return services.application_submit(**kwargs)
        except OperationalError:
            if delay is None:
                raise
            time.sleep(delay)
    raise AssertionError("unreachable")


def _refused(request, form, err: Exception, files_lost: bool):
    if isinstance(err, DomainError):
        logger.warning("public application refused by the domain: %s", err.message)
        problem = f"申请没有提交成功：{err.message}。没有保存任何内容，您填写的内容仍在下方，请稍后重新提交。"
        return _render_form(request, form, problem=problem, files_lost=files_lost, status=503)
    logger.error("public application could not be stored", exc_info=err)
    return _render_form(request, form, problem=NOT_SAVED, files_lost=files_lost, status=500)


# -- receipt ------------------------------------------------------------------------------------


def _granted_application(request, number: str):
    if not _has_grant(request.session, number):
        return None
    return selectors.application_by_number(agency=_agency(), number=number)


def _receipt(request, app):
    entry = _receipt_entry(request.session, app.tracking_number)
    return receipts.receipt_for(
        app, query_code=entry["c"] if entry else None, calendar=working_calendar(), today=localtime.local_today()
    ), entry


@require_GET
@never_cache
def receipt(request, number: str):
    app = _granted_application(request, number)
    if app is None:
        return _to_lookup(number)
    r, entry = _receipt(request, app)
    return render(
        request,
        "applications/public/receipt.html",
        {
            **PUBLIC_NAV,
            "r": r,
            "just_submitted": entry is not None,
            "code_withheld": entry is not None and not entry.get("c"),
        },
    )


@require_GET
@never_cache
def receipt_pdf(request, number: str):
    app = _granted_application(request, number)
    if app is None:
        return _to_lookup(number)
    r, _ = _receipt(request, app)
    response = HttpResponse(receipts.receipt_pdf(r), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"政府信息公开申请回执-{app.tracking_number}.pdf"
    )
    return response


# -- status -------------------------------------------------------------------------------------


@ratelimit(
    group="gongkai.apply.lookup", key="ip", rate=_rate("GONGKAI_LOOKUP_RATE", "30/h"), method="POST", block=False
)
@require_http_methods(["GET", "POST"])
@never_cache
def status_lookup(request):
    agency = _agency()
    problem, status = "", 200
    if request.method == "GET":
        form = LookupForm(initial={"number": request.GET.get("number", "")[:40]})
    elif getattr(request, "limited", False):
        form = LookupForm(initial={"number": request.POST.get("number", "")[:40]})
        problem, status = TOO_MANY_LOOKUPS, 429
    else:
        form = LookupForm(request.POST)
        if form.is_valid():
            number = form.cleaned_data["number"]
            app = selectors.application_for_applicant(agency=agency, number=number, code=form.cleaned_data["code"])
            if app is not None:
                request.session.cycle_key()  # a session planted before the lookup does not inherit the grant
                _grant(request.session, number)
                return redirect("applications:public_case", number=number)
            problem, status = WRONG_NUMBER_OR_CODE, 404
    return render(
        request,
        "applications/public/status_lookup.html",
        {**PUBLIC_NAV, "form": form, "problem": problem},
        status=status,
    )


@require_GET
@never_cache
def case_status(request, number: str):
    app = _granted_application(request, number)
    if app is None:
        return _to_lookup(number)
    deadlines, deadline_problem = selectors.public_deadlines(
        app, calendar=working_calendar(), today=localtime.local_today()
    )
    return render(
        request,
        "applications/public/status.html",
        {
            **PUBLIC_NAV,
            "app": app,
            "summary": selectors.summary_of(app),
            "deadlines": deadlines,
            "deadline_problem": deadline_problem,
            "history": selectors.public_history(app),
            "letters": list(selectors.public_letters(app)),
            "outcome_label": app.get_outcome_code_display() if app.outcome_code else "",
        },
    )


@require_GET
@never_cache
def case_letter(request, number: str, letter_id: int):
    app = _granted_application(request, number)
    if app is None:
        return _to_lookup(number)
    letter = selectors.public_letter(app, letter_id)
    if letter is None:
        raise Http404("文书不存在")
    filename = f"{letter.title}{Path(letter.signed.name).suffix}"
    return FileResponse(letter.signed.open("rb"), as_attachment=True, filename=filename)


@require_POST
def forget(request):
    """End the lookup on a shared computer: the session forgets every number and code."""
    request.session.pop(SESSION_KEY, None)
    return redirect("applications:public_status")
