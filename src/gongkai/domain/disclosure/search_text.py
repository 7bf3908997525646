"""The text the public search matches: one normal form for the index and the query.

People type a 文号 as 示教规〔2026〕5号, 示教规(2026)5号, 示教规[2026]5号 or 示教规（２０２６）５号; the
document may store any of them. Both sides are brought to one form: Unicode NFKC (full-width
letters, digits, brackets and spaces become their half-width forms), then every bracket pair the
number styles use — （）()[]【】〔〕［］〖〗 — becomes ( ). Letters keep their case: the search compares
case-insensitively already.

The searchable text of a document is its title, 文号, 索引号 and body, one per line, in that form
(``Document.search_text``), so a document is also found by its 索引号.
"""

from __future__ import annotations

import unicodedata

_OPEN = "（([【〔［〖"
_CLOSE = "）)]】〕］〗"
_BRACKETS = str.maketrans({**{c: "(" for c in _OPEN}, **{c: ")" for c in _CLOSE}})


def normalise(text: str) -> str:
    """示教规〔２０２６〕5号 → 示教规(2026)5号."""
    return unicodedata.normalize("NFKC", text or "").translate(_BRACKETS)


def search_text(*, title: str, doc_number: str, index_number: str, body: str) -> str:
    """What a document is searched by, normalised."""
    return normalise("\n".join((title, doc_number, index_number, body)))


def aligned(text: str) -> str:
    """``text`` normalised character by character, keeping its length (a character whose normal
    form is longer stays as it is): a match found in it is at the same place in ``text``, which
    is how the results page marks a normalised query in the original words."""
    out = []
    for ch in text or "":
        n = normalise(ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)
