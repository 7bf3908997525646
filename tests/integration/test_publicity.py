"""The new-media and public-communication registers: the import of monthly figures (preview, bad
rows, months already recorded, a changed column order, one transaction, nothing lost), a month
entered and corrected, the press conferences and the register's documents they explain, who may
read and write what, the year's figures for the annual report, the pages, the public column's
新闻发布 and the dashboard panel."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gongkai import localtime
from gongkai.accounts.models import Agency, Membership, Role
from gongkai.demo.accounts import seed_demo
from gongkai.domain.errors import TransitionNotAllowed
from gongkai.domain.fields import FieldError
from gongkai.domain.publicity.importing import SheetError
from gongkai.publicity import selectors, services
from gongkai.publicity.models import Briefing, ImportBatch, MediaAccount, MonthFigures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 15)
HEAD = ["账号名称", "月份", "发布条数", "关注/粉丝数", "阅读量"]


def xlsx(rows, head=HEAD) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def people():
    seed_demo()
    User = get_user_model()
    users = {u: User.objects.get(username=u) for u in ("jingban", "zhuren", "lingdao", "baomi", "jiandu", "chengban1")}
    other = User.objects.create_user("weijian")
    Membership.objects.create(user=other, agency=Agency.objects.get(code="demo-health"), role=Role.CLERK)
    users["weijian"] = other
    return users


@pytest.fixture
def edu(people):
    return Agency.objects.get(code="demo-edu")


@pytest.fixture
def accounts(edu, people):
    clerk = people["jingban"]
    return {
        "wechat": services.account_save(agency=edu, actor=clerk, platform="wechat", name="示范区教育发布"),
        "weibo": services.account_save(agency=edu, actor=clerk, platform="weibo", name="@示范区教育"),
        "website": services.account_save(agency=edu, actor=clerk, platform="website", name="示范区教育局网站"),
    }


def _import(edu, user, rows, head=HEAD, name="figures.xlsx", content=None):
    batch = services.batch_upload(agency=edu, actor=user, filename=name, content=content or xlsx(rows, head))
    return batch, services.batch_preview(batch, today=TODAY)


ROWS = [
    ["示范区教育发布", "2026-05", 30, 120000, 80000],
    ["@示范区教育", "2026年5月", 20, "4.1万", 30000],
    ["示范区教育局网站", "2026/5", 25, "", 9000],
    ["示范区教育发布", "五月", 30, 120000, 80000],  # bad month
    ["没登记的号", "2026-05", 3, "", ""],  # unknown account
    ["@示范区教育", "2026-05", 21, "", ""],  # the same month twice in the file
]


def test_preview_then_confirm_imports_the_valid_rows_and_lists_the_rest(edu, people, accounts):
    batch, preview = _import(edu, people["jingban"], ROWS)
    assert [r.line for r in preview.valid] == [2, 3, 4]
    assert [r.line for r in preview.rejected] == [5, 6, 7]
    assert preview.rejected[2].errors == ["账号“@示范区教育”2026年5月的数据与第3行重复"]
    assert MonthFigures.objects.count() == 0  # the preview writes nothing
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    batch.refresh_from_db()
    assert (batch.imported, batch.rejected, batch.duplicates) == (3, 3, [])
    weibo = MonthFigures.objects.get(account=accounts["weibo"])
    assert (weibo.month, weibo.posts, weibo.followers, weibo.reads, weibo.batch) == (
        date(2026, 5, 1),
        20,
        41000,
        30000,
        batch,
    )
    assert MonthFigures.objects.get(account=accounts["website"]).followers is None
    with pytest.raises(TransitionNotAllowed, match="已经导入"):
        services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)


def test_recorded_months_in_a_sheet_with_another_column_order_are_reported_and_never_overwritten(edu, people, accounts):
    services.figures_record(
        account=accounts["wechat"],
        actor=people["jingban"],
        month=date(2026, 5, 1),
        posts=30,
        followers=120000,
        reads=80000,
        today=TODAY,
    )
    services.figures_record(
        account=accounts["weibo"],
        actor=people["jingban"],
        month=date(2026, 5, 1),
        posts=19,
        followers=None,
        reads=None,
        today=TODAY,
    )
    head = ["阅读量", "平台", "月份", "账号", "粉丝数", "发布数"]  # other order, other header names
    rows = [
        [80000, "政务微信公众号", "2026-05", "示范区教育发布", 120000, 30],  # recorded, the same figures
        [30000, "政务微博", "2026-05", "@示范区教育", 41000, 20],  # recorded, different figures
        [31000, "政务微博", "2026-06", "@示范区教育", 41500, 22],  # new
    ]
    text = "\n".join(",".join(str(c) for c in r) for r in [head, *rows]).encode("gb18030")
    batch, preview = _import(edu, people["jingban"], None, name="月度数据.csv", content=text)
    assert [r.values["duplicate"] for r in preview.rows] == [True, True, False]
    assert [r.values.get("differs") for r in preview.rows[:2]] == [False, True]
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    batch.refresh_from_db()
    assert batch.duplicates == ["示范区教育发布 2026年5月", "@示范区教育 2026年5月"] and batch.imported == 1
    # nothing lost: every row is imported, reported as recorded, or rejected
    assert batch.imported + len(batch.duplicates) + batch.rejected == len(rows)
    kept = MonthFigures.objects.get(account=accounts["weibo"], month=date(2026, 5, 1))
    assert (kept.posts, kept.followers, kept.batch) == (19, None, None)  # not overwritten


def test_an_import_confirmed_after_another_took_its_months_imports_none_twice(edu, people, accounts):
    rows = ROWS[:2]
    batch, _ = _import(edu, people["jingban"], rows)
    batch2, _ = _import(edu, people["zhuren"], rows)
    services.batch_confirm(batch=batch2, actor=people["zhuren"], today=TODAY)
    services.batch_confirm(batch=batch, actor=people["jingban"], today=TODAY)
    batch.refresh_from_db()
    assert batch.imported == 0 and len(batch.duplicates) == 2
    assert MonthFigures.objects.count() == 2


def test_hostile_or_unreadable_files_are_refused_whole(edu, people, accounts, monkeypatch):
    with pytest.raises(SheetError, match="只能导入"):
        _import(edu, people["jingban"], ROWS, name="x.xls")
    with pytest.raises(SheetError, match="无法打开"):
        _import(edu, people["jingban"], None, content=b"PK\x03\x04 not a zip")
    with pytest.raises(SheetError, match="找不到“发布条数”列"):
        _import(edu, people["jingban"], [], head=["账号名称", "月份"])
    from gongkai.publicity import sheets

    monkeypatch.setattr(sheets, "MAX_UNPACKED", 1000)  # a zip bomb: small file, huge content
    with pytest.raises(SheetError, match="表格内容过大"):
        _import(edu, people["jingban"], ROWS)
    with pytest.raises(SheetError, match="文件超过5MB"):
        sheets.check_size(b"x" * (5 * 1024 * 1024 + 1))
    assert ImportBatch.objects.count() == 0


def test_only_the_agencys_clerk_or_office_head_writes(edu, people, accounts):
    for who in ("lingdao", "baomi", "jiandu", "chengban1", "weijian"):
        with pytest.raises(TransitionNotAllowed):
            _import(edu, people[who], ROWS)
        with pytest.raises(TransitionNotAllowed):
            services.account_save(agency=edu, actor=people[who], platform="douyin", name="x")
    services.account_save(agency=edu, actor=people["zhuren"], platform="douyin", name="示范区教育局")
    with pytest.raises(FieldError, match="已登记名为"):
        services.account_save(agency=edu, actor=people["zhuren"], platform="douyin", name="示范区教育局")


def test_a_month_is_entered_once_then_corrected_with_its_history(edu, people, accounts):
    a = accounts["wechat"]
    f = services.figures_record(
        account=a, actor=people["jingban"], month=date(2026, 6, 9), posts=30, followers=1000, reads=None, today=TODAY
    )
    assert f.month == date(2026, 6, 1)
    with pytest.raises(FieldError, match="2026年6月的数据已登记"):
        services.figures_record(
            account=a, actor=people["jingban"], month=date(2026, 6, 1), posts=31, followers=1, reads=1, today=TODAY
        )
    with pytest.raises(FieldError, match="尚未开始"):
        services.figures_record(
            account=a, actor=people["jingban"], month=date(2026, 8, 1), posts=1, followers=1, reads=1, today=TODAY
        )
    services.figures_correct(figures=f, actor=people["zhuren"], posts=32, followers=1001, reads=7000)
    f.refresh_from_db()
    assert (f.posts, f.followers, f.reads) == (32, 1001, 7000)
    assert [h.posts for h in f.history.order_by("history_date")] == [30, 32]
    with pytest.raises(TransitionNotAllowed):
        services.figures_correct(figures=f, actor=people["lingdao"], posts=1, followers=1, reads=1)


def _documents(edu, people):
    """A published policy and its interpretation in the register (through disclosure's services)."""
    from gongkai.demo.disclosure import seed_documents

    seed_documents(TODAY)
    docs = [d for d in selectors.document_choices(edu) if d.is_public and d.interprets_id]
    reading = docs[0]
    policy = next(d for d in selectors.document_choices(edu) if d.pk == reading.interprets_id)
    return policy, reading


def test_a_press_conference_explains_register_documents_and_the_column_lists_it(client, edu, people, settings):
    settings.GONGKAI_AGENCY_CODE = "demo-edu"
    policy, reading = _documents(edu, people)
    b = services.briefing_save(
        agency=edu,
        actor=people["jingban"],
        today=TODAY,
        kind="press",
        held_on=date(2026, 7, 1),
        topic="义务教育招生入学政策新闻发布会",
        speakers=[("王志强", "局长"), ("李红", "基础教育科科长")],
        documents=[policy.pk, reading.pk],
    )
    assert [s.post + s.name for s in b.speakers.all()] == ["局长王志强", "基础教育科科长李红"]
    assert set(b.documents.values_list("pk", flat=True)) == {policy.pk, reading.pk}
    hidden = services.briefing_save(
        agency=edu,
        actor=people["jingban"],
        today=TODAY,
        kind="briefing",
        held_on=date(2026, 7, 2),
        topic="内部吹风会",
        speakers=[("赵明", "副局长")],
        public=False,
    )
    # a document of another agency (or not in the register's policies) is refused
    from gongkai.disclosure.models import Document

    other = Document.objects.exclude(agency=edu).first()
    bad = [other.pk] if other else [10**9]
    with pytest.raises(FieldError, match="不在本机关的政策文件和政策解读中"):
        services.briefing_save(
            agency=edu,
            actor=people["jingban"],
            today=TODAY,
            kind="press",
            held_on=TODAY,
            topic="t",
            speakers=[("a", "b")],
            documents=bad,
        )
    html = client.get("/xxgk/xinwenfabu/").content.decode()
    assert html.count('data-testid="public-briefing"') == 1 and "义务教育招生入学政策新闻发布会" in html
    assert "内部吹风会" not in html
    page = client.get(f"/xxgk/xinwenfabu/{b.pk}/").content.decode()
    assert "局长王志强" in page and f"/xxgk/documents/{reading.pk}/" in page and reading.title in page
    assert client.get(f"/xxgk/xinwenfabu/{hidden.pk}/").status_code == 404
    assert "/xxgk/xinwenfabu/" in client.get("/xxgk/").content.decode()  # the column's index links it
    # a linked document taken down is no longer named publicly
    Document.objects.filter(pk=reading.pk).update(is_public=False)
    assert f"/xxgk/documents/{reading.pk}/" not in client.get(f"/xxgk/xinwenfabu/{b.pk}/").content.decode()


def test_report_figures_count_the_year(edu, people, accounts):
    clerk = people["jingban"]
    for m in range(1, 7):
        services.figures_record(
            account=accounts["wechat"],
            actor=clerk,
            month=date(2026, m, 1),
            posts=40,
            followers=130000 + m,
            reads=None,
            today=TODAY,
        )
    services.figures_record(
        account=accounts["wechat"], actor=clerk, month=date(2025, 12, 1), posts=99, followers=1, reads=None, today=TODAY
    )
    for kind, on in (
        ("press", date(2026, 3, 1)),
        ("briefing", date(2026, 4, 1)),
        ("interpretation", date(2026, 5, 1)),
        ("press", date(2025, 5, 1)),
    ):
        services.briefing_save(
            agency=edu, actor=clerk, today=TODAY, kind=kind, held_on=on, topic="t", speakers=[("a", "b")]
        )
    for occurred, answered, kind in (
        (date(2025, 12, 30), date(2026, 1, 2), "opinion"),
        (date(2026, 6, 1), None, "concern"),
        (date(2026, 6, 2), date(2026, 6, 3), "concern"),
    ):
        services.concern_save(
            agency=edu,
            actor=clerk,
            today=TODAY,
            kind=kind,
            occurred_on=occurred,
            subject="s",
            source="s",
            actions="a",
            answered_on=answered,
        )
    f = selectors.report_figures(agency=edu, year=2026)
    assert list(f.platforms) == ["wechat"]
    w = f.platforms["wechat"]
    assert (w.posts, w.followers, w.followers_month, w.months) == (240, 130006, date(2026, 6, 1), 6)
    assert (f.press_conferences, f.policy_briefings) == (1, 2)
    # answered in 2026: the 舆情 of 30 December answered on 2 January, and one concern
    assert (f.concerns_answered, f.concerns, f.opinion_events) == (2, 2, 0)
    assert f.as_dict()["platforms"]["wechat"]["label"] == "政务微信公众号"
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.year = 2025  # type: ignore[misc]


def test_who_reads_what(client, edu, people, accounts, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    clerk = people["jingban"]
    c = services.concern_save(
        agency=edu,
        actor=clerk,
        today=TODAY,
        kind="concern",
        occurred_on=TODAY,
        subject="张某某反映学校收费",
        source="张某某来电（13812345678）",
        actions="已核实",
    )
    b = services.briefing_save(
        agency=edu, actor=clerk, today=TODAY, kind="press", held_on=TODAY, topic="发布会", speakers=[("a", "b")]
    )
    a = accounts["wechat"]
    # the leader reads everything, writes nothing
    client.force_login(people["lingdao"])
    assert client.get("/work/publicity/").status_code == 200
    assert "张某某反映学校收费" in client.get("/work/publicity/concerns/").content.decode()
    assert client.get(f"/work/publicity/concerns/{c.pk}/").status_code == 200
    assert client.get("/work/publicity/briefings/new/").status_code == 403
    assert client.get("/work/publicity/import/").status_code == 403
    assert client.post(f"/work/publicity/accounts/{a.pk}/", {"platform": "wechat", "name": "x"}).status_code == 403
    # the supervising office: accounts, figures and conferences, the concerns' counts only
    client.force_login(people["jiandu"])
    assert client.get(f"/work/publicity/?agency={edu.code}").status_code == 200
    assert client.get(f"/work/publicity/briefings/{b.pk}/").status_code == 200
    page = client.get(f"/work/publicity/concerns/?agency={edu.code}").content.decode()
    assert "回应关切1件" in page and "张某某" not in page and "13812345678" not in page
    assert client.get(f"/work/publicity/concerns/{c.pk}/").status_code == 404
    # a unit's staff and another agency's clerk find nothing of it
    for who in ("chengban1", "weijian"):
        client.force_login(people[who])
        assert client.get(f"/work/publicity/concerns/{c.pk}/").status_code == 404
        assert client.get(f"/work/publicity/briefings/{b.pk}/").status_code == 404
        assert client.get(f"/work/publicity/accounts/{a.pk}/").status_code == 404
        assert client.get(f"/work/publicity/?agency={edu.code}").status_code == 404
    client.force_login(people["chengban1"])
    assert client.get("/work/publicity/").status_code == 403  # no agency to read


def test_pages_the_import_the_statistics_and_the_dashboard(client, edu, people, accounts, monkeypatch):
    monkeypatch.setattr(localtime, "local_today", lambda: TODAY)
    client.force_login(people["jingban"])
    upload = SimpleUploadedFile("figures.xlsx", xlsx(ROWS))
    r = client.post("/work/publicity/import/", {"agency": edu.pk, "file": upload})
    assert r.status_code == 302
    page = client.get(r["Location"]).content.decode()
    assert "“月份”无法识别：“五月”" in page and "可导入" in page
    batch = ImportBatch.objects.get()
    r = client.post(f"/work/publicity/import/{batch.pk}/confirm/")
    assert r.status_code == 302 and MonthFigures.objects.count() == 3
    r = client.post(
        "/work/publicity/months/new/",
        {"account": accounts["wechat"].pk, "month": "2026-06", "posts": "33", "followers": "121000", "reads": ""},
    )
    assert r.status_code == 302
    r = client.post("/work/publicity/months/new/", {"account": accounts["wechat"].pk, "month": "2026-06", "posts": "1"})
    assert "2026年6月的数据已登记" in r.content.decode()
    stats = client.get("/work/publicity/statistics/?year=2026").content.decode()
    assert "<svg" in stats and 'data-platform="wechat"' in stats and "style=" not in stats
    assert "2026年发布63条，截至6月底关注/粉丝121000人" in stats
    r = client.post(
        "/work/publicity/concerns/new/",
        {
            "kind": "opinion",
            "occurred_on": "2026-07-10",
            "subject": "网传停课",
            "source": "微博",
            "actions": "发布通报",
            "answered_on": "2026-07-09",
        },
    )
    assert "“回应日期”不能早于发现日期" in r.content.decode()
    dashboard = client.get("/work/").content.decode()
    # June is the last month that ended: 示范区教育发布 has it, the other two do not
    assert "新媒体账号上月数据未登记" in dashboard
    assert selectors.counts(edu.pk, today=TODAY)["missing_last_month"] == 2


def test_the_demo_holds_a_year_of_figures_on_any_day(people):
    from gongkai.demo.publicity import seed_publicity

    for today in (date(2027, 1, 1), date(2026, 12, 31)):
        MonthFigures.objects.all().delete()
        ImportBatch.objects.all().delete()
        Briefing.objects.all().delete()
        from gongkai.publicity.models import Concern

        Concern.objects.all().delete()
        MediaAccount.objects.all().delete()
        made = seed_publicity(today=today)
        assert made >= 4 * 12 and seed_publicity(today=today) == 0
        assert not MonthFigures.objects.filter(month__gt=date(today.year, today.month, 1)).exists()
        assert not Briefing.objects.filter(held_on__gt=today).exists()
        edu = Agency.objects.get(code="demo-edu")
        last = selectors.report_figures(agency=edu, year=today.year - 1)
        assert last.platforms["wechat"].complete and last.platforms["wechat"].followers > 100000
        assert ImportBatch.objects.get().status == "imported"


def test_each_policy_is_listed_with_its_interpretations_after_it():
    from types import SimpleNamespace as D

    policy, other, reading, orphan = (
        D(pk=1, interprets_id=None),
        D(pk=2, interprets_id=None),
        D(pk=3, interprets_id=1),
        D(pk=4, interprets_id=9),
    )
    assert selectors.policies_first([reading, other, orphan, policy]) == [other, orphan, policy, reading]
