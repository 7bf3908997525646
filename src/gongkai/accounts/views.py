"""Login and the role dashboards."""

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from gongkai import localtime
from gongkai.accounts import selectors, services
from gongkai.accounts.dashboards import dashboard_panels
from gongkai.accounts.models import COMPETENT_COURT_HELP, REVIEW_BODY_HELP
from gongkai.domain.applications.sign_off import SIGNABLE_OUTCOMES, SignOffChain
from gongkai.domain.calendar import CONVENTION_LABELS, CONVENTIONS
from gongkai.domain.errors import DomainError
from gongkai.domain.fields import FieldError
from gongkai.domain.outcomes import OUTCOME_CODES, outcome
from gongkai.web import throttle
from gongkai.workcalendar.selectors import missing_notice_year, working_calendar


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
            return self.render_to_response(
                self.get_context_data(form=form, problem=throttle.TOO_MANY_FAILURES), status=429
            )
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
            "panels": dashboard_panels(memberships, today=today, calendar=calendar),
            "calendar_years": calendar.covered_years,
            "missing_notice_year": missing_notice_year(calendar, today),
            "can_enter_notice": request.user.has_perm("workcalendar.add_holidaynotice"),
            "deadline_form": form,
            "deadline": deadline,
            "deadline_error": deadline_error,
        },
    )


# -- the agency's settings (office head) ---------------------------------------------------------

NO_SIGN_OFF = ""
_CHAIN_CHOICES = [(NO_SIGN_OFF, "无需签发")] + [(c.value, c.label) for c in SignOffChain]


class AgencySettingsForm(forms.Form):
    """The procedure settings an office head sets once for the agency."""

    fee_pauses_reply_clock = forms.BooleanField(
        label="自发出收费通知之日起至申请人缴费之日止的期间不计入答复期限",
        required=False,
        help_text="国办函〔2020〕109号；默认不计入。取消后，等待缴费的时间计入答复期限。",
    )

    address = forms.CharField(label="办公地址", max_length=200, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=6, required=False)
    office_hours = forms.CharField(
        label="办公时间",
        max_length=200,
        required=False,
        help_text="例如：工作日上午9:00—12:00，下午13:30—17:30（法定节假日除外）",
    )
    contact_person = forms.CharField(
        label="联系人",
        max_length=40,
        required=False,
        help_text="印在答复书等文书的“联系人”一栏；留空则文书保留空白横线。",
    )
    phone = forms.CharField(label="联系电话", max_length=60, required=False, help_text="例如：010-12345678")
    fax = forms.CharField(label="传真", max_length=60, required=False)
    email = forms.CharField(label="电子邮箱", max_length=120, required=False)
    review_body = forms.CharField(label="行政复议机关", max_length=100, required=False, help_text=REVIEW_BODY_HELP)
    competent_court = forms.CharField(label="管辖法院", max_length=100, required=False, help_text=COMPETENT_COURT_HELP)

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        for code in (c for c in OUTCOME_CODES if c in SIGNABLE_OUTCOMES):
            self.fields[f"chain_{code}"] = forms.ChoiceField(
                label=outcome(code).label,
                choices=_CHAIN_CHOICES,
                required=False,
                initial=policy.chain(code).value if policy.needs_sign_off(code) else NO_SIGN_OFF,
            )

    def contact_fields(self):
        return [self[name] for name in services.CONTACT_FIELDS]

    def remedy_fields(self):
        return [self[name] for name in services.REMEDY_FIELDS]

    def details(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in services.DETAIL_FIELDS}

    def chain_fields(self):
        return [self[name] for name in self.fields if name.startswith("chain_")]

    def chains(self) -> dict[str, str | None]:
        return {
            name[len("chain_") :]: (v or None) for name, v in self.cleaned_data.items() if name.startswith("chain_")
        }


@login_required
def agency_settings(request):
    """/work/agency/settings/: the office head's settings of the agency (procedure readings, sign-off)."""
    agency = selectors.primary_agency(request.user)
    if agency is None or "office_head" not in selectors.roles_in(request.user, agency):
        raise PermissionDenied("只有办公室主任可以修改本机关的设置")
    policy = selectors.sign_off_policy_for(agency)
    form = AgencySettingsForm(
        request.POST if request.method == "POST" else None,
        policy=policy,
        initial={
            "fee_pauses_reply_clock": agency.fee_pauses_reply_clock,
            **{name: getattr(agency, name) for name in services.DETAIL_FIELDS},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_settings_update(
                agency=agency,
                fee_pauses_reply_clock=form.cleaned_data["fee_pauses_reply_clock"],
                chains=form.chains(),
                details=form.details(),
                actor=request.user,
            )
        except FieldError as err:
            form.add_error(err.field, err.message)
        except DomainError as err:
            form.add_error(None, err.message)
        else:
            messages.success(request, "已保存本机关的设置。")
            return redirect("accounts:agency_settings")
    return render(request, "accounts/agency_settings.html", {"agency": agency, "form": form})
