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
    """Figures of an old statistics table, if the report has one (keys: OLD_STATS_KEYS)."""
    vocab = L.old_stats_vocabulary()
    out: dict[str, Any] = {}
    spans: dict[str, tuple[int, int]] = {}
    for line in doc.lines:
        if not line.text.strip() or _is_prose(line) or not any(ch.isdigit() for ch in line.text):
            continue
        tr = split_line(line)
        nums = tr.numbers
        if len(nums) != 1:
            continue
        labels_ = [c for c in tr.labels if c.text not in _UNIT]
        if not labels_:
            continue
        m = vocab.match(labels_[-1].text)
        if m is None or m.score < 0.8 or m.key in out:
            continue
        out[m.key] = parse_number(nums[0].text)
        spans[m.key] = (nums[0].start, nums[0].end)
    return out, spans
