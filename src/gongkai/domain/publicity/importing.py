"""Reading a sheet of monthly new-media figures: the columns by their header, each row parsed with its
errors in Chinese.

The approach and the limits are the work orders' (:mod:`gongkai.domain.workorders.importing`): the
columns are found by their header text, so a sheet whose columns come in another order still
imports; every row comes back parsed, with its errors: nothing is dropped silently — a row either
imports, or is listed as already recorded, or is listed with its errors. A second row for the same
account and month in one file is an error of the later row; a month already in the register is the
service's to find. The accounts are those the agency registered, named in the sheet by their name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from gongkai.domain.publicity.media import PLATFORM_LABELS, month_label, month_start
from gongkai.domain.workorders.importing import MAX_BYTES, MAX_CELL, ParsedRow, SheetError

__all__ = ["MAX_BYTES", "MAX_ROWS", "FIELDS", "HEADERS", "ParsedRow", "SheetError", "parse_rows", "parse_month"]

# A sheet of monthly figures holds a few accounts over a few years: far fewer rows than a platform's
# export of work orders.
MAX_ROWS = 2000

FIELDS: Mapping[str, str] = {
    "account": "账号名称",
    "month": "月份",
    "posts": "发布条数",
    "followers": "关注/粉丝数",
    "reads": "阅读量",
    "platform": "平台",
}
REQUIRED = ("account", "month", "posts")
# The header texts each field is known by (the platforms' back-ends and offices' own sheets differ).
HEADERS: Mapping[str, tuple[str, ...]] = {
    "account": ("账号名称", "账号", "账号名", "新媒体账号", "名称"),
    "month": ("月份", "统计月份", "年月", "统计期"),
    "posts": ("发布条数", "发布数", "发布数量", "发文数", "发布信息数", "推送条数"),
    "followers": ("关注/粉丝数", "关注数", "粉丝数", "关注人数", "粉丝数量", "月末关注数", "月末粉丝数"),
    "reads": ("阅读量", "阅读数", "浏览量", "访问量", "播放量"),
    "platform": ("平台", "平台类型", "账号类型"),
}


@dataclass(frozen=True)
class KnownAccount:
    id: int
    name: str
    platform: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _norm(header: Any) -> str:
    return re.sub(r"\s+", "", _text(header)).replace("／", "/")


def locate_columns(headers: Sequence[Any]) -> dict[str, int]:
    """Field → column index, by header text; SheetError naming every required column missing."""
    found: dict[str, int] = {}
    for i, h in enumerate(headers):
        text = _norm(h)
        for f, names in HEADERS.items():
            if f not in found and text in names:
                found[f] = i
    missing = [f"“{FIELDS[f]}”" for f in REQUIRED if f not in found]
    if missing:
        raise SheetError(
            f"表头中找不到{'、'.join(missing)}列：表格第一行应为表头，如“账号名称、月份、发布条数、关注/粉丝数、阅读量”"
        )
    return found


_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:月)?(?:\s*[-/.]?\s*\d{1,2}\s*日?)?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")


def parse_month(value: Any) -> date | None:
    """A cell as a month (its first day): a spreadsheet date, or 2026-03, 2026/3, 2026.03, 2026年3月,
    202603, 2026-03-01; None if it is none of them."""
    if isinstance(value, datetime):
        return month_start(value.date())
    if isinstance(value, date):
        return month_start(value)
    text = _text(value)
    m = _MONTH.match(text) or _MONTH_COMPACT.match(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return None
    return date(year, month, 1)


_COUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*(万)?$")


def parse_count(value: Any) -> tuple[int | None, str]:
    """A cell as a count: (the number, "") or (None, why not); (None, "") when empty. Thousands
    separators are allowed, and "1.2万" (a back-end's rounded display) is 12000."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, ""
    if isinstance(value, bool):
        return None, "应为整数"
    if isinstance(value, int):
        return (value, "") if value >= 0 else (None, "不能为负数")
    if isinstance(value, float):
        if value < 0:
            return None, "不能为负数"
        return (int(value), "") if value.is_integer() else (None, "应为整数")
    text = _text(value).replace(",", "").replace("，", "")
    if text.startswith("-"):
        return None, "不能为负数"
    m = _COUNT.match(text)
    if not m:
        return None, "应为整数"
    number = float(m.group(1)) * (10000 if m.group(2) else 1)
    if not number.is_integer():
        return None, "应为整数"
    return int(number), ""


def _platform_from_text(text: str) -> str | None:
    for value, label in PLATFORM_LABELS.items():
        if text in (value, label) or (text and text in label):
            return value
    return None


def parse_rows(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    accounts: Iterable[KnownAccount],
    *,
    today: date,
    max_rows: int = MAX_ROWS,
) -> list[ParsedRow]:
    """Every data row parsed, with its errors; wholly empty rows are skipped. ``accounts``: the
    agency's registered accounts, matched by name (and by platform when the sheet has that column)."""
    columns = locate_columns(headers)
    by_name = {a.name: a for a in accounts}
    out: list[ParsedRow] = []
    first_line: dict[tuple[int, date], int] = {}
    for line, cells in enumerate(rows, start=2):
        cells = list(cells)
        if not any(_text(c) for c in cells):
            continue
        if len(out) >= max_rows:
            raise SheetError(f"表格超过{max_rows}行，请分批导入")
        r = ParsedRow(line)

        def cell(name: str, cells: list = cells) -> Any:
            i = columns.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        name = _text(cell("account"))
        if len(name) > MAX_CELL:
            name = name[:MAX_CELL]
        r.values["account_name"] = name[:100]
        account = by_name.get(name)
        if not name:
            r.errors.append("缺少“账号名称”")
        elif account is None:
            r.errors.append(f"“{name[:40]}”不是本机关登记的账号：请先在“账号”中登记，或检查名称是否一致")
        else:
            platform_text = _text(cell("platform"))
            if platform_text:
                platform = _platform_from_text(platform_text)
                if platform is not None and platform != account.platform:
                    r.errors.append(
                        f"“平台”为“{platform_text[:20]}”，而账号“{name}”登记为{PLATFORM_LABELS[account.platform]}"
                    )
        r.values["account"] = account.id if account else None
        r.values["platform"] = account.platform if account else ""
        raw_month = cell("month")
        month = parse_month(raw_month)
        if month is None:
            shown = _text(raw_month)
            r.errors.append(f"“月份”无法识别：“{shown[:20]}”，应如2026-03或2026年3月" if shown else "缺少“月份”")
        elif month > month_start(today):
            r.errors.append(f"“月份”{month_label(month)}尚未开始")
        r.values["month"] = month
        for f in ("posts", "followers", "reads"):
            value, why = parse_count(cell(f))
            if why:
                r.errors.append(f"“{FIELDS[f]}”{why}：“{_text(cell(f))[:20]}”")
            r.values[f] = value
        if r.values["posts"] is None and not any(e.startswith("“发布条数”") for e in r.errors):
            r.errors.append("缺少“发布条数”")
        if account is not None and month is not None:
            key = (account.id, month)
            if key in first_line:
                r.errors.append(f"账号“{name}”{month_label(month)}的数据与第{first_line[key]}行重复")
            else:
                first_line[key] = line
        out.append(r)
    return out
