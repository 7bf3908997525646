"""The supervisor's desk (上级政务公开办): the agencies overseen on every level, the annual-report
board of a year against 31 January (条例第四十九条), copies received by upload, by publication in
gongkai and by fetching the published address (against an http.server started here: no internet),
their audit through the audit's capped path, and the work figures without any personal data."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from gongkai import localtime
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.applications.models import Application
from gongkai.audits.models import AuditedReport
from gongkai.demo.accounts import seed_demo
from gongkai.supervision import fetch as fetching
from gongkai.supervision import selectors, services
from gongkai.supervision.models import DisclosureColumn, ReportFiling
from tests.integration.test_annualreports import TODAY as PUBLISHED_ON
from tests.integration.test_annualreports import env, published  # noqa: F401 (env is a fixture)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
REPORT = (
    "示范区财政局2025年政府信息公开工作年度报告\n一、总体情况\n本局认真贯彻落实条例。\n"
    "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
).encode()


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)


@pytest.fixture
def tree():
    """A city office over the demo's district office, which oversees the two demo bureaus, a town
    and a sub-office with a department of its own."""
    seed_demo()
    district = Agency.objects.get(code="demo-gov-office")
    city = Agency.objects.create(code="city", name="示范市人民政府办公室", kind=Agency.Kind.SUPERVISOR)
    district.supervised_by = city
    district.save()
    town = Agency.objects.create(code="town", name="示范镇人民政府", supervised_by=district)
    sub = Agency.objects.create(
        code="sub", name="示范区开发区管委会办公室", kind=Agency.Kind.SUPERVISOR, supervised_by=district
    )
    dept = Agency.objects.create(code="dept", name="开发区经济发展局", supervised_by=sub)
    User = get_user_model()
    city_user = User.objects.create_user("shi", password="x")
    Membership.objects.create(user=city_user, agency=city, role=Role.SUPERVISOR)
    return {
        "city": city,
        "district": district,
        "town": town,
        "sub": sub,
        "dept": dept,
        "edu": Agency.objects.get(code="demo-edu"),
        "health": Agency.objects.get(code="demo-health"),
        "jiandu": User.objects.get(username="jiandu"),
        "shi": city_user,
        "clerk": User.objects.get(username="jingban"),
    }


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# -- 1. the agencies overseen, on more than one level ------------------------------------------------


def test_a_district_office_oversees_its_departments_towns_and_the_departments_of_a_sub_office(tree):
    entries = selectors.oversight(tree["district"])
    names = [(e.agency.name, e.depth) for e in entries]
    assert ("开发区经济发展局", 2) in names and ("示范镇人民政府", 1) in names
    assert ("示范区教育局", 1) in names and ("示范区卫生健康局", 1) in names
    assert "示范市人民政府办公室" not in [n for n, _ in names]


def test_a_city_office_sees_every_level_below_it_and_the_district_office_does_not_see_the_city(tree):
    city_view = {e.agency.code: e.depth for e in selectors.oversight(tree["city"])}
    assert city_view["demo-gov-office"] == 1 and city_view["demo-edu"] == 2 and city_view["dept"] == 3
    assert tree["city"].pk not in selectors.overseen_ids(tree["jiandu"])
    assert tree["dept"].pk in selectors.overseen_ids(tree["shi"])


def test_the_agencies_page_lists_the_tree_with_the_column_addresses(tree):
    c = _client(tree["jiandu"])
    r = c.post(reverse("supervision:column_edit", args=[tree["town"].pk]), {"url": "https://town.demo.example/xxgk/"})
    assert r.status_code == 302
    page = c.get(reverse("supervision:agencies")).content.decode()
    assert "示范镇人民政府" in page and "https://town.demo.example/xxgk/" in page and "开发区经济发展局" in page


def test_a_column_address_must_be_http_and_an_agency_outside_the_tree_is_not_editable(tree):
    c = _client(tree["jiandu"])
    r = c.post(reverse("supervision:column_edit", args=[tree["town"].pk]), {"url": "ftp://town.demo.example/"})
    assert r.status_code == 200 and not DisclosureColumn.objects.exists()
    assert c.get(reverse("supervision:column_edit", args=[tree["city"].pk])).status_code == 404


def test_someone_without_the_supervisor_role_is_refused_with_a_way_back(tree):
    r = _client(tree["clerk"]).get(reverse("supervision:board_current"), follow=True)
    assert r.status_code == 403
    page = r.content.decode()
    assert "上级政务公开办" in page and reverse("accounts:dashboard") in page


def test_the_menu_shows_the_supervisor_the_desk_and_not_the_agency_register_it_cannot_open(tree):
    supervisor_page = _client(tree["jiandu"]).get(reverse("accounts:dashboard")).content.decode()
    assert "政务公开监督" in supervisor_page
    assert f'href="{reverse("disclosure:staff_list")}"' not in supervisor_page
    clerk_page = _client(tree["clerk"]).get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{reverse("disclosure:staff_list")}"' in clerk_page
    assert f'href="{reverse("supervision:board_current")}"' not in clerk_page
    # typed by hand, the register still refuses the supervisor, and its way back is the dashboard
    refused = _client(tree["jiandu"]).get(reverse("disclosure:staff_list"))
    assert refused.status_code == 403
    assert f'href="{reverse("disclosure:staff_list")}"' not in refused.content.decode()


# -- 2. the annual-report board ------------------------------------------------------------------------


def test_the_31_january_deadline_counts_the_day_itself_as_in_time():
    from gongkai.domain.supervision import Timeliness, timeliness

    assert timeliness(2025, date(2026, 1, 31), today=TODAY) is Timeliness.ON_TIME
    assert timeliness(2025, date(2026, 2, 1), today=TODAY) is Timeliness.LATE
    assert timeliness(2025, None, today=date(2026, 1, 31)) is Timeliness.NOT_DUE
    assert timeliness(2025, None, today=date(2026, 2, 1)) is Timeliness.MISSING


def test_an_uploaded_report_is_audited_through_the_audit_and_shown_on_the_board(
    tree, django_capture_on_commit_callbacks
):
    c = _client(tree["jiandu"])
    url = reverse("supervision:upload", args=[2025, tree["town"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(url, {"file": SimpleUploadedFile("年报.txt", REPORT), "published_on": "2026-02-03"})
    assert r.status_code == 302
    filing = ReportFiling.objects.get(agency=tree["town"])
    assert filing.source == "upload" and len(filing.sha256) == 64 and filing.size == len(REPORT)
    audit = AuditedReport.objects.get(pk=filing.audit_id)
    assert audit.status == "done" and audit.errors > 0  # tables 二 and 三 are missing
    board = selectors.board(tree["district"], 2025, today=TODAY)
    rows = {r.agency.code: r for r in board.rows}
    assert rows["town"].timeliness.value == "late" and rows["town"].days_late == 3
    assert rows["town"].follow_up == "待审阅发现的问题"
    assert rows["demo-health"].timeliness.value == "missing" and rows["demo-health"].follow_up == "催报"
    page = c.get(reverse("supervision:board", args=[2025])).content.decode()
    assert "逾期公开（3天）" in page and "逾期未公开" in page and "开发区经济发展局" in page
    detail = c.get(reverse("supervision:filing", args=[filing.pk])).content.decode()
    assert "审计完成" in detail and filing.sha256 in detail and "错误" in detail


def test_this_years_report_cannot_be_filed_before_the_year_ends(tree):
    with pytest.raises(services.SupervisionError):
        services.filing_upload(
            user=tree["jiandu"],
            agency=tree["town"],
            year=2026,
            filename="a.txt",
            data=REPORT,
            published_on=None,
            today=TODAY,
        )


def test_a_report_published_in_gongkai_is_filed_and_audited_when_it_is_published(
    env, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = published(env)
    filing = ReportFiling.objects.get(annual_report=report)
    assert filing.source == "gongkai" and filing.published_on == PUBLISHED_ON and filing.filename.endswith(".docx")
    audit = AuditedReport.objects.get(pk=filing.audit_id)
    assert audit.status == "done" and audit.year == report.year
    rows = selectors.board(env["agency"].supervised_by, report.year, today=PUBLISHED_ON).rows
    row = next(r for r in rows if r.agency == env["agency"])
    assert row.source_label == "在本系统公开" and row.timeliness.value == "on_time"
    # nothing is filed while the report is only approved: the hook is the publication
    assert ReportFiling.objects.count() == 1


# -- fetching by address ---------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        if self.path == "/report.txt":
            self._send(200, "text/plain; charset=utf-8", REPORT)
        elif self.path == "/moved":
            self._redirect("/report.txt")
        elif self.path.startswith("/loop"):
            self._redirect(f"/loop{len(self.path)}")
        elif self.path == "/big":
            self._send(200, "text/plain", b"x" * 5000)
        elif self.path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"x" * 5000)
            self.close_connection = True
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.3)
        elif self.path == "/program.exe":
            self._send(200, "application/x-msdownload", b"MZ")
        elif self.path == "/download.pdf":
            self._send(200, "application/octet-stream", b"%PDF-1.4\n%%EOF\n")
        elif self.path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/secret")
            self.end_headers()
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, to):
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


POLICY = fetching.FetchPolicy(max_bytes=1000, timeout=1.5, max_redirects=3, allowed_hosts=frozenset({"127.0.0.1"}))


def test_a_fetch_follows_a_redirect_and_keeps_the_hash(server):
    got = fetching.fetch(f"{server}/moved", POLICY)
    assert got.data == REPORT and got.final_url.endswith("/report.txt") and got.redirects == 1
    import hashlib

    assert got.sha256 == hashlib.sha256(REPORT).hexdigest() and got.filename == "report.txt"


@pytest.mark.parametrize(
    "path, message",
    [
        ("/loop", "跳转超过3次"),
        ("/big", "文件超过"),
        ("/big-undeclared", "文件超过"),
        ("/slow", "获取超时"),
        ("/program.exe", "内容类型不是可审计的年度报告"),
        ("/missing", "服务器返回404"),
        ("/to-private", "拒绝访问内网或本机地址"),
    ],
)
def test_a_fetch_outside_the_limits_is_refused_in_chinese(server, path, message):
    with pytest.raises(fetching.FetchError) as err:
        fetching.fetch(f"{server}{path}", POLICY)
    assert message in err.value.message


def test_a_download_served_as_octet_stream_is_accepted_when_its_name_says_pdf(server):
    got = fetching.fetch(f"{server}/download.pdf", POLICY)
    assert got.filename == "download.pdf" and got.content_type == "application/octet-stream"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.pdf", "http://user:pw@example.org/"])
def test_only_plain_http_addresses_are_fetched(url):
    with pytest.raises(fetching.FetchError):
        fetching.check_url(url)


def test_without_the_allowlist_loopback_and_private_addresses_are_refused(server):
    strict = fetching.FetchPolicy(max_bytes=1000, timeout=2, max_redirects=3)
    for url in (f"{server}/report.txt", "http://10.1.2.3/", "http://[::1]/", "http://169.254.169.254/latest"):
        with pytest.raises(fetching.FetchError) as err:
            fetching.fetch(url, strict)
        assert "拒绝访问内网或本机地址" in err.value.message
    # a name that resolves to the loopback is refused on the address actually connected to
    with pytest.raises(fetching.FetchError) as err:
        fetching.fetch(server.replace("127.0.0.1", "localhost") + "/report.txt", strict)
    assert "拒绝访问内网或本机地址" in err.value.message


def test_the_production_settings_allow_no_private_host():
    from gongkai.settings import base

    assert base.GONGKAI_FETCH_ALLOWED_HOSTS == [] or base.os.environ.get("GONGKAI_FETCH_ALLOWED_HOSTS")


def test_a_fetch_requested_on_the_page_runs_in_the_background_stores_the_copy_and_audits_it(
    tree, server, django_capture_on_commit_callbacks
):
    c = _client(tree["jiandu"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        r = c.post(
            reverse("supervision:fetch", args=[2025, tree["edu"].pk]),
            {"fetch-url": f"{server}/moved", "fetch-published_on": "2026-01-30"},
        )
    assert r.status_code == 302 and callbacks
    filing = ReportFiling.objects.get(agency=tree["edu"])
    assert filing.status == "stored" and filing.final_url.endswith("/report.txt")
    assert bytes(filing.content) == REPORT and filing.fetched_at is not None and len(filing.sha256) == 64
    assert filing.audit.status == "done"
    progress = c.get(reverse("supervision:filing_progress", args=[filing.pk])).json()
    assert progress["complete"] and progress["percent"] == 100
    download = c.get(reverse("supervision:filing_download", args=[filing.pk]))
    assert download["Content-Disposition"].startswith("attachment") and download.content == REPORT
    row = next(r for r in selectors.board(tree["district"], 2025, today=TODAY).rows if r.agency == tree["edu"])
    assert row.timeliness.value == "on_time" and row.source_label == "从公开网址获取"


def test_a_failed_fetch_is_recorded_and_shown(tree, server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_fetch_request(
            user=tree["jiandu"], agency=tree["edu"], year=2025, url=f"{server}/missing", published_on=None, today=TODAY
        )
    filing.refresh_from_db()
    assert filing.status == "failed" and "404" in filing.failure and filing.audit_id is None
    page = _client(tree["jiandu"]).get(reverse("supervision:filing", args=[filing.pk])).content.decode()
    assert "获取失败" in page and "404" in page


@override_settings(GONGKAI_FETCH_TIMEOUT_SECONDS=5, GONGKAI_AUDIT_STALE_MARGIN_SECONDS=10)
def test_a_fetch_whose_worker_died_is_queued_again_then_failed_so_nothing_stays_fetching(
    tree, server, django_capture_on_commit_callbacks
):
    filing = ReportFiling.objects.create(
        agency=tree["edu"],
        year=2025,
        source="fetch",
        status="fetching",
        url=f"{server}/report.txt",
        started_at=timezone.now() - timedelta(seconds=60),
        attempts=1,
        created_by=tree["jiandu"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.filing_reap_stale()
    assert counts["requeued"] == 1
    filing.refresh_from_db()
    assert filing.status == "stored" and filing.attempts == 2  # fetched by the requeued task
    # one that died on its last attempt is failed with a reason
    dead = ReportFiling.objects.create(
        agency=tree["edu"],
        year=2025,
        source="fetch",
        status="fetching",
        url=f"{server}/report.txt",
        started_at=timezone.now() - timedelta(seconds=60),
        attempts=2,
        created_by=tree["jiandu"],
    )
    assert services.filing_reap_stale()["failed"] == 1
    dead.refresh_from_db()
    assert dead.status == "failed" and "意外终止" in dead.failure
    # a fetch still within its time is left alone
    fresh = ReportFiling.objects.create(
        agency=tree["edu"],
        year=2025,
        source="fetch",
        status="fetching",
        url=f"{server}/report.txt",
        started_at=timezone.now(),
        attempts=1,
        created_by=tree["jiandu"],
    )
    assert services.filing_reap_stale() == {"requeued": 0, "failed": 0, "tasks": 0}
    fresh.refresh_from_db()
    assert fresh.status == "fetching"


# -- 3. the work of each agency, without personal data ---------------------------------------------------

UNIQUE_NAME = "欧阳隐私测试申请人甲"
UNIQUE_ID = "11010119850307123X"


def test_the_work_page_gives_counts_and_rates_and_never_an_applicants_name_or_number(
    tree, django_capture_on_commit_callbacks
):
    edu = tree["edu"]
    common = dict(
        agency=edu,
        submission_year=2026,
        query_code_hash="x",
        channel="in_person",
        applicant_type="natural_person",
        applicant_name=UNIQUE_NAME,
        id_document_type="resident_id",
        id_document_number=UNIQUE_ID,
        phone="13800000000",
        email="yinsi@example.org",
        address="隐私路9号",
        description="请公开隐私测试所需信息",
        delivery_form="paper",
        delivery_channel="post",
    )
    Application.objects.bulk_create(
        [
            # open and overdue
            Application(
                **common,
                tracking_number="P-1",
                sequence=1,
                received_on=date(2026, 1, 5),
                reply_due=date(2026, 2, 3),
                reply_status="running",
                state="in_progress",
            ),
            # concluded on time and late
            Application(
                **common,
                tracking_number="P-2",
                sequence=2,
                received_on=date(2026, 1, 6),
                reply_due=date(2026, 2, 4),
                concluded_on=date(2026, 2, 1),
                state="replied",
                outcome_code="disclosed",
            ),
            Application(
                **common,
                tracking_number="P-3",
                sequence=3,
                received_on=date(2026, 1, 6),
                reply_due=date(2026, 2, 4),
                concluded_on=date(2026, 2, 9),
                state="replied",
                outcome_code="disclosed",
            ),
        ]
    )
    # and a report of the agency on the board, so every supervision page has something to show
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_upload(
            user=tree["jiandu"],
            agency=edu,
            year=2025,
            filename="年报.txt",
            data=REPORT,
            published_on=date(2026, 1, 20),
            today=TODAY,
        )
    rows = {r.entry.agency.code: r for r in selectors.work_figures(tree["district"], 2026, today=TODAY)}
    assert (rows["demo-edu"].open, rows["demo-edu"].overdue) == (1, 1)
    assert (rows["demo-edu"].concluded, rows["demo-edu"].on_time, rows["demo-edu"].on_time_rate) == (2, 1, 50.0)

    c = _client(tree["jiandu"])
    urls = [
        reverse("supervision:agencies"),
        reverse("supervision:board", args=[2025]),
        reverse("supervision:agency_year", args=[2025, edu.pk]),
        reverse("supervision:filing", args=[filing.pk]),
        reverse("supervision:filing_progress", args=[filing.pk]),
        reverse("supervision:work"),
        reverse("supervision:work") + "?year=2026",
        reverse("supervision:column_edit", args=[edu.pk]),
        reverse("accounts:dashboard"),
    ]
    for url in urls:
        r = c.get(url)
        assert r.status_code == 200, url
        body = r.content.decode()
        for secret in (UNIQUE_NAME, UNIQUE_ID, "13800000000", "yinsi@example.org", "隐私路9号", "隐私测试所需"):
            assert secret not in body, (url, secret)
    assert "50.0%" in c.get(reverse("supervision:work") + "?year=2026").content.decode()


# -- 4. findings that go back ------------------------------------------------------------------------------


def test_a_finding_is_confirmed_a_notice_sent_answered_with_a_revised_report_and_closed_every_step_dated(
    tree, django_capture_on_commit_callbacks
):
    from gongkai.supervision.models import FindingReview, Rectification

    edu = tree["edu"]
    zhuren = get_user_model().objects.get(username="zhuren")
    sup = _client(tree["jiandu"])
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_upload(
            user=tree["jiandu"],
            agency=edu,
            year=2025,
            filename="年报.txt",
            data=REPORT,
            published_on=date(2026, 1, 20),
            today=TODAY,
        )
    filing.refresh_from_db()
    assert filing.audit.errors > 0
    # a verdict needs a reason
    sup.post(reverse("supervision:finding_review", args=[filing.pk, 1]), {"verdict": "confirmed", "reason": ""})
    assert not FindingReview.objects.exists()
    # a notice needs a confirmed finding
    with pytest.raises(services.SupervisionError):
        services.rectification_send(
            user=tree["jiandu"], filing=filing, notice="改", due_on=date(2026, 3, 20), channel="system", today=TODAY
        )
    sup.post(
        reverse("supervision:finding_review", args=[filing.pk, 1]),
        {"verdict": "dismissed", "reason": "先记为不采纳"},
    )
    sup.post(
        reverse("supervision:finding_review", args=[filing.pk, 1]),
        {"verdict": "confirmed", "reason": "表格缺失属实"},
    )
    assert [r.verdict for r in FindingReview.objects.order_by("id")] == ["dismissed", "confirmed"]  # both kept
    page = sup.get(reverse("supervision:filing", args=[filing.pk])).content.decode()
    assert "表格缺失属实" in page and "发出整改通知" in page
    board_row = next(r for r in selectors.board(tree["district"], 2025, today=TODAY).rows if r.agency == edu)
    assert board_row.follow_up == "已审阅，待发整改通知"

    r = sup.post(
        reverse("supervision:rectify", args=[filing.pk]),
        {"notice": "请补充表格二、表格三。", "due_on": "2026-03-20", "channel": "system"},
    )
    assert r.status_code == 302
    rect = Rectification.objects.get()
    assert rect.state == "sent"
    board_row = next(r for r in selectors.board(tree["district"], 2025, today=TODAY).rows if r.agency == edu)
    assert board_row.follow_up == "已发整改通知，期限2026-03-20"
    letter = sup.get(reverse("supervision:rectification_letter", args=[rect.pk]))
    assert letter.status_code == 200 and letter.content[:2] == b"PK"

    # the office head finds it in the queue and answers with a revised report, audited again
    head = _client(zhuren)
    assert "待机关答复" in head.get(reverse("supervision:notices")).content.decode()
    assert (
        tree["clerk"]
        and _client(tree["clerk"]).get(reverse("supervision:rectification", args=[rect.pk])).status_code == 404
    )
    revised = REPORT + "二、主动公开政府信息情况（已补充）\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        r = head.post(
            reverse("supervision:rectification_answer", args=[rect.pk]),
            {"answer": "已补充表格并重新公开。", "file": SimpleUploadedFile("修改后.txt", revised)},
        )
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.state == "answered" and rect.revised.source == "revised" and rect.revised.audit.status == "done"
    # the revised report is on the board, and the first publication still decides timeliness
    board_row = next(r for r in selectors.board(tree["district"], 2025, today=TODAY).rows if r.agency == edu)
    assert board_row.filing == rect.revised and board_row.timeliness.value == "on_time"
    assert board_row.follow_up == "机关已答复，待核查"
    # only the supervisor closes, with a comment
    assert head.post(reverse("supervision:rectification_close", args=[rect.pk]), {"comment": "x"}).status_code == 403
    r = sup.post(reverse("supervision:rectification_close", args=[rect.pk]), {"comment": "已核查，整改到位。"})
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.state == "closed"
    steps = list(rect.steps.values_list("action", "actor_label"))
    assert steps == [("发出整改通知", "陈晨"), ("机关答复", "李华"), ("办结", "陈晨")]
    assert all(s.recorded_at for s in rect.steps.all())


def test_a_notice_for_an_agency_outside_gongkai_is_a_word_letter_and_not_in_a_queue(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_upload(
            user=tree["jiandu"],
            agency=tree["town"],
            year=2025,
            filename="年报.txt",
            data=REPORT,
            published_on=None,
            today=TODAY,
        )
    filing.refresh_from_db()
    services.finding_review(user=tree["jiandu"], filing=filing, number=1, verdict="confirmed", reason="属实")
    rect = services.rectification_send(
        user=tree["jiandu"], filing=filing, notice="请整改。", due_on=date(2026, 3, 20), channel="letter", today=TODAY
    )
    import io

    from docx import Document

    body = _client(tree["jiandu"]).get(reverse("supervision:rectification_letter", args=[rect.pk])).content
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "关于示范镇人民政府2025年政府信息公开工作年度报告的整改通知" in text
    assert "请整改。" in text and "2026年3月20日" in text and "示范区人民政府办公室（政务公开办）" in text
    # not in any office head's queue; the supervisor records the agency's written answer
    assert not selectors.notices_for(get_user_model().objects.get(username="zhuren")).exists()
    page = _client(tree["jiandu"]).get(reverse("supervision:rectification", args=[rect.pk])).content.decode()
    assert "登记机关的书面答复" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.rectification_answer(
            user=tree["jiandu"],
            rectification=rect,
            answer="来函说明已整改。",
            filename="改.txt",
            data=REPORT,
            today=TODAY,
        )
    rect.refresh_from_db()
    assert rect.state == "answered" and rect.revised.audit.status == "done"


def test_the_demo_shows_every_state_of_the_board(django_capture_on_commit_callbacks):
    from gongkai.demo.supervision import seed_supervision

    seed_demo()
    with django_capture_on_commit_callbacks(execute=True):  # the publication in gongkai files it on commit
        seed_supervision(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        seed_supervision(today=TODAY)  # again: nothing is duplicated
    district = Agency.objects.get(code="demo-gov-office")
    assert district.supervised_by.code == "demo-city-office"
    assert ReportFiling.objects.filter(year=2025).count() == 4
    # some reports made in gongkai, some imported from files the demo generates
    sources = dict(ReportFiling.objects.filter(year=2025).values_list("agency__code", "source"))
    assert sources == {"demo-edu": "upload", "demo-finance": "gongkai", "demo-housing": "upload", "demo-town": "upload"}
    made = ReportFiling.objects.get(agency__code="demo-finance", year=2025)
    assert made.annual_report.state == "published" and made.published_on == date(2026, 1, 26)
    assert made.audit.status == "done"
    assert ReportFiling.objects.filter(year__in=(2023, 2024)).count() == 8
    traditional = bytes(ReportFiling.objects.get(agency__code="demo-finance", year=2023).content).decode()
    assert "政府信息公開" in traditional
    board = selectors.board(district, 2025, today=TODAY)
    states = {r.agency.code: r.timeliness.value for r in board.rows}
    assert states == {
        "demo-edu": "on_time",
        "demo-finance": "on_time",
        "demo-health": "missing",
        "demo-housing": "late",
        "demo-town": "on_time",
    }
    assert DisclosureColumn.objects.count() == 6
    # a follow-up in progress: the town's errors confirmed, a Word letter sent
    town = next(r for r in board.rows if r.agency.code == "demo-town")
    assert town.audit.errors > 0 and town.follow_up.startswith("已发整改通知")
    assert town.rectification.channel == "letter"
    finance = next(r for r in board.rows if r.agency.code == "demo-finance")
    assert finance.source_label == "在本系统公开" and finance.report_state == "已公开"
    housing = next(r for r in board.rows if r.agency.code == "demo-housing")
    assert housing.days_late == 10  # published 10 February
    # the imported reports wait for the worker of `make run`: 待审计 / 审计中 until it has run
    edu = next(r for r in board.rows if r.agency.code == "demo-edu")
    assert edu.follow_up in ("待审计", "审计中", "待审阅发现的问题", "无需整改")
    health = next(r for r in board.rows if r.agency.code == "demo-health")
    assert health.follow_up == "催报"
    # the board page shows every state and the follow-up in progress
    page = (
        _client(get_user_model().objects.get(username="jiandu"))
        .get(reverse("supervision:board", args=[2025]))
        .content.decode()
    )
    for label in ("按时公开", "逾期公开", "逾期未公开", "在本系统公开", "上传文件", "已发整改通知"):
        assert label in page, label


def test_the_demo_agencies_without_registers_report_figures_that_vary_and_add_up(django_capture_on_commit_callbacks):
    """The bureaus and the town keep no registers in gongkai: their uploaded reports carry figures of
    their own, different from year to year (or the supervisor's charts are flat lines of zeros), and
    every one audits without an error but the town's total planted wrong, and without any 规章 (none
    of them may make one)."""
    from gongkai.demo.supervision import seed_supervision
    from gongkai.domain.audit import audit_bytes
    from gongkai.domain.supervision import figures_of, outliers

    seed_demo()
    with django_capture_on_commit_callbacks(execute=True):
        seed_supervision(today=TODAY)
    received: dict[str, list[int]] = {}
    for filing in ReportFiling.objects.filter(source="upload").select_related("agency").order_by("year"):
        report = audit_bytes(bytes(filing.content), filing.filename)
        errors = [f.rule for f in report.findings if f.severity == "error"]
        planted = filing.agency.code == "demo-town" and filing.year == 2025
        assert bool(errors) == planted, (filing.agency.code, filing.year, errors)
        assert "implausible_regulations" not in {f.rule for f in report.findings}
        received.setdefault(filing.agency.code, []).append(report.tables["table_3"]["new_received"]["total"])
        if not planted:  # nothing a real office would not report: the board flags no outlier
            assert outliers({filing.year: figures_of(report.tables)}, filing.year) == [], (
                filing.agency.code,
                filing.year,
            )
    for code in ("demo-housing", "demo-town"):
        assert len(received[code]) == 3 and len(set(received[code])) > 1, received


def test_the_pages_of_a_follow_up_hold_to_the_content_security_policy(tree, django_capture_on_commit_callbacks):
    from tests.integration.crawl import Visit
    from tests.integration.test_content_security_policy import check_pages

    with django_capture_on_commit_callbacks(execute=True):
        filing = services.filing_upload(
            user=tree["jiandu"],
            agency=tree["edu"],
            year=2025,
            filename="年报.txt",
            data=REPORT,
            published_on=None,
            today=TODAY,
        )
    filing.refresh_from_db()
    services.finding_review(user=tree["jiandu"], filing=filing, number=1, verdict="confirmed", reason="属实")
    rect = services.rectification_send(
        user=tree["jiandu"], filing=filing, notice="请整改。", due_on=date(2026, 3, 20), channel="system", today=TODAY
    )
    visits = []
    for username, url in (
        ("jiandu", reverse("supervision:filing", args=[filing.pk])),
        ("jiandu", reverse("supervision:rectification", args=[rect.pk])),
        ("zhuren", reverse("supervision:rectification", args=[rect.pk])),
        ("zhuren", reverse("supervision:notices")),
    ):
        r = _client(get_user_model().objects.get(username=username)).get(url)
        assert r.status_code == 200
        visits.append(
            Visit(
                username,
                url,
                "",
                r.status_code,
                r["Content-Type"],
                r.get("Content-Security-Policy"),
                r.content.decode(),
            )
        )
    assert check_pages(visits) == []


def test_the_circular_of_the_year_says_what_the_board_says_in_word_and_pdf(tree, django_capture_on_commit_callbacks):
    import io

    from docx import Document
    from pdfminer.high_level import extract_text

    with django_capture_on_commit_callbacks(execute=True):
        services.filing_upload(
            user=tree["jiandu"],
            agency=tree["town"],
            year=2025,
            filename="年报.txt",
            data=REPORT,
            published_on=date(2026, 2, 3),
            today=TODAY,
        )
    c = _client(tree["jiandu"])
    docx = c.get(reverse("supervision:circular_docx", args=[2025]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "关于2025年度政府信息公开工作年度报告审查情况的通报" in text
    assert "逾期公开1个单位：示范镇人民政府（逾期3天）" in text
    assert "仍未公开3个单位" in text and "示范区卫生健康局" in text and "开发区经济发展局" in text
    assert "示范镇人民政府（错误" in text
    pdf = c.get(reverse("supervision:circular_pdf", args=[2025]))
    assert pdf.content[:4] == b"%PDF"
    pdf_text = extract_text(io.BytesIO(pdf.content))
    assert "审查情况的通报" in pdf_text.replace("\n", "") and "示范镇人民政府" in pdf_text


# -- comparison ------------------------------------------------------------------------------------------


def test_the_figures_and_what_they_prove_are_read_from_the_tables():
    from gongkai.domain.supervision import Figures, figures_of, outliers

    tables = {
        "table_3": {
            "new_received": {"total": 12},
            "results_total": {"total": 10},
            "granted": {"total": 0},
            "partially_granted": {"total": 0},
        },
        "table_4": {"review_maintained": 1, "review_corrected": 1, "review_other": 0, "review_pending": 3},
    }
    f = figures_of(tables)
    assert (f.received, f.results, f.granted, f.granted_rate) == (12, 10, 0, 0.0)
    assert (f.reviews, f.reviews_corrected, f.lawsuits, f.corrected_rate) == (2, 1, None, 50.0)
    assert outliers({2025: f}, 2025) == ["办结10件申请，无一予以公开或部分公开"]
    quiet = Figures(0, 0, 0, 0, 0, 0, 0)
    history = {y: quiet for y in range(2021, 2026)}
    assert "连续5年未收到政府信息公开申请" in outliers(history, 2025)
    assert outliers({y: quiet for y in range(2022, 2026)}, 2025) == []  # four years prove nothing


def test_the_comparison_page_sorts_the_agencies_and_exports_them(tree, django_capture_on_commit_callbacks):
    import io

    import openpyxl

    from gongkai.demo.supervision import _report_bytes, _varied_tables

    with django_capture_on_commit_callbacks(execute=True):
        for agency in (tree["edu"], tree["town"]):
            services.filing_upload(
                user=tree["jiandu"],
                agency=agency,
                year=2025,
                filename="年报.md",
                data=_report_bytes(agency, 2025, wrong_total=agency == tree["town"]),
                published_on=date(2026, 1, 20),
                today=TODAY,
            )
    # neither keeps registers here: the demo gives them figures of their own, the town's total planted 7 too high
    written = {
        agency: _varied_tables(agency, 2025)["table_3"]["new_received"]["total"] + (7 if agency == tree["town"] else 0)
        for agency in (tree["edu"], tree["town"])
    }
    more, fewer = sorted(written, key=written.get, reverse=True)
    assert written[more] > written[fewer]
    rows = selectors.comparison(tree["district"], 2025, sort="-received")
    assert [(r.agency, r.figures.received) for r in rows[:2]] == [(more, written[more]), (fewer, written[fewer])]
    assert all(r.figures is None for r in rows[2:])  # no audited report: last, whatever the order
    c = _client(tree["jiandu"])
    page = c.get(reverse("supervision:compare", args=[2025]) + "?sort=received").content.decode()
    assert page.index(fewer.name) < page.index(more.name)
    book = openpyxl.load_workbook(io.BytesIO(c.get(reverse("supervision:compare_export", args=[2025])).content))
    sheet = list(book.active.iter_rows(values_only=True))
    assert sheet[0][0] == "机关" and {r[0] for r in sheet[1:]} >= {"示范区教育局", "示范镇人民政府"}
    history = c.get(reverse("supervision:compare_agency", args=[tree["town"].pk])).content.decode()
    assert 'data-year="2025"' in history and 'data-year="2016"' in history
    book = openpyxl.load_workbook(
        io.BytesIO(c.get(reverse("supervision:compare_agency_export", args=[tree["town"].pk])).content)
    )
    assert len(book.sheetnames) == 2


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_fetch_and_its_deferred_reaper_are_queued_and_the_worker_fetches(server):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from gongkai.supervision.tasks import reap_stale_fetches_task

    seed_demo()
    supervisor = get_user_model().objects.get(username="jiandu")
    edu = Agency.objects.get(code="demo-edu")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        filing = services.filing_fetch_request(
            user=supervisor, agency=edu, year=2025, url=f"{server}/report.txt", published_on=None, today=TODAY
        )
        paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
        assert paths == ["gongkai.supervision.tasks.fetch_report_task", reap_stale_fetches_task.module_path]
        reaper = DBTaskResult.objects.get(task_path=reap_stale_fetches_task.module_path)
        assert reaper.run_after > timezone.now() + timedelta(seconds=30)  # after the time a fetch can take
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    filing.refresh_from_db()
    assert filing.status == "stored" and len(filing.sha256) == 64


def _stored(agency, year, user, *, tables: dict, text: str, figures=None) -> ReportFiling:
    """A filing whose audit is stored as done, as the audit stores it (tables in the summary, the
    normalised text beside): the comparison reads both."""
    from gongkai.audits.models import AuditBatch

    batch = AuditBatch.objects.create(title="t", created_by=user)
    audit = AuditedReport.objects.create(
        batch=batch,
        position=1,
        filename="r.txt",
        content=b"",
        size=0,
        status="done",
        summary={"count": 0, "tables": tables, "groups": []},
        text=text,
    )
    return ReportFiling.objects.create(
        agency=agency,
        year=year,
        source="upload",
        status="stored",
        published_on=date(year + 1, 1, 20),
        audit=audit,
        figures=figures,
        created_by=user,
    )


def _zero_tables() -> dict:
    rows = ("new_received", "results_total", "granted", "partially_granted", "withheld_state_secret")
    return {"table_3": {row: {"total": 0} for row in rows}}


def test_the_comparison_proves_five_quiet_years_against_what_the_prose_of_the_stored_audit_says(tree):
    quiet = "一、总体情况\n本单位2023年未收到政府信息公开申请。\n"
    said = "一、总体情况\n全年共收到政府信息公开申请12件，均已按时办结。\n"
    for year in range(2021, 2026):
        _stored(tree["edu"], year, tree["jiandu"], tables=_zero_tables(), text=said if year == 2023 else quiet)
        _stored(tree["town"], year, tree["jiandu"], tables=_zero_tables(), text=quiet)
    for year in range(2022, 2026):  # four years only: nothing proved, whatever the prose says
        _stored(tree["health"], year, tree["jiandu"], tables=_zero_tables(), text=said)
    # figures kept by an older version of the reading (no prose in them) are read again
    old = ReportFiling.objects.filter(agency=tree["edu"], year=2023).get()
    old.figures = {"received": 0, "results": 0, "granted": 0}
    old.save()
    rows = {r.agency.code: r for r in selectors.comparison(tree["district"], 2025)}
    assert rows["demo-edu"].outliers == [
        "2021—2025年连续5年表格中新收申请均为0件，而正文称收到申请：2023年“全年共收到政府信息公开申请12件”"
    ]
    assert rows["town"].outliers == ["连续5年未收到政府信息公开申请"]
    assert rows["demo-health"].outliers == []
    assert rows["dept"].figures is None and rows["dept"].outliers == []  # no report: nothing proved
    kept = ReportFiling.objects.get(agency=tree["edu"], year=2023).figures
    assert kept["v"] == 2 and kept["prose_received"] == 12
    page = _client(tree["jiandu"]).get(reverse("supervision:compare", args=[2025])).content.decode()
    assert "而正文称收到申请" in page


def test_every_application_refused_is_shown_on_the_comparison_with_its_evidence(tree):
    tables = {
        "table_3": {
            "new_received": {"total": 5},
            "results_total": {"total": 5},
            "granted": {"total": 0},
            "partially_granted": {"total": 0},
            "withheld_state_secret": {"total": 5},
        }
    }
    _stored(tree["edu"], 2025, tree["jiandu"], tables=tables, text="")
    tables = {"table_3": {**tables["table_3"], "granted": {"total": 1}, "withheld_state_secret": {"total": 4}}}
    _stored(tree["town"], 2025, tree["jiandu"], tables=tables, text="")
    rows = {r.agency.code: r for r in selectors.comparison(tree["district"], 2025)}
    assert rows["demo-edu"].outliers == ["办结5件申请，全部不予公开"]
    assert rows["town"].outliers == []


def test_one_agency_across_years_is_charted_with_gaps_for_missing_years_and_holds_to_the_csp(tree):
    from tests.integration.crawl import Visit
    from tests.integration.test_content_security_policy import check_pages

    tables = {
        "table_3": {
            "new_received": {"total": 7},
            "results_total": {"total": 6},
            "granted": {"total": 4},
            "partially_granted": {"total": 1},
            "unable_not_held": {"total": 1},
        },
        "table_4": {"review_maintained": 1, "review_corrected": 1, "review_other": 0},
        "table_2": {"art20_1": {"regulations": {"made": 0}, "normative_documents": {"made": 3}}},
    }
    _stored(tree["edu"], 2023, tree["jiandu"], tables=tables, text="本年度未收取信息处理费。")
    _stored(tree["edu"], 2025, tree["jiandu"], tables=tables, text="收取信息处理费200元。")
    url = reverse("supervision:compare_agency", args=[tree["edu"].pk])
    r = _client(tree["jiandu"]).get(url)
    page = r.content.decode()
    assert page.count("<svg") == 6 and page.count('role="img"') == 6
    for title in ("新收政府信息公开申请（件）", "申请办理结果构成（件）", "行政复议、行政诉讼被纠正率（%）"):
        assert f">{title}</title>" in page
    # 2024 has no report: a gap in every chart, never a zero
    assert "2024年：无数据" in page and "2024年新收申请：0" not in page
    assert "2025年：新收申请7件" in page and "2023年：信息处理费0元" in page and "2025年：信息处理费200元" in page
    # the figures stay in a table
    assert 'data-testid="history-more"' in page and "<td>200</td>" in page
    visit = Visit("jiandu", url, "", r.status_code, r["Content-Type"], r.get("Content-Security-Policy"), page)
    assert check_pages([visit]) == []


# -- 6. navigation shows each role only what it can open ---------------------------------------------------


def _nav_links(html: str) -> set[str]:
    import re

    links = set()
    for nav in re.findall(r"<nav\b.*?</nav>", html, flags=re.S):
        links.update(h for h in re.findall(r'href="([^"#]+)"', nav) if h.startswith("/"))
    return links


@pytest.mark.parametrize(
    "username, start",
    [
        ("jiandu", "accounts:dashboard"),  # the supervisor
        ("jingban", "accounts:dashboard"),  # an agency's clerk
        ("chengban1", "accounts:dashboard"),  # a unit's staff
        ("zhuren", "accounts:dashboard"),  # the office head (the notices' queue)
        ("lingdao", "accounts:dashboard"),  # the leader
        ("fazhi", "accounts:dashboard"),  # the legal reviewer (法制审核)
        ("baomi", "accounts:dashboard"),  # the confidentiality reviewer
        (None, "disclosure:public_home"),  # an applicant: the public pages, not logged in
    ],
)
def test_every_menu_link_a_role_is_shown_opens_for_it(tree, username, start):
    from html import unescape

    c = Client() if username is None else _client(get_user_model().objects.get(username=username))
    pages = [reverse(start)]
    if username == "jiandu":
        pages.append(reverse("supervision:board_current"))  # the desk's own menu too
    links: set[str] = set()
    for page in pages:
        r = c.get(page, follow=True)
        assert r.status_code == 200
        links |= _nav_links(r.content.decode())
    assert links
    refused = {}
    for link in sorted(links):
        r = c.get(unescape(link), follow=True)
        if r.status_code != 200 or r.redirect_chain and "/accounts/login" in r.redirect_chain[-1][0]:
            refused[link] = r.status_code
    assert refused == {}
    if username == "jiandu":
        assert reverse("supervision:board_current") in links and reverse("applications:staff_list") not in links
    elif username is not None:
        assert reverse("supervision:board_current") not in links
