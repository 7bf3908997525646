"""Staff pages of proactive disclosure (主动公开) under /work/documents/: the register with its
filters and publication clocks, the reviewers' queues, the overdue list, the register form, the
document page with one form per review move, attachments, validity, and the year's table 二 figures.

Thin views: reads through :mod:`.selectors` and :mod:`.selectors_staff`, writes through
:mod:`.services`, rules from the domain. Every page needs a login and membership of the agency
whose documents it shows (404 for another agency's). "Today" comes from :func:`gongkai.localtime.local_today`, a
module function the tests freeze.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import localtime
from gongkai.accounts.selectors import roles_in
from gongkai.disclosure import selectors, selectors_staff, services
from gongkai.disclosure.forms_staff import (
    CONFIRM_REQUIRED,
    FIGURES_2019_ONLY,
    FIGURES_2021,
    FILES_AGAIN,
    ActionForm,
    DocumentForm,
    FiguresForm,
    ListFilterForm,
    ValidityForm,
)
from gongkai.disclosure.models import AnnualFigures, Column, Document
from gongkai.domain.disclosure.attachments import AttachmentError
from gongkai.domain.disclosure.catalogue import (
    ARTICLE_20_CHOICES,
    TOPICS,
    Channel,
    DocumentKind,
)
from gongkai.domain.disclosure.validity import Validity
from gongkai.domain.disclosure.workflow import (
    CONFIDENTIALITY_CONCERNS,
    FIELD_SPECS,
    INTERPRETATION_READY_STATES,
    PRE_PUBLICATION_STATES,
    Action,
    Result,
    State,
    available_actions,
    awaiting_states,
    check_edit,
    check_transition,
    publication_blockers,
    transition_for,
)
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.report_format import ReportYearNotCovered, format_for_year
from gongkai.domain.roles import Role
from gongkai.downloads import stored_file_response
from gongkai.workcalendar.selectors import working_calendar

PAGE_SIZE = 50
COUNT_CAP = 5000  # beyond this the list says "more than": counting a huge register costs more than it tells
QUEUE_LIMIT = 200  # per state on the queue page; the list filtered by state shows the rest
DRAFTERS = services.DRAFTER_ROLES

# what the holder of a queue does with a document in each state, reviews first
QUEUE_HEADINGS = {
    State.OFFICE_REVIEW: "待办公室主任审核",
    State.CONFIDENTIALITY_REVIEW: "待保密审查",
    State.LEADER_APPROVAL: "待局领导审批",
    State.APPROVED: "已批准：待发布公开",
    State.RETURNED: "退回修改：修改后重新提交",
    State.DRAFT: "草稿：待提交审核",
}

_LOG_FIELD_LABELS = {
    **{name: spec.label for name, spec in FIELD_SPECS.items()},
    "index_number": "索引号",
    "changed": "修改的内容",
    "name": "附件",
    "size": "大小（字节）",
    "validity": "有效性",
    "changed_on": "变更日期",
}


class _CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows, so a page of a huge register costs what a small one does."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()


def _refused(request, message: str, *, doc: Document | None = None, status: int = 403):
    back = [(reverse("disclosure:staff_detail", args=[doc.pk]), f"返回文件：{doc.title}")] if doc else []
    layout = "disclosure/staff/base.html"
    if selectors_staff.member_agencies(request.user).exists():
        back.append((reverse("disclosure:staff_list"), "返回文件登记簿"))
    else:  # a supervising office has no register of its own: its links would lead to this page again
        back.append((reverse("accounts:dashboard"), "返回工作台"))
        layout = "base.html"
    context = {"message": message, "back": back, "layout": layout}
    return render(request, "refused.html", context, status=status)


def _agency(request):
    """The agency a list page is about: ``?agency=<code>`` among the user's, else their first.
    Returns (agency or None, all of the user's agencies); another agency's code is a 404."""
    agencies = list(selectors_staff.member_agencies(request.user))
    code = request.GET.get("agency")
    if code:
        agency = next((a for a in agencies if a.code == code), None)
        if agency is None:
            raise Http404("机关不存在")
        return agency, agencies
    return (agencies[0] if agencies else None), agencies


NO_AGENCY = "您不是任何行政机关的工作人员，不能查看主动公开文件。"


def _list_context(agency, agencies) -> dict[str, Any]:
    return {"agency": agency, "agencies": agencies, "many_agencies": len(agencies) > 1}


def _columns(tree) -> dict[int, Column]:
    return {c.pk: c for top, kids in tree for c in (top, *kids)}


def _public_url(doc: Document) -> str | None:
    if not doc.is_public:
        return None
    try:
        return reverse("disclosure:public_document", kwargs={"pk": doc.pk})
    except NoReverseMatch:  # the public column is another module's; the staff pages do not depend on it
        return None


def _place_error(form, err: DomainError) -> None:
    """A domain error next to the field it names, else at the top of the form."""
    name = "attachments" if isinstance(err, AttachmentError) else getattr(err, "field", None)
    if name in form.fields and not form.fields[name].disabled:
        form.add_error(name, err.message)
    else:
        form.add_error(None, err.message)


# -- the register --------------------------------------------------------------------------------------


@login_required
@require_GET
def document_list(request):
    agency, agencies = _agency(request)
    if agency is None:
        return _refused(request, NO_AGENCY)
    today = localtime.local_today()
    tree = selectors.column_tree(agency)
    columns = _columns(tree)
    filters = ListFilterForm(request.GET, tree=tree)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors_staff.register_documents(
        agency,
        state=f.get("state") or "",
        column=columns.get(f.get("column")),
        kind=f.get("kind") or "",
        text=f.get("q") or "",
    )
    page = _CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "disclosure/staff/list.html",
        {
            **_list_context(agency, agencies),
            "filters": filters,
            "page": page,
            "rows": selectors_staff.clock_cells(page.object_list, today=today, calendar=working_calendar()),
            "query": query.urlencode(),
            "today": today,
            "count_capped": page.paginator.count > COUNT_CAP,
            "count_cap": COUNT_CAP,
            "can_register": bool(roles_in(request.user, agency.pk) & DRAFTERS),
        },
    )


@login_required
@require_GET
def queue(request):
    agency, agencies = _agency(request)
    if agency is None:
        return _refused(request, NO_AGENCY)
    today = localtime.local_today()
    calendar = working_calendar()
    roles = roles_in(request.user, agency.pk)
    counts = selectors.queue_counts(agency=agency, roles=roles)
    docs = list(selectors.review_queue(agency=agency, roles=roles))
    for d in docs:
        d.agency = agency  # one agency: the clock reads its convention without a query per row
    sections = []
    for state in QUEUE_HEADINGS:
        if state not in awaiting_states(roles):
            continue
        in_state = [d for d in docs if d.state == state][:QUEUE_LIMIT]
        sections.append(
            {
                "state": state,
                "heading": QUEUE_HEADINGS[state],
                "count": counts.get(state.value, 0),
                "rows": selectors_staff.clock_cells(in_state, today=today, calendar=calendar),
                "more": counts.get(state.value, 0) > QUEUE_LIMIT,
            }
        )
    return render(
        request,
        "disclosure/staff/queue.html",
        {
            **_list_context(agency, agencies),
            "sections": sections,
            "total": sum(counts.values()),
            "role_labels": [Role(r).label for r in Role if r.value in roles],
            "today": today,
        },
    )


@login_required
@require_GET
def overdue(request):
    agency, agencies = _agency(request)
    if agency is None:
        return _refused(request, NO_AGENCY)
    today = localtime.local_today()
    calendar = working_calendar()
    clocked = selectors.overdue_documents(agency=agency, today=today, calendar=calendar)
    rows = [(c.document, selectors_staff.clock_cell(c.deadline, c.document)) for c in clocked]
    return render(
        request, "disclosure/staff/overdue.html", {**_list_context(agency, agencies), "rows": rows, "today": today}
    )


# -- register and edit ---------------------------------------------------------------------------------


def _interpretation_column(tree) -> Column | None:
    return next((c for top, kids in tree for c in (top, *kids) if c.interpretations), None)


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    policy = None
    raw_policy = request.GET.get("interprets")
    if raw_policy:
        if not raw_policy.isdigit():
            raise Http404("文件不存在")
        policy = selectors_staff.document_for(request.user, int(raw_policy))
        agency, agencies = policy.agency, list(selectors_staff.member_agencies(request.user))
    else:
        agency, agencies = _agency(request)
    if agency is None:
        return _refused(request, NO_AGENCY)
    roles = roles_in(request.user, agency.pk)
    if not roles & DRAFTERS:
        return _refused(request, "只有经办人或办公室主任可以登记主动公开文件。")
    today = localtime.local_today()
    tree = selectors.column_tree(agency)
    policies = selectors_staff.policy_choices(agency, keep=policy.pk if policy else None)
    initial: dict[str, Any] = {"formed_on": today, "channels": [Channel.WEBSITE.value]}
    if policy is not None:
        column = _interpretation_column(tree)
        initial.update(
            interprets=policy.pk,
            title=f"《{policy.title}》政策解读",
            column=column.pk if column else None,
            kind=DocumentKind.OTHER.value,
        )
    form = DocumentForm(
        request.POST or None, request.FILES or None, mode="create", tree=tree, policies=policies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = form.values(columns=_columns(tree), documents={d.pk: d for d in policies})
        values["topic"] = values["topic"] or None  # the column's default
        try:
            doc = services.document_register(
                agency=agency,
                actor=request.user,
                actor_roles=roles,
                today=today,
                index_number=form.cleaned_data.get("index_number") or None,
                attachments=form.upload_data,
                **values,
            )
        except DomainError as err:
            _place_error(form, err)
        else:
            files = f"，附件{len(form.upload_data)}个" if form.upload_data else ""
            messages.success(request, f"已登记，索引号{doc.index_number}{files}。")
            return redirect("disclosure:staff_detail", pk=doc.pk)
    return render(
        request,
        "disclosure/staff/form.html",
        {
            **_form_context(form),
            "agency": agency,
            "agencies": agencies,
            "policy": policy,
            "doc": None,
            "mode": "create",
        },
    )


def _form_context(form: DocumentForm) -> dict[str, Any]:
    return {
        "form": form,
        "files_again": FILES_AGAIN if form.is_bound and form.errors and form.files_chosen else "",
        "validity_kinds": [k.value for k in DocumentKind if k.has_validity],
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    doc = selectors_staff.document_for(request.user, pk)
    roles = roles_in(request.user, doc.agency_id)
    try:
        check_edit(doc.state, roles)
    except TransitionNotAllowed as err:
        return _refused(request, err.message, doc=doc)
    today = localtime.local_today()
    agency = doc.agency
    tree = selectors.column_tree(agency)
    content = selectors.working_content(doc)
    attachments = selectors.working_attachments(doc)
    policies = selectors_staff.policy_choices(agency, exclude=doc, keep=doc.interprets_id)
    initial = {
        **content,
        "column": content["column"].pk,
        "kind": doc.kind,
        "needs_interpretation": doc.needs_interpretation,
        "interprets": doc.interprets_id,
    }
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        mode="edit",
        tree=tree,
        policies=policies,
        attachments=attachments,
        needs_reason=doc.state == State.PUBLISHED,
        fixed=doc.public_version is not None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        if _save_edit(
            request, doc, form, roles=roles, tree=tree, policies=policies, attachments=attachments, today=today
        ):
            return redirect("disclosure:staff_detail", pk=doc.pk)
    return render(
        request,
        "disclosure/staff/form.html",
        {**_form_context(form), "agency": agency, "agencies": [agency], "policy": None, "doc": doc, "mode": "edit"},
    )


def _save_edit(request, doc: Document, form: DocumentForm, *, roles, tree, policies, attachments, today) -> bool:
    """Content, removed and added files in one transaction; False with the errors on the form."""
    changes = form.values(columns=_columns(tree), documents={d.pk: d for d in policies})
    changes["issuing_office"] = changes["issuing_office"] or doc.agency.name
    reason = (form.cleaned_data.get("reason") or "").strip()
    removals = [a for a in attachments if a.pk in set(form.cleaned_data.get("remove_attachments") or ())]
    before = doc.current_version
    try:
        doc = services.document_edit(
            document=doc,
            actor=request.user,
            actor_roles=roles,
            changes=changes,
            today=today,
            reason=reason,
            remove=removals,
            add=form.upload_data,
        )
    except DomainError as err:
        _place_error(form, err)
        return False
    if doc.current_version != before:
        messages.success(
            request,
            f"已生成第{doc.current_version}版（修订），须重新提交审核；"
            f"公开页面仍显示第{doc.public_version}版，直至新版本发布。",
        )
    else:
        messages.success(request, "已保存修改。")
    return True


# -- the document page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    seq: int
    at: Any
    who: str
    role: str
    action: str
    change: str
    result: str
    comment: str
    version: int
    details: list[tuple[str, str]]


def _action_label(action: str) -> str:
    try:
        return Action(action).label
    except ValueError:
        return services.LOG_LABELS.get(action, action)


def _detail_value(key: str, value: Any) -> str:
    if key == "concern":
        return CONFIDENTIALITY_CONCERNS.get(str(value), str(value))
    if key == "validity":
        try:
            return Validity(value).label
        except ValueError:
            return str(value)
    if key == "changed" and isinstance(value, list):
        return "、".join(str(Document._meta.get_field(n).verbose_name) if _is_field(n) else n for n in value)
    return str(value)


def _is_field(name: str) -> bool:
    try:
        Document._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _decision_rows(doc: Document) -> list[DecisionRow]:
    rows = []
    for d in selectors.decisions_of(doc):
        try:
            role = Role(d.role).label if d.role else ""
        except ValueError:
            role = d.role
        try:
            result = Result(d.result).label if d.result else ""
        except ValueError:
            result = d.result
        states = [State(s).label for s in (d.from_state, d.to_state) if s]
        change = " → ".join(states) if d.from_state != d.to_state else ""
        details = [(_LOG_FIELD_LABELS.get(k, k), _detail_value(k, v)) for k, v in (d.fields or {}).items()]
        rows.append(
            DecisionRow(
                d.seq, d.at, d.actor_label, role, _action_label(d.action), change, result, d.comment, d.version, details
            )
        )
    return rows


def _action_forms(doc: Document, roles: set[str], facts, today: date) -> list[dict[str, Any]]:
    out = []
    for action in available_actions(doc.state, roles, facts):
        row = transition_for(doc.state, action)
        out.append(
            {
                "action": action,
                "row": row,
                "form": ActionForm(transition=row, today=today, auto_id=f"id_{action.value}_%s"),
            }
        )
    return out


def _content_rows(doc: Document, content: dict[str, Any]) -> list[tuple[str, str]]:
    items = dict(ARTICLE_20_CHOICES)
    channels = dict((c.value, c.label) for c in Channel)
    kind = DocumentKind(doc.kind)
    rows = [
        ("索引号", doc.index_number),
        ("文号", content["doc_number"] or "—"),
        ("发布机构", content["issuing_office"]),
        ("成文日期", f"{content['formed_on']:%Y-%m-%d}"),
        ("签发日期", f"{content['signed_on']:%Y-%m-%d}" if content["signed_on"] else "—"),
        ("发布日期", f"{doc.published_on:%Y-%m-%d}" if doc.published_on else "尚未公开"),
    ]
    if doc.revised_on:
        rows.append(("修订日期", f"{doc.revised_on:%Y-%m-%d}"))
    rows += [
        ("栏目", str(content["column"])),
        ("主题分类", TOPICS.get(content["topic"], "—") if content["topic"] else "—"),
        ("第二十条事项", items.get(content["article20_item"], "—") if content["article20_item"] else "—"),
        ("文件类别", kind.label),
    ]
    if kind.has_validity:
        validity = doc.validity_label or "—"
        if doc.validity_changed_on:
            validity += f"（{doc.validity_changed_on:%Y-%m-%d}"
            validity += f"，{doc.repealed_by}）" if doc.repealed_by else "）"
        rows.append(("有效性", validity))
    rows += [
        ("需同步发布政策解读", "是" if doc.needs_interpretation else "否"),
        ("公开渠道", "、".join(channels.get(c, c) for c in content["channels"] or ()) or "—"),
    ]
    if doc.unpublished_on:
        rows.append(("下架", f"{doc.unpublished_on:%Y-%m-%d}：{doc.unpublish_reason}"))
    return rows


@login_required
@require_GET
def detail(request, pk: int):
    doc = selectors_staff.document_for(request.user, pk)
    roles = roles_in(request.user, doc.agency_id)
    today = localtime.local_today()
    facts = selectors.document_facts(doc)
    content = selectors.working_content(doc)
    interpretations = selectors_staff.interpretations_of(doc)
    is_drafter = bool(roles & DRAFTERS)
    kind = DocumentKind(doc.kind)
    state = State(doc.state)
    validity_form = None
    if (
        is_drafter
        and kind.has_validity
        and doc.public_version is not None
        and not (doc.validity and Validity(doc.validity).is_final)
    ):
        validity_form = ValidityForm(auto_id="id_validity_%s")
    try:
        check_edit(doc.state, roles)
        can_edit = True
    except DomainError:
        can_edit = False
    return render(
        request,
        "disclosure/staff/detail.html",
        {
            "doc": doc,
            "state": state,
            "content": content,
            "content_rows": _content_rows(doc, content),
            "pending": selectors.pending_revision(doc),
            "attachments": selectors.working_attachments(doc),
            "clock": selectors_staff.clock_cell(selectors.publication_clock(doc, today=today), doc),
            "versions": list(selectors.versions_of(doc)),
            "decisions": _decision_rows(doc),
            "interpretations": [
                (i, State(i.state) in INTERPRETATION_READY_STATES or i.is_public) for i in interpretations
            ],
            "interpretation_ready": selectors.interpretation_ready(doc) if doc.needs_interpretation else None,
            "can_register_interpretation": (
                is_drafter
                and doc.interprets_id is None
                and not state.is_terminal
                and (doc.needs_interpretation or kind.has_validity)
                and not any(not State(i.state).is_terminal for i in interpretations)
            ),
            "blockers": publication_blockers(facts) if state in PRE_PUBLICATION_STATES else [],
            "action_forms": _action_forms(doc, roles, facts, today),
            "member_roles": roles,
            "validity_form": validity_form,
            "can_edit": can_edit,
            "public_url": _public_url(doc),
            "today": today,
        },
    )


@login_required
@require_GET
def attachment_download(request, pk: int, att_pk: int):
    att = selectors_staff.attachment_for(request.user, pk, att_pk)
    # the content type is the one derived from the checked kind, never the uploader's
    return stored_file_response(att.file, filename=att.original_name, content_type=att.content_type)


# -- one review move -----------------------------------------------------------------------------------


def _refusal(doc: Document, action: Action, roles: set[str], facts) -> str:
    if not roles:
        return "您在本文件所属机关没有岗位，只能查看。"
    try:
        check_transition(doc.state, action, actor_roles=roles, fields={}, facts=facts)
    except TransitionNotAllowed as err:
        return err.message
    except DomainError:
        pass
    return f"文件处于“{State(doc.state).label}”状态，当前不能“{action.label}”。"


@login_required
@require_http_methods(["GET", "POST"])
def act(request, pk: int, action: str):
    doc = selectors_staff.document_for(request.user, pk)
    try:
        move = Action(action)
    except ValueError:
        raise Http404("没有这项操作") from None
    roles = roles_in(request.user, doc.agency_id)
    facts = selectors.document_facts(doc)
    if move not in available_actions(doc.state, roles, facts):
        return _refused(request, _refusal(doc, move, roles, facts), doc=doc)
    row = transition_for(doc.state, move)
    today = localtime.local_today()
    form = ActionForm(request.POST or None, transition=row, today=today)
    if request.method == "POST" and form.is_valid():
        if row.irreversible and not form.confirmed:
            form.add_error("confirm_irreversible", CONFIRM_REQUIRED)
        else:
            try:
                services.document_transition(
                    document=doc,
                    action=move.value,
                    actor=request.user,
                    actor_roles=roles,
                    fields=form.domain_fields(),
                    today=today,
                )
            except FieldError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            except DomainError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, f"已{move.label}。")
                return redirect("disclosure:staff_detail", pk=doc.pk)
    blockers = publication_blockers(facts) if move is Action.PUBLISH else []
    return render(
        request,
        "disclosure/staff/act.html",
        {"doc": doc, "action": move, "transition": row, "form": form, "state": State(doc.state), "blockers": blockers},
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_validity(request, pk: int):
    doc = selectors_staff.document_for(request.user, pk)
    roles = roles_in(request.user, doc.agency_id)
    kind = DocumentKind(doc.kind)
    if not roles & DRAFTERS:
        return _refused(request, "只有经办人或办公室主任可以变更文件有效性。", doc=doc)
    if not kind.has_validity:
        return _refused(request, f"只有规章和行政规范性文件标注有效性，本文件是“{kind.label}”。", doc=doc)
    if doc.public_version is None:
        return _refused(request, "文件尚未公开，不能变更有效性。", doc=doc)
    today = localtime.local_today()
    form = ValidityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        if form.is_final() and not cd.get("confirm_irreversible"):
            form.add_error("confirm_irreversible", "废止、失效后不能再变更，请勾选确认后再提交")
        else:
            try:
                services.document_change_validity(
                    document=doc,
                    actor=request.user,
                    actor_roles=roles,
                    validity=cd.get("validity") or "",
                    changed_on=cd.get("changed_on"),
                    changed_by=cd.get("changed_by") or "",
                    today=today,
                )
            except DomainError as err:
                _place_error(form, err)
            else:
                doc.refresh_from_db()
                messages.success(request, f"有效性已变更为“{doc.validity_label}”。")
                return redirect("disclosure:staff_detail", pk=doc.pk)
    return render(request, "disclosure/staff/validity.html", {"doc": doc, "form": form})


# -- table 二 figures ----------------------------------------------------------------------------------


def _table2_rows(fmt, tables: dict) -> list[dict[str, Any]]:
    """Table 二 of the year with the format's own captions and labels, for display."""
    out = []
    for sub in fmt.table_2.subtables:
        values = tables.get(sub.id, {})
        out.append(
            {
                "sub": sub,
                "rows": [(r, [values.get(r.key, {}).get(c.key) for c in sub.columns]) for r in sub.rows],
            }
        )
    return out


@login_required
@require_GET
def figures_current(request):
    url = reverse("disclosure:staff_figures", kwargs={"year": localtime.local_today().year})
    code = request.GET.get("agency")
    return redirect(f"{url}?{urlencode({'agency': code})}" if code else url)


@login_required
@require_http_methods(["GET", "POST"])
def figures(request, year: int):
    agency, agencies = _agency(request)
    if agency is None:
        return _refused(request, NO_AGENCY)
    today = localtime.local_today()
    if year > today.year:
        raise Http404("年度尚未开始")
    try:
        fmt = format_for_year(year)
    except ReportYearNotCovered:
        raise Http404("2019年以前没有统一的表二格式") from None
    roles = roles_in(request.user, agency.pk)
    can_edit = bool(roles & DRAFTERS)
    stored = AnnualFigures.objects.filter(agency=agency, year=year).first()
    initial = {n: getattr(stored, n) for n in (*FIGURES_2021, *FIGURES_2019_ONLY)} if stored else {}
    form = FiguresForm(request.POST or None, format_version=fmt.version, initial=initial)
    if request.method == "POST":
        if not can_edit:
            return _refused(request, "只有经办人或办公室主任可以填报表二统计数据。")
        if form.is_valid():
            try:
                services.annual_figures_save(
                    agency=agency, year=year, actor=request.user, actor_roles=roles, figures=form.figures()
                )
            except DomainError as err:
                _place_error(form, err)
            else:
                messages.success(request, f"已保存{year}年度表二统计数据。")
                url = reverse("disclosure:staff_figures", kwargs={"year": year})
                return redirect(f"{url}?agency={agency.code}" if len(agencies) > 1 else url)
    return render(
        request,
        "disclosure/staff/figures.html",
        {
            **_list_context(agency, agencies),
            "year": year,
            "format": fmt,
            "form": form,
            "can_edit": can_edit,
            "stored": stored,
            "table2": _table2_rows(fmt, selectors.table2_figures(agency=agency, year=year)),
            "summary": selectors.publication_summary(agency=agency, year=year),
            "years": [y for y in range(max(2019, today.year - 6), today.year + 1)],
        },
    )
