"""What a supervisor uploads becomes files to audit; what cannot be a report is refused in Chinese."""

import io
import zipfile

from gongkai.audits.presentation import highlight
from gongkai.audits.uploads import MAX_FILE_BYTES, expand_uploads


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _gbk_named_zip(name: str, data: bytes) -> bytes:
    """What Chinese Windows zip tools write: the name as GBK bytes, without the UTF-8 flag.

    zipfile always writes non-ASCII names as UTF-8, so write an ASCII placeholder of the same
    length and swap the bytes in (the CRC covers the data, not the name).
    """
    gbk = name.encode("gb18030")
    placeholder = b"N" * len(gbk)
    return _zip({placeholder.decode(): data}).replace(placeholder, gbk)


def test_a_zip_is_expanded_into_its_reports_and_junk_is_skipped():
    data = _zip({"a/报告一.txt": b"x", "__MACOSX/._a": b"junk", "b.pdf": b"%PDF-1.4", ".DS_Store": b"x"})
    out = expand_uploads([("2021年报.zip", data)])
    assert [name for name, _ in out.files] == ["2021年报/a/报告一.txt", "2021年报/b.pdf"]
    assert out.refused == []


def test_gbk_file_names_inside_a_zip_are_read_as_chinese():
    out = expand_uploads([("batch.zip", _gbk_named_zip("梁溪区教育局2021年报.txt", b"x"))])
    assert out.files[0][0] == "batch/梁溪区教育局2021年报.txt"


def test_unsupported_empty_oversized_and_broken_uploads_are_refused_with_a_reason():
    out = expand_uploads(
        [
            ("tool.exe", b"MZ"),
            ("empty.txt", b""),
            ("huge.txt", b"x" * (MAX_FILE_BYTES + 1)),
            ("broken.zip", b"PK\x03\x04not really"),
            ("ok.html", b"<p>x</p>"),
        ]
    )
    assert [n for n, _ in out.files] == ["ok.html"]
    assert len(out.refused) == 4
    assert any("不支持的文件类型" in r for r in out.refused)
    assert any("文件为空" in r for r in out.refused)
    assert any("超过" in r for r in out.refused)
    assert any("压缩包已损坏" in r for r in out.refused)


def test_highlighting_cuts_the_text_at_every_span_edge_and_keeps_all_text():
    text = "主动公开政府信息200条，其中公告公示43条。"
    findings = [
        {"severity": "warning", "where": {"spans": [{"original_start": 0, "original_end": 12}]}},
        {"severity": "error", "where": {"spans": [{"original_start": 8, "original_end": 20}]}},
    ]
    segments = highlight(text, findings)
    assert "".join(s.text for s in segments) == text
    overlap = [s for s in segments if s.findings == (0, 1)]
    assert overlap and overlap[0].text == text[8:12] and overlap[0].severity == "error"
    assert segments[-1].findings == ()
