"""Pages of the suggestions and proposals register (/work/proposals/) and the public column's
建议提案复文公开 (/xxgk/jianyitian/). Thin: the services check and write, the selectors read.
"Today" comes from :func:`gongkai.localtime.local_today` and is passed to the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from gongkai import localtime
from gongkai.domain.errors import DomainError, TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.proposals import workflow as wf
from gongkai.domain.proposals.workflow import Action, State
from gongkai.proposals import selectors, services
from gongkai.proposals.forms import CONFIRM_REQUIRED, ActionForm, ProposalForm, SettingsForm


def _refused(request, message: str, *, proposal=None, status: int = 403):
    back = [(reverse("proposals:detail", args=[proposal.pk]), "← 返回该件")] if proposal else []
    back.append((reverse("proposals:list"), "返回建议提案办理"))
    context = {"message": message, "heading": "无法操作", "back": back, "layout": "proposals/base.html"}
    return render(request, "refused.html", context, status=status)


@login_required
@require_GET
def proposal_list(request):
    agency = selectors.agency_for(request.user, request.GET.get("agency"))
    if agency is None:
        return _refused(request, "您没有可查看的机关：建议提案办理只对机关的工作人员和上级政务公开办开放。")
    today = localtime.local_today()
    years = selectors.year_choices(agency, today)
    year_param = request.GET.get("year", "")
    year = None if year_param == "all" else (int(year_param) if year_param.isdigit() else today.year)
    view = "overdue" if request.GET.get("view") == "overdue" else ""
    rows = selectors.proposal_rows(agency, today=today, year=year, view=view)
    return render(
        request,
        "proposals/list.html",
        {
            "agency": agency,
            "agencies": selectors.visible_agencies(request.user),
            "rows": rows,
            "years": years,
            "year": year,
            "view": view,
            "counts": selectors.counts(agency.pk, today=today),
            "can_register": selectors.writing_agencies(request.user).filter(pk=agency.pk).exists(),
            "can_configure": selectors.office_head_agencies(request.user).filter(pk=agency.pk).exists(),
            "months": services.deadline_months(agency),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    agencies = selectors.writing_agencies(request.user)
    if not agencies.exists():
        return _refused(request, "只有经办人和办公室主任可以登记交办的建议提案。")
    form = ProposalForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_register(
                agency=form.cleaned_data["agency"],
                actor=request.user,
                today=localtime.local_today(),
                **form.service_fields(),
            )
        except FieldError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, f"已登记{proposal}，答复期限{proposal.due_on:%Y年%-m月%-d日}。")
            return redirect("proposals:detail", pk=proposal.pk)
    return render(request, "proposals/form.html", {"form": form})


@login_required
@require_GET
def proposal_detail(request, pk: int):
    proposal = selectors.proposal_for(request.user, pk)
    roles = selectors.roles_for(request.user, proposal)
    facts = services.facts_of(proposal)
    actions = wf.available_actions(proposal.state, roles, facts)
    today = localtime.local_today()
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "actions": [(a, wf.WORKFLOW.transition_for(proposal.state, a)) for a in actions],
            "deadline": wf.deadline_status(proposal.due_on, today=today, state=proposal.state),
            "contacts": selectors.contacts(proposal),
            "history": selectors.history(proposal),
            "category_label": wf.CATEGORY_LABELS.get(proposal.category, ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_act(request, pk: int, action: str):
    proposal = selectors.proposal_for(request.user, pk)
    try:
        move = Action(action)
    except ValueError:
        raise Http404("没有这项操作") from None
    roles = selectors.roles_for(request.user, proposal)
    facts = services.facts_of(proposal)
    if move not in wf.available_actions(proposal.state, roles, facts):
        try:
            wf.check_transition(
                proposal.state, move, actor_roles=roles, fields={}, facts=facts, today=localtime.local_today()
            )
        except FieldError:
            message = f"您不能对该件“{move.label}”"
        except TransitionNotAllowed as err:
            message = err.message
        else:
            message = f"您不能对该件“{move.label}”"
        return _refused(request, message, proposal=proposal)
    row = wf.WORKFLOW.transition_for(proposal.state, move)
    today = localtime.local_today()
    initial = {"reply_text": proposal.reply_text, "category": proposal.category, "co_opinions": proposal.co_opinions}
    form = ActionForm(
        request.POST if request.method == "POST" else None, transition=row, today=today, initial_values=initial
    )
    if request.method == "POST" and form.is_valid():
        if row.irreversible and not form.confirmed:
            form.add_error("confirm_irreversible", CONFIRM_REQUIRED)
        else:
            try:
                services.proposal_act(
                    proposal=proposal, action=move.value, actor=request.user, today=today, fields=form.domain_fields()
                )
            except FieldError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            except DomainError as err:
                form.add_error(None, err.message)
            else:
                messages.success(request, f"已{move.label}。")
                return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/act.html",
        {"proposal": proposal, "action": move, "transition": row, "form": form, "state": State(proposal.state)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_settings(request):
    agency = selectors.office_head_agencies(request.user).order_by("name").first()
    if agency is None:
        return _refused(request, "建议提案答复期限由办公室主任设置。")
    months, urgent_months = services.deadline_months(agency)
    form = SettingsForm(request.POST or None, initial={"months": months, "urgent_months": urgent_months})
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_settings_update(agency=agency, actor=request.user, **form.cleaned_data)
        except FieldError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "已保存建议提案答复期限。此后登记的交办件按新期限计算。")
            return redirect("proposals:list")
    return render(request, "proposals/settings.html", {"form": form, "agency": agency})


# -- the public column ------------------------------------------------------------------------------


@require_GET
def public_list(request):
    return render(
        request,
        "proposals/public/list.html",
        {"replies": selectors.public_replies(), "category_labels": wf.CATEGORY_LABELS, "public_nav": "jianyitian"},
    )


@require_GET
def public_detail(request, pk: int):
    reply = selectors.public_reply(pk)
    return render(
        request,
        "proposals/public/detail.html",
        {
            "reply": reply,
            "reply_text": wf.redact(reply.reply_text),
            "category_label": wf.CATEGORY_LABELS.get(reply.category, ""),
            "public_nav": "jianyitian",
        },
    )
