"""Pages of the work-order register (/work/workorders/): the list, an order with its buttons, the
import (upload → preview → confirm), the export of replies, the statistics, a platform's settings.
Thin: the services check and write, the selectors read. "Today" comes from
:func:`gongkai.localtime.local_today`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai import localtime
from gongkai.applications.forms_register import IntakeRegistrationForm
from gongkai.applications.selectors import registering_agencies
from gongkai.domain.errors import CalendarNotCovered, DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.workorders import importing as imp
from gongkai.domain.workorders import workflow as wf
from gongkai.domain.workorders.workflow import Action, Platform, State
from gongkai.spreadsheets import XLSX_CONTENT_TYPE
from gongkai.workorders import selectors, services
from gongkai.workorders.forms import ActionForm, PlatformSettingsForm, UploadForm


def _refused(request, message: str, *, order=None, status: int = 403):
    return render(request, "workorders/refused.html", {"message": message, "order": order}, status=status)


def _year(request, today):
    param = request.GET.get("year", "")
    return None if param == "all" else (int(param) if param.isdigit() and len(param) == 4 else today.year)


@login_required
@require_GET
def order_list(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    if agency is None:
        return _refused(request, "您没有可查看的机关：工单办理只对机关的工作人员和上级政务公开办开放。")
    today = localtime.local_today()
    year = _year(request, today)
    platform = request.GET.get("platform", "") if request.GET.get("platform") in wf.PLATFORM_LABELS else ""
    state = request.GET.get("state", "") if request.GET.get("state") in {s.value for s in State} else ""
    view = "overdue" if request.GET.get("view") == "overdue" else ""
    qs = selectors.orders(agency, year=year, platform=platform, state=state, today=today, view=view)
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rules = [(p, services.platform_rule(agency, p.value)) for p in Platform]
    return render(
        request,
        "workorders/list.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "rows": selectors.rows(page.object_list, today=today),
            "page": page,
            "years": selectors.year_choices(agency, today),
            "year": year,
            "platform": platform,
            "state": state,
            "view": view,
            "platforms": wf.PLATFORM_LABELS,
            "states": [(s.value, s.label) for s in State],
            "rules": rules,
            "counts": selectors.counts(agency.pk, today=today),
            "can_write": selectors.writing_agencies(request.user).filter(pk=agency.pk).exists(),
            "can_configure": selectors.office_head_agencies(request.user).filter(pk=agency.pk).exists(),
        },
    )


@login_required
@require_GET
def order_detail(request, pk: int):
    order = selectors.order_for(request.user, pk)
    roles = selectors.roles_for(request.user, order)
    actions = wf.available_actions(order.state, roles)
    return render(
        request,
        "workorders/detail.html",
        {
            "order": order,
            "actions": [(a, wf.WORKFLOW.transition_for(order.state, a)) for a in actions],
            "deadline": wf.deadline_status(order.due_on, today=localtime.local_today(), state=order.state),
            "on_time": wf.on_time(order.due_on, order.first_replied_on),
            "history": selectors.history(order),
            "can_convert": order.application_id is None
            and registering_agencies(request.user).filter(pk=order.agency_id).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_act(request, pk: int, action: str):
    order = selectors.order_for(request.user, pk)
    try:
        move = Action(action)
    except ValueError:
        raise Http404("没有这项操作") from None
    roles = selectors.roles_for(request.user, order)
    today = localtime.local_today()
    if move not in wf.available_actions(order.state, roles):
        try:
            wf.WORKFLOW.allowed(order.state, move, roles)
        except TransitionNotAllowed as err:
            return _refused(request, err.message, order=order)
        return _refused(request, f"您不能对该工单“{move.label}”", order=order)
    row = wf.WORKFLOW.transition_for(order.state, move)
    form = ActionForm(request.POST if request.method == "POST" else None, transition=row, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_act(
                order=order, action=move.value, actor=request.user, today=today, fields=form.domain_fields()
            )
        except FieldError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, f"已{move.label}。")
            return redirect("workorders:detail", pk=order.pk)
    return render(
        request,
        "workorders/act.html",
        {"order": order, "action": move, "transition": row, "form": form, "state": State(order.state)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_to_application(request, pk: int):
    order = selectors.order_for(request.user, pk)
    if order.application_id is not None:
        return _refused(request, "该工单已转为政府信息公开申请，不能重复登记。", order=order)
    agencies = registering_agencies(request.user).filter(pk=order.agency_id)
    if not agencies.exists():
        return _refused(request, "只有该机关的经办人可以将工单转为政府信息公开申请。", order=order)
    initial = {"description": order.content or order.title, "reached_on": order.received_on}
    form = IntakeRegistrationForm(
        request.POST or None,
        request.FILES or None,
        agencies=agencies,
        initial=initial,
        fixed_origin=services.order_origin(order),
    )
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            submitted = services.order_to_application(
                order=order,
                actor=request.user,
                today=localtime.local_today(),
                channel=cd["channel"],
                applicant=form.applicant(),
                receipt_dates=form.receipt_dates(),
                submission_token=cd["submission_token"],
                attachments=form.attachments(),
                note=form.registration_note,
                intake=form.intake(),
                intake_papers=form.intake_papers(),
            )
        except CalendarNotCovered as err:
            form.add_error(None, err.message)
        except TransitionNotAllowed as err:
            form.add_error(None, err.message)
        except FieldError as err:  # the intake's (identity check, agent, the day it reached the office)
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error(form.date_field_of_channel(), err.message)
        else:
            app = submitted.application
            messages.success(
                request, f"已登记为政府信息公开申请{app.tracking_number}，申请记录中注明来自工单{order.number}。"
            )
            return redirect("workorders:detail", pk=order.pk)
    return render(request, "workorders/to_application.html", {"order": order, "form": form})


# -- the import ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    agencies = selectors.writing_agencies(request.user)
    if not agencies.exists():
        return _refused(request, "只有经办人和办公室主任可以导入工单。")
    form = UploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            batch = services.batch_upload(
                agency=form.cleaned_data["agency"],
                actor=request.user,
                platform=form.cleaned_data["platform"],
                filename=f.name,
                content=f.read(),
            )
        except DomainError as err:
            form.add_error("file", err.message)
        else:
            return redirect("workorders:preview", pk=batch.pk)
    return render(request, "workorders/import.html", {"form": form, "batches": selectors.recent_batches(request.user)})


@login_required
@require_GET
def import_preview(request, pk: int):
    batch = selectors.batch_for(request.user, pk)
    try:
        preview = services.batch_preview(batch, today=localtime.local_today())
    except DomainError as err:
        return _refused(request, err.message, status=400)
    return render(
        request,
        "workorders/preview.html",
        {"batch": batch, "preview": preview, "platform_label": wf.PLATFORM_LABELS[batch.platform]},
    )


@login_required
@require_POST
def import_confirm(request, pk: int):
    batch = selectors.batch_for(request.user, pk)
    try:
        batch = services.batch_confirm(batch=batch, actor=request.user, today=localtime.local_today())
    except DomainError as err:
        return _refused(request, err.message, status=409)
    dup = f"，重复{len(batch.duplicates)}件已跳过（{'、'.join(batch.duplicates)}）" if batch.duplicates else ""
    bad = f"，{batch.rejected}行有错误未导入" if batch.rejected else ""
    messages.success(request, f"已导入{batch.imported}件工单{dup}{bad}。")
    return redirect(f"{reverse('workorders:list')}?agency={batch.agency.code}&platform={batch.platform}&year=all")


@login_required
@require_GET
def export(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    platform = request.GET.get("platform", "")
    if agency is None or platform not in wf.PLATFORM_LABELS:
        raise Http404("请选择机关和平台")
    year = _year(request, localtime.local_today())
    content = services.export_replies(agency=agency, platform=platform, year=year)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"workorders-{platform}-{year or 'all'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- statistics and settings ---------------------------------------------------------------------------


@login_required
@require_GET
def statistics(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    if agency is None:
        return _refused(request, "您没有可查看的机关。")
    today = localtime.local_today()
    year = _year(request, today) or today.year
    by = request.GET.get("by") if request.GET.get("by") in selectors.GROUPS else "month"
    rows, total = selectors.statistics(agency, year=year, by=by)
    top = max([r.figures.received for r in rows] or [1]) or 1
    return render(
        request,
        "workorders/statistics.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "year": year,
            "years": selectors.year_choices(agency, today),
            "by": by,
            "groups": selectors.GROUPS,
            "group_label": selectors.GROUPS[by],
            "rows": [(r, round(r.figures.received * 100 / top)) for r in rows],
            "total": total,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def platform_settings(request, platform: str):
    if platform not in wf.PLATFORM_LABELS:
        raise Http404("没有这个平台")
    agency = selectors.office_head_agencies(request.user).order_by("name").first()
    if agency is None:
        return _refused(request, "工单平台的办理时限和列对应由办公室主任设置。")
    rule = services.platform_rule(agency, platform)
    mapping = services.platform_mapping(agency, platform)
    initial = {"amount": rule.amount, "unit": rule.unit.value} | {f"col_{f}": h for f, h in mapping.items()}
    form = PlatformSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.platform_settings_update(
                agency=agency,
                actor=request.user,
                platform=platform,
                amount=form.cleaned_data["amount"],
                unit=form.cleaned_data["unit"],
                mapping=form.mapping(),
            )
        except FieldError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, f"已保存{wf.PLATFORM_LABELS[platform]}的设置。此后导入的工单按新时限计算。")
            return redirect("workorders:list")
    return render(
        request,
        "workorders/settings.html",
        {"form": form, "agency": agency, "platform_label": wf.PLATFORM_LABELS[platform], "fields": imp.IMPORT_FIELDS},
    )
