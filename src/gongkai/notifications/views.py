"""Pages of the reminders: the office's outbox and each user's choice of channels."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.domain.fields import FieldError
from gongkai.domain.notifications import Channel, MessageState
from gongkai.notifications import selectors, services
from gongkai.notifications.forms import PreferenceForm


@login_required
@require_GET
def outbox(request):
    if not selectors.office_agency_ids(request.user):
        context = {"message": "待发消息只对经办人和办公室主任开放。", "back": [("/work/", "返回工作台")]}
        return render(request, "refused.html", context, status=403)
    state = request.GET.get("state", "")
    channel = request.GET.get("channel", "")
    state = state if state in {s.value for s in MessageState} else ""
    channel = channel if channel in {c.value for c in Channel} else ""
    page = Paginator(selectors.outbox_for(request.user, state=state, channel=channel), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": page,
            "state": state,
            "channel": channel,
            "states": [(s.value, s.label) for s in MessageState],
            "channels": [(c.value, c.label) for c in Channel],
            "quiet": services.quiet_hours(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    current = services.preference_for(request.user)
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.preference_save(
                user=request.user,
                email_enabled=data["email_enabled"],
                sms_enabled=data["sms_enabled"],
                phone=data["phone"],
                digest_enabled=data["digest_enabled"],
            )
        except FieldError as err:
            form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, "提醒设置已保存。")
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "quiet": services.quiet_hours(), "email": request.user.email},
    )
