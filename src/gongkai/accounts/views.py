"""Login and the role dashboards."""


from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from gongkai.accounts import selectors
from gongkai.accounts.dashboards import dashboard_panels
from gongkai.web import throttle
from gongkai.domain.calendar import CONVENTION_LABELS, CONVENTIONS
from gongkai.domain.errors import DomainError
from gongkai.workcalendar.selectors import missing_notice_year, working_calendar
from gongkai import localtime


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确，请重新输入（区分大小写）。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Per address across user names (password spraying); django-axes locks a user name per
        # address. Both key on gongkai.web.client_address.client_ip.
        if throttle.address_blocked(request):
            # an unbound form: checking the password now would tell a sprayer when it is right
            form = self.get_form_class()(request)
            return self.render_to_response(self.get_context_data(form=form, problem=throttle.TOO_MANY_FAILURES), status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            throttle.count_failure(request)
        return response


class DeadlineForm(forms.Form):
    start = forms.DateField(label="收到申请日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    working_days = forms.IntegerField(label="工作日数", min_value=1, max_value=200, initial=20)
    convention = forms.ChoiceField(
        label="计算规则", choices=[(c, f"规则{c}：{CONVENTION_LABELS[c]}") for c in CONVENTIONS], initial="A"
    )


@login_required
def dashboard(request):
    today = localtime.local_today()
    calendar = working_calendar()
    agency = selectors.primary_agency(request.user)
    memberships = list(selectors.memberships_of(request.user))
    form = DeadlineForm(
        request.GET or None,
        initial={"start": today, "convention": agency.deadline_convention if agency else "A"},
    )
    deadline = deadline_error = None
    if form.is_valid():
        try:
            deadline = calendar.due_date(
                form.cleaned_data["start"], form.cleaned_data["working_days"], form.cleaned_data["convention"]
            )
        except DomainError as err:
            deadline_error = err.message
    try:
        today_kind = calendar.day_kind(today)
    except DomainError as err:
        today_kind = None
        deadline_error = deadline_error or err.message
    return render(
        request,
        "accounts/dashboard.html",
        {
            "today": today,
            "today_kind": today_kind,
            "memberships": memberships,
            "panels": dashboard_panels(request.user, memberships, today=today),
            "calendar_years": calendar.covered_years,
            "missing_notice_year": missing_notice_year(calendar, today),
            "can_enter_notice": request.user.has_perm("workcalendar.add_holidaynotice"),
            "deadline_form": form,
            "deadline": deadline,
            "deadline_error": deadline_error,
        },
    )
