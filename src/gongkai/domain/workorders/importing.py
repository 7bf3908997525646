"""Reading a platform's exported sheet: the column mapping, the parse of each row, the errors per row.

Offices receive work orders as spreadsheets exported from the platform. The columns are matched by
their header text (a platform that reorders its columns still imports), through a mapping saved per
platform (field → header). Every row comes back parsed, with its errors in Chinese: nothing is
dropped silently — a row either imports, or is listed as a duplicate, or is listed with its errors.
The file's own duplicates (the same number twice) are errors of the later row; duplicates of orders
already in the register are the service's to find.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from gongkai.domain.errors import DomainError
from gongkai.domain.workorders.workflow import CATEGORY_LABELS, category_from_text

# Hostile input: a sheet larger than this is refused whole, before any row is read into the register.
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
MAX_CELL = 5000  # characters kept of one cell; a longer one is an error of its row

# The fields an import knows, with their Chinese names; the first three are required.
IMPORT_FIELDS: Mapping[str, str] = {
    "number": "工单编号",
    "received_at": "受理时间",
    "category": "工单类别",
    "title": "诉求标题",
    "content": "诉求内容",
    "unit": "承办单位",
}
REQUIRED_FIELDS = ("number", "received_at", "category")
# The columns an export of replies adds when the platform's layout has no such column.
REPLY_FIELDS: Mapping[str, str] = {"reply_text": "答复内容", "replied_on": "答复时间", "state": "办理状态"}

# The headers a platform's export commonly uses, to start from before the office saves its own.
DEFAULT_MAPPINGS: Mapping[str, Mapping[str, str]] = {
    "12345": {
        "number": "工单编号",
        "received_at": "受理时间",
        "category": "诉求类型",
        "title": "诉求标题",
        "content": "诉求内容",
        "unit": "承办单位",
    },
    "provincial": {
        "number": "信件编号",
        "received_at": "来信时间",
        "category": "信件类别",
        "title": "信件标题",
        "content": "信件内容",
        "unit": "办理单位",
    },
    "mailbox": {
        "number": "编号",
        "received_at": "来信日期",
        "category": "类型",
        "title": "主题",
        "content": "内容",
        "unit": "承办单位",
    },
}


class SheetError(DomainError):
    """The sheet as a whole cannot be read (too big, a required column missing): Chinese message."""

    code = "sheet_error"


@dataclass
class ParsedRow:
    line: int  # the row's number in the sheet (the header is row 1)
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：时](\d{1,2})分?)?$")


def parse_datetime(value: Any) -> datetime | None:
    """A cell as a (naive, local) date and time: a spreadsheet date, or text as the platforms write it
    (2026-03-01, 2026/3/1 09:30, 2026年3月1日); None if it is none of them."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    text = str(value or "").strip()
    if not text:
        return None
    m = _CN_DATE.match(text)
    if m:
        y, mo, d, h, mi = (int(g) if g else 0 for g in m.groups())
        try:
            return datetime(y, mo, d, h, mi)
        except ValueError:
            return None
    for fmt in _DATETIME_FORMATS + _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a cell: 20260301001.0 is the number 20260301001
    return str(value).strip()


def locate_columns(headers: Sequence[Any], mapping: Mapping[str, str]) -> dict[str, int]:
    """Field → column index, by header text; SheetError naming every required column missing."""
    found = {_text(h): i for i, h in reversed(list(enumerate(headers))) if _text(h)}
    missing = [f"“{mapping.get(f) or IMPORT_FIELDS[f]}”" for f in REQUIRED_FIELDS if mapping.get(f) not in found]
    if missing:
        raise SheetError(f"表头中找不到{'、'.join(missing)}列：请检查该平台的列对应设置或所选平台是否正确")
    return {f: found[h] for f, h in mapping.items() if h in found}


def parse_rows(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    mapping: Mapping[str, str],
    *,
    today: date,
    max_rows: int = MAX_ROWS,
) -> list[ParsedRow]:
    """Every data row parsed, with its errors; wholly empty rows are skipped (they are not orders)."""
    columns = locate_columns(headers, mapping)
    out: list[ParsedRow] = []
    first_line: dict[str, int] = {}
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

        for name in ("number", "title", "content", "unit"):
            text = _text(cell(name))
            if len(text) > MAX_CELL:
                r.errors.append(f"“{IMPORT_FIELDS[name]}”超过{MAX_CELL}字")
                text = text[:MAX_CELL]
            r.values[name] = text
        if not r.values["number"]:
            r.errors.append("缺少“工单编号”")
        elif len(r.values["number"]) > 60:
            r.errors.append("“工单编号”超过60个字符")
        elif r.values["number"] in first_line:
            r.errors.append(f"工单编号“{r.values['number']}”与第{first_line[r.values['number']]}行重复")
        else:
            first_line[r.values["number"]] = line
        raw = cell("received_at")
        received = parse_datetime(raw)
        if received is None:
            shown = _text(raw)
            r.errors.append(
                f"“受理时间”无法识别：“{shown[:40]}”，应为日期，如2026-03-01或2026-03-01 09:30"
                if shown
                else "缺少“受理时间”"
            )
        elif received.date() > today:
            r.errors.append(f"“受理时间”晚于今天（{today:%Y-%m-%d}）")
        r.values["received_at"] = received
        raw_cat = _text(cell("category"))
        category = category_from_text(raw_cat)
        if category is None:
            r.errors.append(
                f"“工单类别”无法识别：“{raw_cat[:20]}”，应为{'、'.join(CATEGORY_LABELS.values())}之一"
                if raw_cat
                else "缺少“工单类别”"
            )
        r.values["category"] = category.value if category else ""
        r.values["category_label"] = category.label if category else raw_cat[:20]
        out.append(r)
    return out
