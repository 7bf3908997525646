"""The statistics of reports under the old regulation (before 2019): an old 统计表, else the prose."""

from __future__ import annotations

from typing import Any

from gongkai.domain.audit import labels as L
from gongkai.domain.audit.normalise import Document
from gongkai.domain.audit.tables.results import _is_prose
from gongkai.domain.audit.tables.rows import parse_number, split_line

OLD_STATS_KEYS = (
    "proactive_published",
    "proactive_published_at_least",
    "normative_documents_published",
    "applications_received",
    "applications_completed",
    "review_cases",
    "litigation_cases",
    "complaints",
    "fees_collected",
)
# what each figure is called, for people (the page and the export show these, never the keys)
OLD_STATS_LABELS = {
    "proactive_published": "主动公开政府信息数（条）",
    "proactive_published_at_least": "主动公开政府信息数（条，约数，至少）",
    "normative_documents_published": "其中主动公开规范性文件数（件）",
    "applications_received": "收到政府信息公开申请数（件）",
    "applications_completed": "申请办结数（件）",
    "review_cases": "政府信息公开行政复议数（件）",
    "litigation_cases": "政府信息公开行政诉讼数（件）",
    "complaints": "政府信息公开举报投诉数（件）",
    "fees_collected": "依申请提供政府信息收取的费用（元）",
}
_UNIT = frozenset({"条", "件", "个", "项", "元", "万元", "次", "人", "篇", "份"})


# -- old statistics (before 2019) -------------------------------------------------------------


def extract_old_stats(doc: Document) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """Figures of an old statistics table, if the report has one (keys: OLD_STATS_KEYS).

    Some old tables give each figure twice, this year's and the cumulative one (a header naming
    本年 and 累计). Then a row's two figures are read in the header's order and this year's is
    kept; a row whose two figures ran together (``1203456``) is split only where one split alone
    gives a this-year figure no larger than the cumulative one; otherwise the row is left
    unstated (never a cumulative figure taken for the year's, nor a glued run for one figure)."""
    vocab = L.old_stats_vocabulary()
    out: dict[str, Any] = {}
    spans: dict[str, tuple[int, int]] = {}
    pairs: bool | None = None  # None: no header seen; True: 本年 first; False: 累计 first
    for line in doc.lines:
        if not line.text.strip() or _is_prose(line):
            continue
        if not any(ch.isdigit() for ch in line.text):
            year_at, total_at = _year_column(line.text), line.text.find("累计")
            if year_at >= 0 and total_at >= 0:
                pairs = year_at < total_at
            continue
        tr = split_line(line)
        nums = tr.numbers
        if not nums or len(nums) > 2 or (len(nums) == 2 and pairs is None):
            continue
        labels_ = [c for c in tr.labels if c.text not in _UNIT]
        if not labels_:
            continue
        m = vocab.match(labels_[-1].text)
        if m is None or m.score < 0.8 or m.key in out:
            continue
        if pairs is None:
            out[m.key] = parse_number(nums[0].text)
            spans[m.key] = (nums[0].start, nums[0].end)
            continue
        if len(nums) == 2:
            this_year = nums[0] if pairs else nums[1]
            out[m.key] = parse_number(this_year.text)
            spans[m.key] = (this_year.start, this_year.end)
            continue
        value = _split_pair(nums[0].text, pairs)
        if value is not None:
            out[m.key] = value
            spans[m.key] = (nums[0].start, nums[0].end)
    return out, spans


def _year_column(text: str) -> int:
    for word in ("本年度", "本年", "当年", "年度"):
        at = text.find(word)
        if at >= 0:
            return at
    return -1


def _split_pair(run: str, year_first: bool) -> int | None:
    """This year's figure from a run of digits holding this year's and the cumulative figure
    glued together, when only one split leaves this year's no larger than the cumulative one."""
    if not run.isdigit() or len(run) < 2:
        return None
    found = []
    for cut in range(1, len(run)):
        a, b = run[:cut], run[cut:]
        if (len(a) > 1 and a[0] == "0") or (len(b) > 1 and b[0] == "0"):
            continue
        year, total = (int(a), int(b)) if year_first else (int(b), int(a))
        if year <= total:
            found.append(year)
    return found[0] if len(found) == 1 else None
