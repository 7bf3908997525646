"""How much of one input the report reader will read: the same limits for every input kind.

A published annual report is a few dozen pages: some 10,000–100,000 characters, three tables of
at most a few dozen rows and ten columns, a few dozen findings. Every limit below is far above
that and far below what makes the reader slow or large: a hostile file (a 41 KB Word file whose
``w:gridSpan`` claims 55 million columns, a zip part that inflates to gigabytes, a table of a
million rows) is read up to the limit and the rest is left out with a problem that says so
(``source_problem``, in Chinese), or in the case of findings with one ``findings_limit`` finding.
Hitting a limit is never an error and never a hang.

The limits apply to every input kind the reader knows (plain text, Markdown, HTML, PDF, Word
.docx, and the unknown/binary files it reads as text):

========================  ===========  ==============================================================
limit                     default      what it bounds
========================  ===========  ==============================================================
``max_input_bytes``       32 MiB       bytes read of a text-like input (text, Markdown, HTML,
                                       unknown); the rest is cut at a line break
``max_decompressed_bytes``  64 MiB     sum of the uncompressed sizes of all parts of a zip-based
                                       input (.docx), checked from the zip directory before any part
                                       is inflated; also the most the salvage of a damaged .docx inflates,
                                       and what a PDF's Flate streams inflate to (checked before parsing)
``max_parts``             1,000        parts (members) of a zip-based input
``max_pages``             500          PDF pages read
``max_table_rows``        2,000        rows of one table (the rest of the table is left out)
``max_table_columns``     200          columns of one table after expanding spans (``colspan``,
                                       ``w:gridSpan``, ``w:gridBefore/After``), Markdown and tab cells
``max_table_cells``       100,000      cells of one table (rows × columns after span expansion)
``max_text_chars``        1,000,000    characters of text read from one input (the rest is left out,
                                       cut at a line break)
``max_html_nodes``        400,000      elements and text nodes of an HTML page visited (a hostile page of
                                       millions of empty elements has no text for ``max_text_chars``
                                       to stop at; a 300 KB report page has some 10,000)
``max_docx_elements``     200,000      paragraphs and tables of a Word body, those in cells and text
                                       boxes too (a hostile body of millions of empty paragraphs has
                                       no text for ``max_text_chars`` to stop at; a 500-page report
                                       has some 20,000 paragraphs, its tables a few thousand cells)
``max_prose_figures``     10,000       figures with a unit read from the prose (a report states a few
                                       hundred; the rest are not compared with the tables)
``max_findings``          1,000        findings listed in one report (errors kept before warnings,
                                       warnings before notes); one more ``findings_limit`` finding
                                       says how many were left out
========================  ===========  ==============================================================

One limit is fixed rather than per call, because the number readers are plain functions used
everywhere: ``MAX_NUMBER_DIGITS`` (30). A digit run longer than that, in prose or in a table cell,
is not a figure (as a float it would be infinite, which no JSON can hold, and beyond 4,300 digits
Python refuses to convert it) and is left unread.

A caller changes them by passing ``ReaderLimits(max_text_chars=…)`` to
:func:`gongkai.domain.audit.audit_bytes`; the web application reads overrides from the setting
``GONGKAI_AUDIT_READER_LIMITS`` (docs/LIMITS.md). Time and memory of the whole audit are bounded
outside the reader: the web application runs each audit in a child process with a wall-clock,
CPU and address-space limit (``gongkai.audits.isolation``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["DEFAULT_LIMITS", "MAX_NUMBER_DIGITS", "ReaderLimits"]

MAX_NUMBER_DIGITS = 30


@dataclass(frozen=True)
class ReaderLimits:
    max_input_bytes: int = 32 * 1024 * 1024
    max_decompressed_bytes: int = 64 * 1024 * 1024
    max_parts: int = 1000
    max_pages: int = 500
    max_table_rows: int = 2000
    max_table_columns: int = 200
    max_table_cells: int = 100_000
    max_text_chars: int = 1_000_000
    max_html_nodes: int = 400_000
    max_docx_elements: int = 200_000
    max_prose_figures: int = 10_000
    max_findings: int = 1000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"ReaderLimits.{f.name} must be a positive integer, not {value!r}")

    def with_overrides(self, overrides: dict[str, Any] | None) -> ReaderLimits:
        """These limits with some changed by name (unknown names are an error, not ignored)."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown reader limits: {', '.join(sorted(unknown))}")
        return replace(self, **{k: int(v) for k, v in overrides.items()})

    def to_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT_LIMITS = ReaderLimits()
