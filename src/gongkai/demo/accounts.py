"""The demo agency 示范区教育局 and its people, created idempotently by ``manage.py seed_demo``."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction

from gongkai.accounts.models import Agency, Membership, Role, Unit

DEMO_PASSWORD = "gongkai-demo"

AGENCY = {
    "code": "demo-edu",
    "name": "示范区教育局",
    "kind": Agency.Kind.AGENCY,
    # fictitious contact details, the same as the demo's published 办公地址、办公时间及联系方式 document
    # (gongkai.demo.disclosure)
    "address": "示范区人民路88号教育局一楼服务窗口",
    "postcode": "100000",
    "office_hours": "工作日上午8:30—12:00，下午13:30—17:30（法定节假日除外）",
    "contact_person": "李敏",
    "phone": "010-62000001",
    "fax": "010-62000002",
    "email": "xxgk@edu.demo.example.gov.cn",
    "review_body": "示范区人民政府",
    "competent_court": "示范区人民法院",
    # 法制审核 at the default (部分公开 and the refusals); 保密审查 of what a 部分公开 releases
    "secrecy_review_outcomes": ["partially_disclosed"],
}
SUPERVISOR_OFFICE = {
    "code": "demo-gov-office",
    "name": "示范区人民政府办公室（政务公开办）",
    "kind": Agency.Kind.SUPERVISOR,
}
# A second supervised agency, so the supervisor's read-only view spans more than one.
NEIGHBOUR = {"code": "demo-health", "name": "示范区卫生健康局", "kind": Agency.Kind.AGENCY}


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    role: str
    title: str
    agency_code: str
    staff_perms: tuple[str, ...] = ()
    unit: str = ""  # the unit roles' unit (承办)


DEMO_USERS = (
    DemoUser("jingban", "张", "敏", Role.CLERK, "政务公开专员", "demo-edu"),
    DemoUser(
        "zhuren",
        "李",
        "华",
        Role.OFFICE_HEAD,
        "办公室主任",
        "demo-edu",
        staff_perms=(
            "workcalendar.add_holidaynotice",
            "workcalendar.change_holidaynotice",
            "workcalendar.view_holidaynotice",
            "workcalendar.add_holidayperiod",
            "workcalendar.change_holidayperiod",
            "workcalendar.delete_holidayperiod",
            "workcalendar.view_holidayperiod",
            "workcalendar.add_makeupworkday",
            "workcalendar.change_makeupworkday",
            "workcalendar.delete_makeupworkday",
            "workcalendar.view_makeupworkday",
        ),
    ),
    DemoUser("lingdao", "王", "强", Role.LEADER, "副局长（分管政务公开）", "demo-edu"),
    DemoUser("baomi", "赵", "静", Role.CONFIDENTIALITY_REVIEWER, "保密审查员", "demo-edu"),
    # reviews the draft replies the agency's settings put under 法制审核 (refusals, 部分公开) before sign-off
    DemoUser("fazhi", "孙", "丽", Role.LEGAL_REVIEWER, "法制审核人员", "demo-edu"),
    DemoUser("jiandu", "陈", "晨", Role.SUPERVISOR, "政务公开办科员", "demo-gov-office"),
    # the staff of two units the office routes cases to (承办): each sees only its unit's cases
    DemoUser("chengban1", "周", "涛", Role.UNIT_STAFF, "科员", "demo-edu", unit="基础教育股"),
    DemoUser("chengban2", "吴", "芳", Role.UNIT_STAFF, "科员", "demo-edu", unit="计划财务股"),
)
# The units of 示范区教育局 that hold information (股室): name, kind.
DEMO_UNITS = (("基础教育股", Unit.Kind.SECTION), ("计划财务股", Unit.Kind.SECTION))


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Create what is missing; never duplicate, never reset what a user changed. Returns the logins."""
    office, _ = Agency.objects.get_or_create(code=SUPERVISOR_OFFICE["code"], defaults=SUPERVISOR_OFFICE)
    for spec in (AGENCY, NEIGHBOUR):
        Agency.objects.get_or_create(code=spec["code"], defaults={**spec, "supervised_by": office})
    edu = Agency.objects.get(code=AGENCY["code"])
    for name, kind in DEMO_UNITS:
        Unit.objects.get_or_create(agency=edu, name=name, defaults={"kind": kind})
    User = get_user_model()
    logins = []
    for du in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=du.username, defaults={"last_name": du.last_name, "first_name": du.first_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = bool(du.staff_perms)
            user.save()
            user.user_permissions.add(*[_permission(p) for p in du.staff_perms])
        agency = Agency.objects.get(code=du.agency_code)
        unit = Unit.objects.get(agency=agency, name=du.unit) if du.unit else None
        Membership.objects.get_or_create(
            user=user, agency=agency, role=du.role, defaults={"title": du.title, "unit": unit}
        )
        who = f"{du.last_name}{du.first_name}" + (f"（{du.unit}）" if du.unit else "")
        logins.append((du.username, Role(du.role).label, who))
    admin, created = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.append(("admin", "系统管理员", "admin"))
    return logins
