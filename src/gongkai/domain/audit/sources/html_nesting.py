"""HTML before parsing: how deep the page's block elements nest, and the crude reading of a page
nested too deep for the parser (Lexbor's parse time grows with depth × elements).

Apart from the walk of html.py because it runs on the page's text, before any tree exists, and
shares nothing with the walk."""

from __future__ import annotations

import re
from html import unescape as _html_unescape
from typing import Any

from gongkai.domain.audit.limits import ReaderLimits
from gongkai.domain.audit.model import RawDocument
from gongkai.domain.audit.sources.build import _BLANKS, _SCRIPT_ELEMENT, _Builder

_NESTING_NAMES = (
    "div|ul|ol|dl|section|article|aside|nav|header|footer|main|blockquote|center|fieldset|figure|form|"
    "details|dialog|menu|dir|address|hgroup|pre|listing"
).split("|")
_NESTING_TAG = re.compile(r"<(/?)(" + "|".join(_NESTING_NAMES) + r")[\s/>]", re.IGNORECASE)
_NESTING_TAG_LOWER = re.compile(_NESTING_TAG.pattern)
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")  # İ ı ſ K
_MAX_BLOCK_DEPTH = 2000
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(
    r"<\s*/?\s*(p|div|br|hr|li|tr|h[1-6]|table|section|article|ul|ol|dl|dt|dd|blockquote|pre|center|form)\b[^>]*>",
    re.IGNORECASE,
)


def _name_trie(names: list[str]) -> str:
    """An alternation matching exactly ``names``, factored by their first letters
    (``d(?:i(?:alog|r|v)|l)``); no name is a prefix of another."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(name[0], []).append(name[1:])
    return "|".join(
        re.escape(first + rest[0]) if len(rest) == 1 else f"{re.escape(first)}(?:{_name_trie(rest)})"
        for first, rest in sorted(groups.items())
    )


# what \s of a str pattern matches (tests/unit/audit/test_sources.py checks it against re)
_STR_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
# the same matches as _NESTING_TAG_LOWER on the lower-cased page, over its UTF-8 bytes lower-cased
# (ASCII only: no str.lower(), and half the bytes of a page's UCS-2 characters to scan); the white
# space after the name is \s of the str pattern, the spaces outside ASCII as their byte sequences
# (the names as a trie: sre tries the alternatives one by one at every "<" of the page, ~10,000 on a
# CMS page, and a failed first letter now costs one test per letter instead of one per name)
_NESTING_TAG_BYTES = re.compile(
    b"<(/?)(?:"
    + _name_trie(_NESTING_NAMES).encode()
    + b")(?:[/>"
    + re.escape("".join(c for c in _STR_SPACES if c < "\x80")).encode()
    + b"]|"
    + b"|".join(re.escape(c.encode()) for c in _STR_SPACES if c >= "\x80")
    + b")"
)


# the same scan telling the names opened too (a name group: a tuple a match, so only on pages of
# up to this many "<": a hostile page of hundreds of thousands of tags keeps the cheap list)
_NESTING_TAG_NAMED = re.compile(_NESTING_TAG_BYTES.pattern.replace(b"<(/?)(?:", b"<(/?)(", 1))
_MAX_NAMED_TAGS = 50_000


def _utf8(text: str) -> bytes | None:
    """The page's UTF-8 bytes (None: it holds a lone surrogate)."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _lowered(text: str, utf8: bytes | None = None) -> bytes | None:
    """The page's UTF-8 bytes with ASCII letters lower-cased, when that is what lower-casing the
    page and encoding it gives as far as ASCII goes (None: it holds one of the four letters that
    match or lower-case to an ASCII letter otherwise, or a lone surrogate). ``utf8``: the page's
    UTF-8 bytes when the caller has them already."""
    if utf8 is None:
        utf8 = _utf8(text)
        if utf8 is None:
            return None
    # (İ, ı and ſ are the only characters of the four whose UTF-8 starts C4 or C5, bytes a Chinese
    # page hardly holds: looked for in the str only when one is there)
    if (b"\xc4" in utf8 or b"\xc5" in utf8 or "\u212a" in text) and any(c in text for c in _FOLDS_TO_ASCII):
        return None
    return utf8.lower()


def _block_depth(text: str, lowered: bytes | None) -> int:
    """How deep block elements nest (Lexbor's parse time grows with depth × elements)."""
    if lowered is not None:
        # without the four letters the same matches in the lower-cased page without IGNORECASE,
        # found in its bytes (no str.lower(), half the bytes of a UCS-2 page to scan)
        closings = _NESTING_TAG_BYTES.findall(lowered)
    elif any(c in text for c in _FOLDS_TO_ASCII):
        closings = [m.group(1) for m in _NESTING_TAG.finditer(text)]
    else:  # a lone surrogate
        closings = [m.group(1) for m in _NESTING_TAG_LOWER.finditer(text.lower())]
    return _depth_of(closings)


def _nesting(text: str, lowered: bytes | None, tags: int) -> tuple[int, frozenset[bytes] | None]:
    """How deep block elements nest (:func:`_block_depth`), and the names of those opened in the
    page (lower-case, None: not told). ``tags``: at least the number of "<" in the page."""
    if lowered is None or tags > _MAX_NAMED_TAGS:
        return _block_depth(text, lowered), None
    found = _NESTING_TAG_NAMED.findall(lowered)
    return _depth_of([closing for closing, _ in found]), frozenset(name for closing, name in found if not closing)


def _depth_of(closings: list[Any]) -> int:
    """The deepest nesting of the tags (an empty closing mark: an opening tag), up to one past the
    limit."""
    depth = deepest = 0
    for closing in closings:
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > _MAX_BLOCK_DEPTH:
                    break
    return deepest


def _html_as_text(text: str, encoding: str | None, name: str, problem: str, limits: ReaderLimits) -> RawDocument:
    """Crude reading of markup the parser cannot take: block tags → line breaks, tags dropped."""
    text = _SCRIPT_ELEMENT.sub("", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _html_unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [_BLANKS.sub(" ", ln).strip() for ln in text.split("\n")]
    out = _Builder(limits)
    for line in lines:
        out.line(line) if line else out.blank()
    result, _ = out.result()
    return RawDocument(name=name, kind="html", text=result, encoding=encoding, problems=(problem, *out.notes))
