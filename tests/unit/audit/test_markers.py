"""A cell written as a mark (/, —, －, 无) is kept apart from an empty cell and from a 0."""

from __future__ import annotations

from gongkai.audits.presentation import report_summary, table2_view, table3_view
from gongkai.domain.audit import audit_bytes
from tests.unit.audit import degrade as D


def _text_with(row_label: str, marks: dict[int, str], seed: int = 3) -> tuple[D.ReportContent, str]:
    content = D.random_content(seed, year=2021)
    text = D.as_text(D.blocks(content))
    i = text.index(row_label + "\t")
    j = text.index("\n", i)
    row = text[i:j].split("\t")
    for k, mark in marks.items():
        row[k] = mark
    return content, text[:i] + "\t".join(row) + text[j:]


def test_marks_are_kept_per_cell_in_the_json():
    _, text = _text_with("规章", {1: "/", 2: "—"})
    rep = audit_bytes(text.encode(), "marks.txt")
    out = rep.to_json()
    assert out["markers"] == {"table_2.art20_1.regulations.made": "/", "table_2.art20_1.regulations.repealed": "—"}
    cells = out["tables"]["table_2"]["art20_1"]["regulations"]
    assert cells["made"] is None and cells["repealed"] is None and cells["in_force"] is not None


def test_a_report_without_marks_has_no_markers_key():
    content = D.random_content(5, year=2021)
    rep = audit_bytes(D.as_text(D.blocks(content)).encode(), "plain.txt")
    assert "markers" not in rep.to_json()


def test_table3_marks_count_as_the_format_says_and_show_as_written():
    # table 三's blank-cell convention: a marked applicant cell counts as 0, and shows its mark
    content, text = _text_with("（一）予以公开", {3: "无"})
    rep = audit_bytes(text.encode(), "marks3.txt")
    result = rep.to_json()
    assert result["markers"] == {"table_3.granted.commercial_enterprise": "无"}
    summary = report_summary(result)
    view = table3_view(result["format"], result["tables"], summary["flagged"], summary["markers"])
    granted = next(r for r in view["rows"] if r["label"] == "（一）予以公开")
    marked = [c for c in granted["cells"] if c["marker"]]
    assert [(c["marker"], c["value"]) for c in marked] == [("无", 0)]
    t2 = table2_view(result["format"], result["tables"], summary["flagged"], summary["markers"])
    assert all(not c["marker"] for sub in t2 for r in sub["rows"] for c in r["cells"])


def test_old_statistics_are_shown_with_their_chinese_labels():
    from pathlib import Path

    from gongkai.audits.presentation import old_stats_view

    sample = Path(__file__).resolve().parents[4] / "shared" / "samples" / "sample-05.txt"
    result = audit_bytes(sample.read_bytes(), "sample-05.txt").to_json()
    shown = dict(old_stats_view(report_summary(result)["old_stats"]))
    assert shown["主动公开政府信息数（条，约数，至少）"] == "1000"
    assert "报告未说明" in shown.values()  # a figure not stated is said so, never "None"
    assert not any(k in shown for k in result["old_stats"])  # no raw keys
