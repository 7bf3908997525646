"""Bulk-generate applications for benchmarks: ``manage.py generate_applications --count 100000``.

Fast (``bulk_create``, no per-case service call) but never inconsistent: every case follows a path
of the transition table (each log entry's ``to_state`` is ``workflow.transition_for(from, action).to``),
its reply deadline and status are computed by the domain clock from the generated log, and its
outcome, conclusion date and state agree with the log's last entry. Receipts are spread over the
working days from 2024-01-02 to today; a path whose next step would fall after today stops there,
so recent cases are open in every state, and a few old ones are left open and overdue.

No history rows (django-simple-history) are written for generated cases: they were never edited.
Not for production data: use it on a scratch database (see benchmarks/applications.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max

from gongkai.accounts.models import Agency
from gongkai.applications import clock
from gongkai.applications.models import (
    Applicant,
    Application,
    CaseEvent,
    DeliveryForm,
    IdDocument,
    Intake,
)
from gongkai.applications.services import query_code_digest
from gongkai.demo.applications import TOPICS, credit_code, resident_id
from gongkai.domain.applications.delivery import DELIVERY_PAIRS
from gongkai.domain.applications.register import applicant_key
from gongkai.domain.applications.tracking import tracking_number
from gongkai.domain.applications.workflow import Action, State, transition_for
from gongkai.domain.calendar import WorkingCalendar
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import outcome
from gongkai.workcalendar.selectors import working_calendar

FIRST_RECEIPT = date(2024, 1, 2)
BATCH = 2000

# Outcomes of a plain decision, with weights close to published table 三 figures.
DECISIONS = (
    ("disclosed", 34),
    ("already_public", 10),
    ("partially_disclosed", 9),
    ("does_not_exist", 16),
    ("not_this_agency", 6),
    ("requires_creation", 3),
    ("withheld_process_info", 3),
    ("withheld_internal_affairs", 2),
    ("withheld_third_party", 2),
    ("withheld_law_prohibited", 1),
    ("withheld_state_secret", 1),
    ("withheld_security_stability", 1),
    ("withheld_enforcement_file", 1),
    ("special_query_procedure", 2),
    ("duplicate", 2),
    ("confirm_or_reissue", 1),
    ("other", 1),
    ("publication", 1),
)
# Paths through the procedure and how often they occur.
PATHS = (
    ("reply", 64),
    ("extension", 8),
    ("correction", 6),
    ("correction_lapsed", 2),
    ("consultation", 5),
    ("agency_consultation", 2),
    ("petition", 2),
    ("withdrawn", 2),
    ("on_the_spot", 4),
    ("fee", 2),
    ("fee_lapsed", 1),
    ("excessive", 1),
    ("delay_period", 1),
)
CHANNELS = (
    ("online", 45),
    ("in_person", 20),
    ("post_signed", 15),
    ("email", 12),
    ("post_unsigned", 4),
    ("fax", 2),
    ("oral", 2),
)
APPLICANT_WEIGHTS = (
    ("natural_person", 80),
    ("commercial_enterprise", 9),
    ("research_institution", 2),
    ("public_interest_org", 1),
    ("legal_service_org", 5),
    ("other_org", 3),
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉斌宇浩凯健俊帆帅旭宁龙林欣佳怡梓涵子轩雨欣思远博文"
AREAS = (
    "110101",
    "110102",
    "110105",
    "110106",
    "110108",
    "120101",
    "130102",
    "310104",
    "320102",
    "370102",
    "440305",
    "510104",
)
ORG_SUFFIX = {
    "commercial_enterprise": ("教育科技有限公司", "建筑工程有限公司", "文化传媒有限公司", "咨询服务有限公司"),
    "research_institution": ("教育研究所", "政策研究中心"),
    "public_interest_org": ("公益基金会", "志愿者协会"),
    "legal_service_org": ("律师事务所",),
    "other_org": ("社区居民委员会", "家长委员会"),
}
ORG_PREFIX = {
    "commercial_enterprise": "91",
    "research_institution": "12",
    "public_interest_org": "53",
    "legal_service_org": "31",
    "other_org": "Y1",
}


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


@dataclass
class _Step:
    at: int
    action: str
    fields: dict[str, Any]


class _Builder:
    """One case's path as (working-day offset, action, fields), its states checked by the table."""

    def __init__(self, rng: random.Random, calendar: WorkingCalendar, receipt: date, age: int):
        self.rng, self.calendar, self.receipt, self.age = rng, calendar, receipt, age
        self.steps: list[_Step] = []

    def d(self, n: int) -> date:
        # a step after today is dropped anyway; its date may lie beyond the entered holiday notices
        return self.calendar.add_working_days(self.receipt, n) if n <= self.age else date.max

    def add(self, at: int, action: str, **fields: Any) -> None:
        self.steps.append(_Step(at, action, fields))

    def decision(self) -> str:
        return _pick(self.rng, DECISIONS)

    def reply(self, at: int, code: str) -> None:
        basis = f"《中华人民共和国政府信息公开条例》{outcome(code).basis}"
        if code == "already_public":
            # no signature needed, but a reply only once issued (送达)
            self.add(at, "reply", outcome_code=code, legal_basis=basis, resume_state="")
            self.add(at, "issue_reply", outcome_code=code, legal_basis=basis, replied_on=self.d(at), issued_via="post")
            return
        # the default chain: the office head, then the leader sign; the reply counts from its issue (送达)
        self.add(at - 1, "submit_reply_for_sign_off", outcome_code=code, legal_basis=basis, resume_state="")
        self.add(
            at - 1, "sign_off_reply", outcome_code=code, legal_basis=basis, signed_state="awaiting_leader_sign_off"
        )
        self.add(at, "sign_off_reply", outcome_code=code, legal_basis=basis)
        self.add(at, "issue_reply", outcome_code=code, legal_basis=basis, replied_on=self.d(at), issued_via="post")


def _path(kind: str, b: _Builder) -> None:
    r = b.rng
    if kind == "reply":
        code = b.decision()
        if code == "publication":
            code = "disclosed"
        b.add(1, "start_processing")
        b.reply(r.randint(21, 26) if r.random() < 0.03 else r.randint(3, 19), code)
    elif kind == "extension":
        k = r.randint(12, 17)
        b.add(1, "start_processing")
        b.add(k, "request_extension", reason="需调取档案并核对", working_days=20)
        b.add(k + 1, "approve_extension", working_days=20, approved_on=b.d(k + 1))
        b.reply(r.randint(k + 4, 38), b.decision())
    elif kind == "correction":
        c = r.randint(4, 9)
        b.add(
            2, "request_correction", items=["请写明所需信息的名称或文号"], requested_on=b.d(2), period_working_days=10
        )
        b.add(c, "receive_correction", received_on=b.d(c), continue_state="in_progress")
        code = "unclear_after_correction" if r.random() < 0.2 else b.decision()
        b.reply(c + r.randint(3, 18), "disclosed" if code == "publication" else code)
    elif kind == "correction_lapsed":
        b.add(
            2, "request_correction", items=["请写明所需信息的名称或文号"], requested_on=b.d(2), period_working_days=10
        )
        b.add(14, "correction_lapsed", decided_on=b.d(14))
    elif kind in ("consultation", "agency_consultation"):
        k = r.randint(3, 8)
        end = k + r.randint(5, 14)
        party = "某培训机构" if kind == "consultation" else "示范区财政局"
        action = "start_third_party_consultation" if kind == "consultation" else "start_agency_consultation"
        b.add(1, "start_processing")
        b.add(k + 1, action, party=party, sent_on=b.d(k), delivered_on=b.d(k + 1))
        b.add(
            end,
            "end_consultation",
            party=party,
            ended_on=b.d(end),
            response=r.choice(["agreed", "objected", "no_reply"]),
            continue_state="in_progress",
        )
        b.reply(end + r.randint(3, 8), r.choice(["disclosed", "partially_disclosed", "withheld_third_party"]))
    elif kind == "petition":
        b.add(2, "not_an_application", kind=r.choice(["petition", "complaint", "report"]), decided_on=b.d(2))
    elif kind == "withdrawn":
        k = r.randint(2, 10)
        b.add(1, "start_processing")
        b.add(k, "withdraw", withdrawn_on=b.d(k))
    elif kind == "on_the_spot":
        code = r.choice(["already_public", "not_this_agency", "special_query_procedure", "publication"])
        b.add(
            0,
            "answer_on_the_spot",
            outcome_code=code,
            legal_basis=f"《中华人民共和国政府信息公开条例》{outcome(code).basis}",
            replied_on=b.d(0),
        )
    elif kind in ("fee", "fee_lapsed"):
        b.add(1, "start_processing")
        b.add(4, "notify_fee", method="per_page", pages=60, amount=300, fee_sent_on=b.d(4), notice_received_on=b.d(4))
        if kind == "fee":
            b.add(9, "fee_paid", paid_on=b.d(9))
            b.reply(r.randint(12, 19), "disclosed")
        else:
            b.add(26, "fee_lapsed", decided_on=b.d(26))
    elif kind == "excessive":
        b.add(1, "start_processing")
        b.add(2, "ask_reason", requested_on=b.d(2))
        b.reply(r.randint(6, 12), "excessive_unreasonable")
    elif kind == "delay_period":
        b.add(1, "start_processing")
        b.add(2, "ask_reason", requested_on=b.d(2))
        b.add(4, "set_delay_period", notified_on=b.d(4), reply_until=b.d(35))
        b.reply(r.randint(20, 34), "disclosed")
    else:  # pragma: no cover
        raise ValueError(kind)


def _applicant(rng: random.Random, kind: str) -> dict[str, Any]:
    topic = rng.choice(list(TOPICS.values()))
    common = {
        "applicant_type": kind,
        "description": topic,
        "phone": f"13{rng.randint(0, 999999999):09d}",
        "delivery_form": (form := rng.choice(DeliveryForm.values)),
        "delivery_channel": rng.choice(DELIVERY_PAIRS[form]),
        "address": f"示范区{rng.choice('东西南北中')}城街道{rng.randint(1, 300)}号",
    }
    if kind == "natural_person":
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 55))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        return {
            **common,
            "applicant_name": name,
            "id_document_type": IdDocument.RESIDENT_ID,
            "id_document_number": resident_id(rng.choice(AREAS), born, rng.randint(1, 999)),
        }
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    name = f"示范区{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(ORG_SUFFIX[kind])}"
    return {
        **common,
        "applicant_name": name,
        "contact_person": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "id_document_type": IdDocument.CREDIT_CODE,
        "id_document_number": credit_code(ORG_PREFIX[kind], "110199", org),
    }


def _build_case(
    rng: random.Random, calendar: WorkingCalendar, receipt: date, age: int, agency: Agency, actor, seq: int
) -> tuple[Application, list[CaseEvent]]:
    kind = _pick(rng, APPLICANT_WEIGHTS)
    channel = _pick(rng, CHANNELS)
    unconfirmed = age <= 1 and channel in ("online", "email", "fax", "post_unsigned") and rng.random() < 0.5
    app = Application(
        agency=agency,
        tracking_number=tracking_number(receipt.year, seq),
        submission_year=receipt.year,
        sequence=seq,
        query_code_hash=query_code_digest(f"BENCH{seq:06d}{receipt.year}"),
        channel=channel,
        oral=channel == "oral",
        received_on=None if unconfirmed else receipt,
        convention=agency.deadline_convention,
        registered_by=None if channel in ("online", "email") else actor,
        **_applicant(rng, kind),
    )
    state = State.SUBMITTED if unconfirmed else State.RECEIVED
    log = [
        CaseEvent(
            application=app,
            seq=1,
            action=clock.SUBMIT,
            from_state="",
            to_state=state.value,
            fields=clock.dump_fields(
                {"channel": channel, "received_on": None if unconfirmed else receipt, "submitted_on": receipt}
            ),
            actor=app.registered_by,
            actor_label="申请人" if app.registered_by is None else "经办人",
        )
    ]
    if unconfirmed:
        app.state = state.value
        return app, log
    b = _Builder(rng, calendar, receipt, age)
    path = _pick(rng, PATHS)
    if path == "on_the_spot" and channel not in ("in_person", "oral"):
        path = "reply"  # only a visitor at the desk is answered on the spot
    _path(path, b)
    # a few old cases forgotten half-way: open and overdue
    stop = rng.randint(1, len(b.steps) - 1) if len(b.steps) > 1 and rng.random() < 0.004 else len(b.steps)
    resume = state
    for step in b.steps[:stop]:
        if step.at > age:
            break
        row = transition_for(state, step.action)
        if row is None:
            raise AssertionError(f"{state} × {step.action}")
        fields = dict(step.fields)
        if step.action in (Action.SUBMIT_REPLY_FOR_SIGN_OFF, Action.REPLY):
            fields["resume_state"] = state.value
            resume = state
        to = row.to or (State(fields[row.to_field]) if row.to_field != "resume_state" else resume)
        log.append(
            CaseEvent(
                application=app,
                seq=len(log) + 1,
                action=step.action,
                from_state=state.value,
                to_state=to.value,
                fields=clock.dump_fields(fields),
                actor=actor,
                actor_label="经办人",
            )
        )
        code = row.outcome_code(fields)
        if code is not None:
            app.outcome_code = code
            app.legal_basis = fields.get("legal_basis", "")
            app.concluded_on = fields.get("replied_on") or fields.get("decided_on") or fields.get("withdrawn_on")
        if step.action in (Action.SUBMIT_REPLY_FOR_SIGN_OFF, Action.REPLY):
            app.pending_outcome, app.pending_legal_basis, app.resume_state = (
                fields["outcome_code"],
                fields["legal_basis"],
                state.value,
            )
        elif step.action in (Action.ISSUE_REPLY, Action.RETURN_REPLY):
            app.pending_outcome = app.pending_legal_basis = ""
        state = to
    app.state = state.value
    return app, log


def _deadline(app: Application, log: list[CaseEvent], calendar: WorkingCalendar, today: date) -> None:
    as_of = app.concluded_on or today
    reply = clock.reply_of(clock.deadlines_of(log, calendar=calendar, today=as_of, convention=app.convention))
    app.reply_due = reply.due if reply else None
    app.reply_status = str(reply.status) if reply else ""
    app.reply_due_provisional = bool(reply and reply.provisional)


def generate(count: int, *, agency: Agency, today: date, seed: int = 2026, actor=None, progress=None) -> int:
    """Insert ``count`` consistent applications for ``agency``; returns how many were written."""
    rng = random.Random(seed)
    calendar = working_calendar()
    days = [FIRST_RECEIPT + timedelta(days=i) for i in range((today - FIRST_RECEIPT).days + 1)]
    # receipts on sure working days (not on a weekend a missing notice may make a make-up day)
    working = [d for d in days if calendar.is_working_day(d) and (d.weekday() < 5 or calendar.is_firm(d))]
    index = {d: i for i, d in enumerate(working)}
    last = len(working) - 1
    next_seq = {
        y: (Application.objects.filter(submission_year=y).aggregate(m=Max("sequence"))["m"] or 0) + 1
        for y in range(FIRST_RECEIPT.year, today.year + 1)
    }
    receipts = sorted(rng.choice(working) for _ in range(count))
    written = 0
    for start in range(0, count, BATCH):
        apps, logs = [], []
        for receipt in receipts[start : start + BATCH]:
            seq = next_seq[receipt.year]
            next_seq[receipt.year] += 1
            for _attempt in range(10):
                try:
                    app, log = _build_case(rng, calendar, receipt, last - index[receipt], agency, actor, seq)
                    _deadline(app, log, calendar, today)
                    break
                except DomainError:
                    continue  # e.g. a deadline beyond the entered holiday notices: draw another path
            else:
                raise CommandError(f"could not build a consistent case received on {receipt}")
            apps.append(app)
            logs.append(log)
        with transaction.atomic():
            Application.objects.bulk_create(apps, batch_size=500)
            events = []
            for app, log in zip(apps, logs):
                for e in log:
                    e.application_id = app.pk
                    events.append(e)
            CaseEvent.objects.bulk_create(events, batch_size=1000)
            _register(apps)
        written += len(apps)
        if progress:
            progress(written)
    return written


def _register(apps: list[Application]) -> None:
    """Every generated case in the applicant register, as ``application_submit`` would put it (直接提交)."""
    keys = {}
    for app in apps:
        key = applicant_key(
            applicant_type=app.applicant_type,
            id_document_type=app.id_document_type,
            id_document_number=app.id_document_number,
            name=app.applicant_name,
            phone=app.phone,
        )
        if key is not None:
            keys.setdefault(key.key, (key.kind.value, app))
    Applicant.objects.bulk_create(
        [
            Applicant(key_kind=kind, key=k, applicant_type=a.applicant_type, name=a.applicant_name)
            for k, (kind, a) in keys.items()
        ],
        ignore_conflicts=True,
        batch_size=500,
    )
    ids = dict(Applicant.objects.filter(key__in=list(keys)).values_list("key", "pk"))
    rows = []
    for app in apps:
        key = applicant_key(
            applicant_type=app.applicant_type,
            id_document_type=app.id_document_type,
            id_document_number=app.id_document_number,
            name=app.applicant_name,
            phone=app.phone,
        )
        rows.append(Intake(application_id=app.pk, applicant_id=ids.get(key.key) if key else None))
    Intake.objects.bulk_create(rows, batch_size=500)
