"""Test data each test builds for itself, so that a test depends on the facts it states and not on
the demo (``seed_demo()`` stays for the tests that are about the demo: test_applications_demo.py,
the demo years in the service tests, the installation and the site-wide crawls).

Rows that have no workflow (an agency, a person, a membership) come from factory_boy factories.
Anything with a history (an application, a document, a report) is made through the real services,
as a user would make it, so it carries the events, clocks and numbers the workflow gives it: the
helpers here (``submit_application``, ``disclosure_ready``) and the test modules' own (a document's
moves, a report's) only fill in the arguments a test does not care about.

``bureau()`` builds the usual cast: an agency with published contact details and named remedy
bodies (what receipts and letters print), a second agency under the same supervising office, and
one person in each staff role, keyed by the short names the tests use (jingban 经办, zhuren 主任,
lingdao 领导, baomi 保密, jiandu 监督).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from gongkai.accounts.models import Agency, Membership, Role

PASSWORD = "test-password"  # every factory user's password (the test settings hash it with MD5)

# The agency the installation serves (its public column and the applicant's form) is the one the
# settings name (GONGKAI_AGENCY_CODE); the usual cast's agency is that one, as in production.
EDU = settings.GONGKAI_AGENCY_CODE
HEALTH = "health"
GOV_OFFICE = "gov-office"

# What an agency publishes about its 政府信息公开工作机构 and names in every letter's remedies
# paragraph (行政复议法 第二十条第三款): receipts, letters and the public footer print these.
EDU_CONTACT = {
    "address": "示范区人民路88号教育局一楼服务窗口",
    "postcode": "100000",
    "office_hours": "工作日上午8:30—12:00，下午13:30—17:30（法定节假日除外）",
    "contact_person": "李敏",
    "phone": "010-62000001",
    "fax": "010-62000002",
    "email": "xxgk@edu.example.gov.cn",
    "review_body": "示范区人民政府",
    "competent_court": "示范区人民法院",
}


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"测试区第{n}局")
    kind = Agency.Kind.AGENCY


class SupervisingOfficeFactory(AgencyFactory):
    """A 政务公开主管部门: supervises agencies, handles no applications of its own."""

    name = factory.Sequence(lambda n: f"测试区第{n}政务公开办")
    kind = Agency.Kind.SUPERVISOR


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "孙"
    first_name = factory.Sequence(lambda n: f"测{n}")
    password = Password(PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "agency", "role")

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CLERK
    title = ""


def person(agency: Agency, role: str, username: str | None = None, **user_fields):
    """A user who works in ``agency`` in ``role`` (one membership)."""
    user = UserFactory(**({"username": username} if username else {}), **user_fields)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


# What an office head needs to enter the year's 节假日安排 in the admin (the notice and its days).
HOLIDAY_NOTICE_PERMS = tuple(
    f"workcalendar.{verb}_{model}"
    for model in ("holidaynotice", "holidayperiod", "makeupworkday")
    for verb in ("add", "change", "delete", "view")
    if (verb, model) != ("delete", "holidaynotice")
)


# The 2027 holiday notice as an office head posts it in the admin form (the dates are the tests' own,
# not a real notice): the season when next year's notice is missing, then entered.
NOTICE_2027_FORM = {
    "year": "2027",
    "title": "国务院办公厅关于2027年部分节假日安排的通知",
    "doc_no": "",
    "published_on": "",
    "note": "",
    "periods-TOTAL_FORMS": "2",
    "periods-INITIAL_FORMS": "0",
    "periods-MIN_NUM_FORMS": "0",
    "periods-MAX_NUM_FORMS": "1000",
    "periods-0-name": "元旦",
    "periods-0-start": "2027-01-01",
    "periods-0-end": "2027-01-03",
    "periods-1-name": "春节",
    "periods-1-start": "2027-02-05",
    "periods-1-end": "2027-02-13",
    "makeup_workdays-TOTAL_FORMS": "1",
    "makeup_workdays-INITIAL_FORMS": "0",
    "makeup_workdays-MIN_NUM_FORMS": "0",
    "makeup_workdays-MAX_NUM_FORMS": "1000",
    "makeup_workdays-0-date": "2027-02-20",
    "makeup_workdays-0-name": "春节",
}


def grant(user, *perms: str):
    """Let ``user`` into the admin with ``perms`` ("app_label.codename")."""
    from django.contrib.auth.models import Permission

    user.is_staff = True
    user.save(update_fields=["is_staff"])
    for dotted in perms:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@dataclass
class Bureau:
    agency: Agency
    neighbour: Agency
    office: Agency
    people: dict = field(default_factory=dict)


# (username, 姓, 名, role, agency): one person per staff role
STAFF = (
    ("jingban", "张", "敏", Role.CLERK, EDU),
    ("zhuren", "李", "华", Role.OFFICE_HEAD, EDU),
    ("lingdao", "王", "强", Role.LEADER, EDU),
    ("baomi", "赵", "静", Role.CONFIDENTIALITY_REVIEWER, EDU),
    ("jiandu", "陈", "晨", Role.SUPERVISOR, GOV_OFFICE),
)


def bureau(*, admin: bool = False, **agency_fields) -> Bureau:
    """示范区教育局 (the site's agency, code ``EDU``) and 示范区卫生健康局 (``health``), both supervised by
    示范区人民政府办公室 (``gov-office``), and one person in each role; ``admin`` adds a superuser named
    admin. A second call finds what the first made (two fixtures of a test may both ask for it).

    The agency reviews no draft reply (法制审核, 保密审查: ``legal_review_outcomes=[]``) unless a test
    passes its own settings: the tests of letters and sign-off are about those, and the reviews have
    their own tests (test_reply_review.py), which also cover an agency left at the default."""
    agency_fields.setdefault("legal_review_outcomes", [])
    office = SupervisingOfficeFactory(code=GOV_OFFICE, name="示范区人民政府办公室（政务公开办）")
    agency = AgencyFactory(code=EDU, name="示范区教育局", supervised_by=office, **{**EDU_CONTACT, **agency_fields})
    neighbour = AgencyFactory(code=HEALTH, name="示范区卫生健康局", supervised_by=office)
    by_code = {EDU: agency, GOV_OFFICE: office}
    people = {
        username: person(by_code[code], role, username, last_name=last, first_name=first)
        for username, last, first, role, code in STAFF
    }
    if admin:
        people["admin"] = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return Bureau(agency=agency, neighbour=neighbour, office=office, people=people)


# -- things with a history: made through the services -------------------------------------------

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_document_type": "resident_id",
    "id_document_number": "110101199001011237",
    "phone": "13800000000",
    "description": "2025年示范区义务教育招生划片方案",
    "delivery_form": "electronic",
    "delivery_channel": "email",
}


def submit_application(*, agency: Agency, registered_by, received: date, applicant: dict | None = None, **kw):
    """An application handed in on ``received`` and registered by a clerk (applications.services);
    returns the service's ``Submitted`` (the application and its query code)."""
    from gongkai.applications.services import application_submit

    args = {
        "agency": agency,
        "channel": "in_person",
        "applicant": applicant or APPLICANT,
        "submitted_on": received,
        "handed_in_on": received,
        "registered_by": registered_by,
        "today": received,
    }
    return application_submit(**{**args, **kw})


def disclosure_ready(agency: Agency, *, organisation_code: str = "11110199MB0000015X") -> dict:
    """The agency's 主动公开 set up as an office does before its first document: the column tree
    and the 索引号 pattern (disclosure.services). Returns the columns by slug."""
    from gongkai.disclosure import services
    from gongkai.disclosure.models import Column

    services.column_tree_install(agency=agency)
    services.index_scheme_save(
        agency=agency, organisation_code=organisation_code, pattern="{agency_code}/{year}-{seq:05d}"
    )
    return {c.slug: c for c in Column.objects.filter(agency=agency)}
