"""Text decoding: BOMs, UTF-16 by its zero bytes, strict UTF-8, a declared charset, charset-normalizer, GB18030 last."""

from __future__ import annotations

import re

_GB_FAMILY = {
    "gb2312",
    "gbk",
    "cp936",
    "gb18030",
    "x-gbk",
    "euc-cn",
    "ms936",
    "936",
    "csgb2312",
    "gb-2312-80",
    "chinese",
}
_BIG5_FAMILY = {"big5", "big5-tw", "csbig5", "cp950", "ms950", "x-x-big5"}


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def _codec_name(label: str) -> str | None:
    """A Python codec for an encoding label; the GB family always decodes as GB18030."""
    import codecs

    low = label.strip().lower().replace("_", "-")
    if low in _GB_FAMILY:
        return "gb18030"
    if low in _BIG5_FAMILY:
        return "big5"  # cp950 and big5hkscs are tried as fallbacks when big5 fails
    try:
        return codecs.lookup(low).name
    except LookupError:
        return None


def _decode_text(data: bytes, *, html: bool = False) -> tuple[str, str | None, list[str]]:
    """Decode bytes to text: (text, codec used, problems). Line endings become ``\\n``."""
    text, encoding, problems = _decode_raw(data, html=html)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
        problems.append("文件中含有空字符（NUL），已删除")
    return text, encoding, problems


def _decode_raw(data: bytes, *, html: bool) -> tuple[str, str | None, list[str]]:
    if not data:
        return "", None, []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
                if codec == "gb18030":
                    text = text[1:] if text.startswith("\ufeff") else text
                return text, "utf-8" if codec == "utf-8-sig" else codec, []
            except UnicodeDecodeError:
                text = data.decode(codec, errors="replace")
                return text, codec, ["部分字符无法按文件声明的编码解码，已替换为�"]

    utf16 = _sniff_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), utf16, []
        except UnicodeDecodeError:
            pass

    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        # a file cut in the middle of its last character is still UTF-8
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return data[: exc.start].decode("utf-8"), "utf-8", ["文件末尾有不完整的字符（文件可能被截断），已忽略"]

    if html or b"<meta" in data[:4096].lower():
        m = _META_CHARSET.search(data[:8192])
        if m:
            codec = _codec_name(m.group(1).decode("ascii", "ignore"))
            if codec and codec not in ("utf-8",):
                try:
                    return data.decode(codec), codec, []
                except (UnicodeDecodeError, LookupError):
                    pass

    detected = _detect_with_charset_normalizer(data, chinese=True)
    for codec in dict.fromkeys(c for c in (detected, "gb18030", "big5", "cp950", "big5hkscs") if c):
        try:
            return data.decode(codec), codec, []
        except (UnicodeDecodeError, LookupError):
            continue
    other = _detect_with_charset_normalizer(data, chinese=False)
    if other:
        try:
            return data.decode(other), other, []
        except (UnicodeDecodeError, LookupError):
            pass
    codec = detected or "gb18030"
    try:
        text = data.decode(codec, errors="replace")
    except LookupError:
        codec = "gb18030"
        text = data.decode(codec, errors="replace")
    return text, codec, [f"文本编码无法确定，已按{codec.upper()}读取，部分字符已替换为�"]


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM, recognised by its zero bytes (ASCII text: every other byte)."""
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 8:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > 3 * max(even, 1) and odd >= len(sample) // 8:
        return "utf-16-le"
    if even > 3 * max(odd, 1) and even >= len(sample) // 8:
        return "utf-16-be"
    return None


_CHINESE_CODECS = ["utf_8", "gb18030", "big5", "cp950", "big5hkscs"]
_UTF16_CODECS = ["utf_16_le", "utf_16_be"]


def _detect_with_charset_normalizer(data: bytes, *, chinese: bool) -> str | None:
    """charset-normalizer's guess, first among the encodings Chinese reports come in.

    Unrestricted, short Chinese texts come out as Korean or Japanese code pages: the caller asks
    with ``chinese=True`` first and tries the rest only when no Chinese encoding decodes the bytes.
    """
    try:
        from charset_normalizer import from_bytes
    except Exception:  # pragma: no cover - installed with the project
        return None
    sample = data
    if len(data) > 1_000_000:
        # detection on a prefix cut at a line break (ASCII-safe in GB18030, Big5 and UTF-8)
        cut = data.rfind(b"\n", 0, 1_000_000)
        sample = data[: cut + 1] if cut > 0 else data[:1_000_000]
    if chinese:
        utf16 = len(sample) >= 20 and len(sample) % 2 == 0  # shorter: UTF-16 guesses are mostly wrong
        isolation: list[str] | None = _CHINESE_CODECS + (_UTF16_CODECS if utf16 else [])
    else:
        isolation = None
    try:
        best = from_bytes(sample, cp_isolation=isolation).best()
    except Exception:
        return None
    return _codec_name(best.encoding) if best is not None else None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # the same characters


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    # the control characters counted as bytes: each is one byte of UTF-8, and no other character
    # has a byte below 0x80 but ASCII itself (a C pass, where a regex tries every character)
    raw = sample.encode("utf-8", "surrogatepass")
    bad = len(raw) - len(raw.translate(None, _CONTROL_BYTES)) + sample.count("\ufffd")
    return bad > max(8, len(sample) // 50)


def _strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)
