"""Work orders of the demo year for 示范区教育局, imported from sheets the demo generates.

:func:`seed_workorders` does nothing when the demo agency already has work orders. Otherwise it
writes one .xlsx per platform (12345, 民心网, 局长信箱) in the platform's usual layout, with the
orders received from January of last year to ``today``, imports each through the services
(upload → preview → confirm, as an office does) and plays each order as far as its story goes:
assigned to a unit, replied (mostly on time, some late), rated, a few sent back and replied again,
the most recent still open. Nothing is dated after ``today``. Deterministic (a fixed seed).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.accounts.models import Agency
from gongkai.demo.backdate import Appended, Backdater
from gongkai.domain.errors import DomainError
from gongkai.domain.workorders.importing import DEFAULT_MAPPINGS, IMPORT_FIELDS
from gongkai.workorders import services, sheets
from gongkai.workorders.models import WorkOrder, WorkOrderEvent

DEMO_AGENCY_CODE = "demo-edu"
UNITS = ("基础教育科", "学生资助管理中心", "安全稳定科", "人事科", "招生考试办公室")
TOPICS = {
    "咨询": ("小学新生入学需要哪些材料", "义务教育阶段转学手续如何办理", "幼儿园普惠性补助政策咨询"),
    "求助": ("孩子因病休学后复学受阻", "残疾儿童送教上门申请", "家庭经济困难学生资助申请"),
    "投诉": ("学校周边施工噪音影响上课", "课后服务收费不规范", "校车接送时间不合理"),
    "建议": ("建议增设城区学校课后托管", "建议延长图书馆开放时间", "建议规范学校食堂管理"),
    "举报": ("举报在职教师有偿补课", "举报校外培训机构违规开班", "举报学校违规收取资料费"),
}
PER_MONTH = {"12345": 8, "provincial": 3, "mailbox": 2}
PREFIX = {"12345": "GD", "provincial": "MXW", "mailbox": "JZXX"}


def _sheet(platform: str, year: int, today: date, rnd: random.Random) -> tuple[bytes, list[dict]]:
    mapping = DEFAULT_MAPPINGS[platform]
    header = [mapping[f] for f in IMPORT_FIELDS if f in mapping]
    rows, stories = [], []
    n = 0
    for month in range(1, today.month + 1 if today.year == year else 13):
        for _ in range(PER_MONTH[platform]):
            day = date(year, month, rnd.randint(1, 28))
            if day > today:
                continue
            n += 1
            category = rnd.choice(list(TOPICS))
            received = datetime.combine(day, datetime.min.time()) + timedelta(hours=rnd.randint(8, 18))
            number = f"{PREFIX[platform]}{year}{n:05d}"
            values = {
                "number": number,
                "received_at": received.strftime("%Y-%m-%d %H:%M"),
                "category": category,
                "title": rnd.choice(TOPICS[category]),
                "content": "来电人反映：" + rnd.choice(TOPICS[category]) + "，请予以答复。",
                "unit": "",
            }
            rows.append([values[f] for f in IMPORT_FIELDS if f in mapping])
            stories.append({"number": number, "day": day, "roll": rnd.random(), "lag": rnd.randint(1, 12)})
    return sheets.write_xlsx(header, rows, title="工单"), stories


def seed_workorders(today: date | None = None) -> int:
    """Import and play the demo's work orders unless the demo agency has some; returns how many."""
    today = today or timezone.localdate()
    agency = Agency.objects.filter(code=DEMO_AGENCY_CODE).first()
    if agency is None:
        raise DomainError("尚未创建演示机关“示范区教育局”，请先运行 manage.py seed_demo")
    if WorkOrder.objects.filter(agency=agency).exists():
        return 0
    clerk = get_user_model().objects.get(username="jingban")
    rnd = random.Random(18)
    stamps = Backdater(Appended(WorkOrderEvent.objects, "pk", "at"), every=3, within=480)
    made = 0
    # last year too: in January the office writes last year's annual report from these figures
    for year, platform in ((y, p) for y in (today.year - 1, today.year) for p in PER_MONTH):
        content, stories = _sheet(platform, year, today, rnd)
        if not stories:
            continue  # 1 January: nothing received yet this year
        batch = services.batch_upload(
            agency=agency, actor=clerk, platform=platform, filename=f"{platform}-{year}.xlsx", content=content
        )
        services.batch_confirm(batch=batch, actor=clerk, today=today)
        orders = {o.number: o for o in WorkOrder.objects.filter(batch=batch)}
        made += len(orders)
        for s in stories:
            o = orders[s["number"]]
            stamps.stamp(s["day"])
            steps = _story(s, rnd, today)
            for action, on, fields in steps:
                if on > today:
                    break
                o = services.order_act(order=o, action=action, actor=clerk, today=on, fields=fields)
                stamps.stamp(on)
    return made


def _story(s: dict, rnd: random.Random, today: date) -> list[tuple[str, date, dict]]:
    day, roll, lag = s["day"], s["roll"], s["lag"]
    steps: list[tuple[str, date, dict]] = [("assign", day, {"unit": rnd.choice(UNITS)})]
    if roll < 0.05 and (today - day).days <= 14:
        return steps  # still in hand: a recent one (an office does not leave a spring order open in December)
    replied = day + timedelta(days=lag)
    steps.append(("reply", replied, {"reply_text": "经核实，已按相关政策办理并告知来电人。", "replied_on": replied}))
    if roll < 0.3:
        return steps  # no rating yet
    rating = "satisfied" if roll < 0.8 else ("basically_satisfied" if roll < 0.93 else "dissatisfied")
    rated = replied + timedelta(days=1)
    steps.append(("rate", rated, {"rating": rating, "rated_on": rated}))
    if rating == "dissatisfied":
        again = rated + timedelta(days=3)
        steps.append(("reopen", rated, {"comment": "来电人对答复不满意，平台退回重办"}))
        steps.append(("reply", again, {"reply_text": "重新核实后已协调解决，并电话回访。", "replied_on": again}))
    return steps
