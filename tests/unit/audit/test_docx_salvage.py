"""The salvage of a damaged Word file: only as much of ``word/document.xml`` inflated and parsed as
the text limit needs, with the reading a whole parse gives."""

from __future__ import annotations

import zlib

import pytest

from gongkai.domain.audit.limits import ReaderLimits
from gongkai.domain.audit.sources import docx as D
from gongkai.domain.audit.sources import read_source
from tests.unit.audit import hostile as H


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _table(rows: int) -> str:
    cell = "<w:tc>{}</w:tc>"
    return (
        "<w:tbl>"
        + "".join(f"<w:tr>{cell.format(_p('项目'))}{cell.format(_p(str(r)))}</w:tr>" for r in range(rows))
        + "</w:tbl>"
    )


def _whole(monkeypatch: pytest.MonkeyPatch, data: bytes, limits: ReaderLimits):
    """The reading of the whole part at once (as before the prefix): the reference."""
    with monkeypatch.context() as m:
        m.setattr(D, "_salvage_prefix", lambda member, limits: None)
        return read_source(data, "a.docx", limits=limits)


def _mixed_body() -> str:
    parts = []
    for i in range(300):
        parts.append(_p(f"第{i}段，收到申请{i}件"))
        if i % 7 == 0:
            parts.append("<w:p/><w:p/>")
        if i % 23 == 0:
            parts.append(_table(3 + i % 5))
        if i % 31 == 0:
            parts.append(f"<w:p><w:r><w:t>甲</w:t><w:br/><w:t>乙{i}</w:t><w:tab/><w:t>丙</w:t></w:r></w:p>")
        if i == 150:
            parts.append("<w:p><w:r><w:t>坏的</w:r></w:p>")  # broken XML: recovered the same way
    return "".join(parts)


@pytest.mark.parametrize("first", [64, 700, 5_000, 256 * 1024])
@pytest.mark.parametrize("chars", [30, 200, 1_000, 3_000, 100_000])
def test_a_prefix_reads_what_the_whole_part_reads(monkeypatch, first, chars):
    """Whatever the text limit and the first prefix, the reading is the whole part's, byte for byte."""
    data = H.docx_from_body(_mixed_body())
    limits = ReaderLimits(max_text_chars=chars)
    for damaged in (data[:-200], data[: len(data) * 2 // 3]):
        monkeypatch.setattr(D, "_SALVAGE_FIRST", first)
        doc = read_source(damaged, "a.docx", limits=limits)
        assert doc == _whole(monkeypatch, damaged, limits)
        assert doc.problems[0] == "无法解析Word文件：BadZipFile: File is not a zip file"


def test_a_large_damaged_body_is_inflated_and_parsed_only_as_far_as_the_text_limit_needs(monkeypatch):
    _, data = H.damaged_paragraphs_docx(8)  # 8 MB of tiny paragraphs
    limits = ReaderLimits(max_text_chars=50_000)
    inflated: list[int] = []
    parsed: list[int] = []
    inflate_to, prefix = D._MemberInflater.inflate_to, D._MemberInflater.prefix

    def spy_inflate(self, size):
        more = inflate_to(self, size)
        inflated.append(len(self._out))
        return more

    def spy_prefix(self, size):
        parsed.append(size)
        return prefix(self, size)

    monkeypatch.setattr(D._MemberInflater, "inflate_to", spy_inflate)
    monkeypatch.setattr(D._MemberInflater, "prefix", spy_prefix)
    doc = read_source(data, "a.docx", limits=limits)
    # bytes of XML parsed, of 8 MB: a probe, then a prefix as long as its text said the limit needs
    assert len(parsed) == 2 and sum(parsed) < 1_000_000, parsed
    # inflated: past the prefix by at most what one 4 KiB step of input gives (1 MB here)
    assert max(inflated) < 2_000_000
    assert doc.problems == (
        "无法解析Word文件：BadZipFile: File is not a zip file",
        "文字超过50000个字符的上限，其后的内容没有读取",
        "只恢复了部分文字（表格结构已丢失）",
    )
    assert doc.text.splitlines() == ["收到申请5件"] * (50_000 // len("收到申请5件\n"))
    monkeypatch.undo()
    assert doc == _whole(monkeypatch, data, limits)


def test_tiny_paragraphs_short_of_the_limit_are_read_to_the_end_of_what_is_left(monkeypatch):
    """Mostly empty paragraphs: no prefix reaches the limit, so the prefix grows to the whole part."""
    body = ("<w:p/>" * 500 + _p("一")) * 200 + _p("最后一段")
    data = H.docx_from_body(body)[:-200]
    monkeypatch.setattr(D, "_SALVAGE_FIRST", 1_000)
    parsed: list[int] = []
    prefix = D._MemberInflater.prefix
    monkeypatch.setattr(D._MemberInflater, "prefix", lambda self, size: parsed.append(size) or prefix(self, size))
    doc = read_source(data, "a.docx", limits=ReaderLimits(max_text_chars=1_000))
    assert parsed and max(parsed) < len(body)  # prefixes tried, each short of the limit
    assert doc.text.endswith("一\n\n一\n最后一段") and doc.text.splitlines().count("一") == 200
    assert "上限" not in "".join(doc.problems)
    assert doc == _whole(monkeypatch, data, ReaderLimits(max_text_chars=1_000))


def test_a_damaged_part_past_the_inflation_limit_says_so_when_read_whole():
    name, data = H.damaged_paragraphs_docx(2, text="")
    limits = ReaderLimits(max_decompressed_bytes=500_000)
    doc = read_source(data, name, limits=limits)
    assert doc.text == "" and doc.problems[0].endswith("；正文解压后超过0.5 MB的上限，其后的内容没有读取")


def _old_inflate(raw: bytes, max_bytes: int) -> tuple[bytes, bool]:
    """The salvage's inflation before the prefix: the whole at once, or, on an error, 4 KiB steps."""
    inflater = zlib.decompressobj(-15)
    try:
        chunk = inflater.decompress(raw, max_bytes)
        return chunk, bool(inflater.unconsumed_tail)
    except zlib.error:
        pass
    out = bytearray()
    inflater = zlib.decompressobj(-15)
    for i in range(0, len(raw), 4096):
        try:
            out += inflater.decompress(raw[i : i + 4096], max_bytes - len(out) + 1)
        except zlib.error:
            break
        if len(out) > max_bytes:
            return bytes(out[:max_bytes]), True
    return bytes(out), False


@pytest.mark.parametrize("seed", range(12))
def test_the_inflation_on_demand_gives_the_bytes_the_whole_inflation_gave(seed):
    import random

    rng = random.Random(seed)
    plain = "".join(_p(f"第{i}段{rng.random()}") for i in range(4000)).encode()
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = bytearray(compressor.compress(plain) + compressor.flush())
    if seed % 3 == 1:
        raw = raw[: rng.randrange(len(raw) // 4, len(raw))]  # cut
    elif seed % 3 == 2:
        raw[rng.randrange(len(raw) // 4, len(raw))] ^= 0x5A  # damaged
    for max_bytes in (10_000, 100_000, len(plain) - 1, len(plain), 10**9):
        member = D._MemberInflater(bytes(raw), 8, max_bytes)
        sizes = [rng.randrange(1, 200_000) for _ in range(3)]
        prefixes = [(size, member.inflate_to(size), member.prefix(size)) for size in sorted(sizes)]
        expected, cut = _old_inflate(bytes(raw), max_bytes)
        text = expected.decode("utf-8", errors="replace")
        for size, more, prefix in prefixes:
            assert more == (len(expected) > size)
            assert prefix == expected[:size].decode("utf-8", errors="replace")
        assert member.whole() == (text, cut)


def test_an_item_past_the_limit_that_runs_past_the_prefix_sends_the_part_to_be_read_whole(monkeypatch):
    """A paragraph longer than the probe passes the limit there, cut by the probe's end: what
    the whole part's parse makes of it is not known from the probe, so the part is read whole."""
    body = _p("前言") + "<w:p><w:r><w:t>" + "字" * 200_000 + "</w:t></w:r></w:p>" + _p("后文") * 10
    data = H.docx_from_body(body)[:-200]
    limits = ReaderLimits(max_text_chars=1_000)
    parsed: list[int] = []
    prefix = D._MemberInflater.prefix
    monkeypatch.setattr(D._MemberInflater, "prefix", lambda self, size: parsed.append(size) or prefix(self, size))
    doc = read_source(data, "a.docx", limits=limits)
    assert parsed == [D._SALVAGE_FIRST]  # the probe only, then the whole part
    assert doc.text == "前言" and "文字超过1000个字符的上限，其后的内容没有读取" in doc.problems
    monkeypatch.undo()
    assert doc == _whole(monkeypatch, data, limits)
