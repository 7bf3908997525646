"""/work/agency/review-settings/: the office head chooses, per outcome, which draft replies need a
法制审核 and which a 保密审查 before sign-off (domain.applications.review)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.accounts import selectors, services
from gongkai.domain.applications.sign_off import SIGNABLE_OUTCOMES
from gongkai.domain.errors import DomainError
from gongkai.domain.outcomes import OUTCOMES

_CHOICES = [(o.code, o.label) for o in OUTCOMES if o.code in SIGNABLE_OUTCOMES]


class ReviewSettingsForm(forms.Form):
    legal = forms.MultipleChoiceField(
        label="需法制审核的办理结果", choices=_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    secrecy = forms.MultipleChoiceField(
        label="需保密审查的办理结果", choices=_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_settings(request):
    agency = selectors.primary_agency(request.user)
    if agency is None or "office_head" not in selectors.roles_in(request.user, agency):
        raise PermissionDenied("只有办公室主任可以修改本机关的设置")
    policy = selectors.review_policy_for(agency)
    form = ReviewSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"legal": sorted(policy.legal), "secrecy": sorted(policy.secrecy)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_review_settings_update(
                agency=agency, legal=form.cleaned_data["legal"], secrecy=form.cleaned_data["secrecy"]
            )
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "已保存答复审核的设置。")
            return redirect("accounts:review_settings")
    return render(request, "accounts/review_settings.html", {"agency": agency, "form": form})
