"""Staff pages of the annual report: the list of years, the workspace of one year, its moves, its
downloads, and last year's report made outside gongkai.

Thin views: reads through :mod:`.selectors`, writes through :mod:`.services`, rules in the domain.
"Today" comes from :func:`gongkai.localtime.local_today` (a module function, so the browser tests can freeze it).
Every page names its agency by ``?agency=code`` (default: the user's own); an agency the user may
not read is "not found".
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import localtime
from gongkai.accounts.selectors import agencies_visible_to, roles_in
from gongkai.annualreports import selectors, services
from gongkai.annualreports.files import DOCX, file_name
from gongkai.annualreports.forms import ActionForm, PreviousEntryForm, PreviousImportForm, SectionsForm
from gongkai.annualreports.models import PreviousReport
from gongkai.domain.annual_report.layout import table_layouts
from gongkai.domain.annual_report.workflow import Action, State, SubmissionBlocked, transition_for
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.domain.report_format import format_for_year

RULE_STATUS_LABELS = {"passed": "通过", "failed": "未通过", "not_checkable": "无法检查", "skipped": "未检查"}


def _agency_roles(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    return agency, roles_in(request.user, agency)


def _url(name: str, agency, *args) -> str:
    return f"{reverse(name, args=args)}?agency={agency.code}"


def _report_or_404(agency, year: int):
    report = selectors.report_for(agency, year)
    if report is None:
        raise Http404("该年度报告尚未开始编写")
    return report


# -- the list of years ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    agency, roles = _agency_roles(request)
    today = localtime.local_today()
    return render(
        request,
        "annualreports/staff/index.html",
        {
            "agency": agency,
            "roles": roles,
            "today": today,
            "rows": selectors.year_rows(agency, today=today, roles=roles),
            "countdown": selectors.report_countdown(agency, today),
            "agencies": agencies_visible_to(request.user).order_by("name"),
        },
    )


@login_required
@require_POST
def open_year(request, year: int):
    agency, roles = _agency_roles(request)
    try:
        services.report_open(
            agency=agency, year=year, actor=request.user, actor_roles=roles, today=localtime.local_today()
        )
    except DomainError as err:
        messages.error(request, err.message)
        return redirect(_url("annualreports:staff_index", agency))
    return redirect(_url("annualreports:staff_year", agency, year))


# -- the workspace ----------------------------------------------------------------------------------


def _render_workspace(
    request,
    agency,
    report,
    roles,
    *,
    sections_form=None,
    action_forms=None,
    status=200,
    error: str = "",
    problems: list[str] | None = None,
):
    ws = selectors.workspace(report, roles=roles, today=localtime.local_today())
    texts = {s.key: s.text for s in ws.sections}
    sections_form = sections_form or SectionsForm(fmt=ws.fmt, initial_texts=texts)
    action_forms = action_forms or {}
    actions = []
    for info in ws.actions:
        form = action_forms.get(info.action.value) or ActionForm(
            transition=transition_for(report.state, info.action), prefix=info.action.value
        )
        actions.append((info, form))
    offered = {info.action.value for info in ws.actions}
    for name, form in action_forms.items():  # a move not offered to this user has no form to show its error
        if name not in offered and form.errors:
            error = error or "；".join(e for errs in form.errors.values() for e in errs)
    editors = [(s, sections_form[s.key]) for s in ws.sections]
    return render(
        request,
        "annualreports/staff/workspace.html",
        {
            "agency": agency,
            "report": report,
            "ws": ws,
            "editors": editors,
            "sections_form": sections_form,
            "actions": actions,
            "layouts": table_layouts(ws.content),
            "error": error,
            "problems": problems or [],
            "rules": [(r, RULE_STATUS_LABELS.get(r.status, r.status)) for r in ws.table_rules],
            "agency_q": f"?agency={agency.code}",
        },
        status=status,
    )


@login_required
@require_GET
def year_detail(request, year: int):
    agency, roles = _agency_roles(request)
    report = selectors.report_for(agency, year)
    if report is None:
        today = localtime.local_today()
        row = next((r for r in selectors.year_rows(agency, today=today, roles=roles) if r.year == year), None)
        if row is None:
            raise Http404("没有该年度")
        return render(request, "annualreports/staff/not_opened.html", {"agency": agency, "row": row, "year": year})
    return _render_workspace(request, agency, report, roles)


@login_required
@require_POST
def save_sections(request, year: int):
    agency, roles = _agency_roles(request)
    report = _report_or_404(agency, year)
    form = SectionsForm(request.POST, fmt=format_for_year(year))
    if not form.is_valid():
        return _render_workspace(request, agency, report, roles, sections_form=form, status=400)
    texts = form.texts()
    anchor = "prose"
    insert = request.POST.get("insert")
    if insert is not None:
        try:
            found = selectors.suggestion_text(report, int(insert))
        except ValueError:
            found = None
        if found is None:
            form.add_error(None, "建议语句已随数据更新，请刷新页面后再插入")
            return _render_workspace(request, agency, report, roles, sections_form=form, status=400)
        key, sentence = found
        texts[key] = (texts[key].rstrip() + "\n" + sentence).strip() if texts[key].strip() else sentence
        anchor = f"section-{key}"
    try:
        services.report_save_sections(report=report, sections=texts, actor=request.user, actor_roles=roles)
    except DomainError as err:
        form.add_error(None, err.message)
        return _render_workspace(request, agency, report, roles, sections_form=form, status=400)
    messages.success(request, "已插入建议语句并保存" if insert is not None else "正文已保存")
    return redirect(_url("annualreports:staff_year", agency, year) + f"#{anchor}")


@login_required
@require_POST
def act(request, year: int, action: str):
    agency, roles = _agency_roles(request)
    report = _report_or_404(agency, year)
    if action not in {a.value for a in Action}:
        raise Http404("没有这个操作")
    row = transition_for(report.state, action)
    if row is None:
        messages.error(request, f"年度报告处于“{State(report.state).label}”状态，不能“{Action(action).label}”")
        return redirect(_url("annualreports:staff_year", agency, year))
    form = ActionForm(request.POST, transition=row, prefix=action)
    if not form.is_valid():
        return _render_workspace(request, agency, report, roles, action_forms={action: form}, status=400)
    try:
        services.report_transition(
            report=report,
            action=action,
            actor=request.user,
            actor_roles=roles,
            comment=form.cleaned_data.get("comment", ""),
            today=localtime.local_today(),
        )
    except SubmissionBlocked as err:
        form.add_error(None, "报告尚不能提交审核，请先解决以下问题：")
        return _render_workspace(
            request, agency, report, roles, action_forms={action: form}, status=400, problems=err.problems
        )
    except FieldError as err:
        form.add_error(err.field, err.message)
        return _render_workspace(request, agency, report, roles, action_forms={action: form}, status=400)
    except DomainError as err:
        form.add_error(None, err.message)
        return _render_workspace(request, agency, report, roles, action_forms={action: form}, status=400)
    done = {
        Action.SUBMIT: "已提交办公室主任审核，表格和正文已按提交时的内容固定",
        Action.LEADER_APPROVE: "已审定，本版本已冻结",
        Action.PUBLISH: "已在政府信息公开专栏“年报”栏目公开",
        Action.REVISE: "已生成新版本，请修改正文后重新提交审核",
    }.get(Action(action), f"已{Action(action).label}")
    messages.success(request, done)
    return redirect(_url("annualreports:staff_year", agency, year))


# -- downloads --------------------------------------------------------------------------------------


def _version(report, request):
    number = request.GET.get("version")
    if not number:
        return report.current_version
    try:
        found = report.versions.filter(number=int(number)).first()
    except ValueError:
        found = None
    if found is None:
        raise Http404("没有这个版本")
    return found


@login_required
@require_GET
def download(request, year: int, kind: str):
    from gongkai.annualreports import render as outputs

    agency, _roles = _agency_roles(request)
    report = _report_or_404(agency, year)
    version = _version(report, request)
    content = selectors.version_content(report, version)
    if kind == "html":
        return render(
            request,
            "annualreports/staff/preview.html",
            {
                "agency": agency,
                "report": report,
                "version": version,
                "body": outputs.html_fragment(content),
                "agency_q": f"?agency={agency.code}",
                "frozen": version.tables is not None,
            },
        )
    if kind == "docx":
        data, ctype = outputs.docx_bytes(content), DOCX
    elif kind == "pdf":
        data, ctype = outputs.pdf_bytes(content), "application/pdf"
    else:
        raise Http404("没有这种格式")
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=file_name(content, kind), content_type=ctype)


# -- last year's report made outside gongkai -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def previous(request, year: int):
    agency, roles = _agency_roles(request)
    last = year - 1
    try:
        format_for_year(last)
    except DomainError as err:
        return render(
            request,
            "annualreports/staff/previous.html",
            {"agency": agency, "year": year, "last": last, "refusal": err.message},
            status=404,
        )
    can_write = bool(roles & selectors.OPENING_ROLES)
    existing = PreviousReport.objects.filter(agency=agency, year=last).first()
    mode = request.POST.get("mode") or request.GET.get("mode")
    # an entry of every cell is shown (and saved) whole unless the key cells are asked for
    complete = mode == "all" or (mode not in ("key", "import") and existing is not None and existing.complete)
    cells = selectors.all_cells(last) if complete else selectors.key_cells(last)
    initial = {}
    if existing is not None:
        tables = selectors.tables_from_json(existing.tables)
        initial = {c.name: selectors.cell_value(tables, c) for c in cells}
        initial = {k: v for k, v in initial.items() if v is not None}
    import_form = PreviousImportForm()
    entry_form = PreviousEntryForm(cells=cells, initial_values=initial)
    error, status = "", 200
    if request.method == "POST" and mode in ("publish", "unpublish"):
        if existing is None:
            raise Http404("没有该年度的报告")
        try:
            services.previous_report_publish(
                record=existing,
                publish=mode == "publish",
                actor=request.user,
                actor_roles=roles,
                today=localtime.local_today(),
            )
        except DomainError as err:
            messages.error(request, err.message)
        else:
            messages.success(
                request, f"已在年报栏目公开{last}年度报告" if mode == "publish" else f"已将{last}年度报告撤下"
            )
        return redirect(_url("annualreports:staff_previous", agency, year))
    if request.method == "POST":
        if not can_write:
            raise Http404("没有权限")
        try:
            if mode == "import":
                import_form = PreviousImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    f = import_form.cleaned_data["file"]
                    services.previous_report_import(
                        agency=agency, year=last, data=f.read(), name=f.name, actor=request.user, for_year=year
                    )
                    messages.success(request, f"已导入{last}年度报告，读取的表格数字将用于跨年度核对")
                    return redirect(_url("annualreports:staff_previous", agency, year))
                status = 400
            else:
                entry_form = PreviousEntryForm(request.POST, cells=cells)
                if entry_form.is_valid():
                    services.previous_report_enter(
                        agency=agency,
                        year=last,
                        values=entry_form.values(),
                        complete=complete,
                        actor=request.user,
                        for_year=year,
                    )
                    messages.success(request, f"已保存{last}年度报告的数字，将用于跨年度核对")
                    return redirect(_url("annualreports:staff_previous", agency, year))
                status = 400
        except services.CellErrors as err:
            for name, message in err.errors.items():
                entry_form.add_error(name, message)
            error, status = err.message, 400
        except DomainError as err:
            target = import_form if mode == "import" else entry_form
            target.add_error("file" if mode == "import" else None, err.message)
            error, status = err.message, 400
    prev = selectors.previous_for(agency=agency, year=year)
    return render(
        request,
        "annualreports/staff/previous.html",
        {
            "agency": agency,
            "year": year,
            "last": last,
            "existing": existing,
            "previous": prev,
            "import_form": import_form,
            "entry_form": entry_form,
            "complete": complete,
            "can_write": can_write,
            "error": error,
            "agency_q": f"?agency={agency.code}",
            "in_gongkai": selectors.report_for(agency, last),
            "can_publish": bool(roles & services.PUBLISHING_ROLES),
        },
        status=status,
    )
