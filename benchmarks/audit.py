"""Benchmark: annual reports audited per second on one core, per input kind; the CLI on a batch.

Targets (issue 15), per core, COLD, the MEAN over a realistic set: 500 text reports of 10-15 KB a
second, 200 HTML pages of ~200 KB, 20 PDFs of ~300 KB; no input slower than 2 s.

Realistic inputs (the headline rows), generated from the annual-report generator of the
degradation harness (``tests/unit/audit/degrade.py``: consistent tables of a random year's format,
customary prose up to the size), the same on any date:

* text: 60 reports of 10-15 KB in the shapes text copies take (tab-separated tables, tables glued
  by a crawler, tables with spaces, the whole report on one line);
* HTML: 20 government CMS pages of 134-352 KB (mean 221 KB): Word-exported tables with an inline
  style on every cell, a menu, a breadcrumb and a long list of related links around the report;
* PDF: 12 of those reports printed by WeasyPrint as published PDFs are (tables with ruling lines
  and merged cells, A4, Noto CJK embedded: 4 pages, ~215 KB), printed up front, not timed.

Rows on the five development samples follow (benchmarks/audit_inputs.py: each sample as
published, GB18030, UTF-16, traditional characters, Big5, re-flattened tables, tabs as spaces; as
an HTML page; printed as a PDF).

Each report goes the whole way a CLI run takes: bytes -> read_source -> normalise -> recognise ->
tables -> prose -> findings -> ``to_json()``, one after another in this process. COLD: the caches
keyed on text (table lines cut into cells, label matches) are emptied before every report
(``gongkai.domain.audit.clear_caches``, not timed): every report is one the process has not seen.
Rates are reports per CPU second of this process (``time.process_time``: one core, whatever else
the machine runs), summed over every report of the set, passes repeated for ``--seconds``; the
worst is the slowest single report in CPU milliseconds. The wall-clock rate is printed beside.

Measured on the development machine (2 cores shared with other sessions, heavily loaded: the
absolute figures move by 20 % or more between runs, and more against a quiet machine), before and
after run back to back, ``--seconds 3 --no-cli``, reports per CPU second (mean) and worst CPU ms:

    input                            before: mean/s  worst ms     after: mean/s  worst ms
    text 10-15 KB (generated)                   196        52               285        67
    HTML 100-300 KB CMS page                     59        64                70        56
    PDF ruled tables (WeasyPrint)                10       153                10       202
    text: the 5 samples, shapes                 352        50               475        46

(before: the reader at 2e08a94; after: the table reading of ``tables/`` and the label matcher
made cheaper, results byte-identical: a line cut into cells once, plain figures decided without
regexes, a fuzzy label scored only against candidates that can still win, fuzzy label parts
looked for only in windows that can hold them. The worst single report is noise of the loaded
machine: each text report's fastest of seven cold passes is under 4.5 ms, 3.2 ms on average.
Text is still short of 500/s: what is left is spread over every stage, tables ~55 %, the rest
being decoding, normalisation, recognition, prose, the rules and the findings.)

Then the PDF reader's table finding (0088412 -> after, byte-identical output; the same inputs
audited by the reader of each commit in turn, cold, CPU, two interleaved rounds, mean/s and worst
ms): PDF 9.9/s, 127 ms -> 11.3/s, 117 ms; text and HTML unchanged (their readers were not touched:
~285/s and ~70/s, the rounds differing by more than any change). A ruled table's cells are found
without pdfplumber's quadratic scan of later points, grouped into tables in one pass per round,
each character's centre is computed once per page, and a cell of one character (two thirds of
them) takes its text without clustering. What is left of a PDF's ~90 ms: PDFium loading and
laying out the pages (C, ~30 ms), the per-character calls into PDFium (~15 ms), pdfplumber's
edge finding and text layout between tables (~15 ms), pdfminer parsing the document structure
(~6 ms), the audit of the text (~5 ms). This benchmark run once each way (``--seconds 2
--no-cli``, the machine loaded to a third of its wall-clock rate) printed 270/s, 64/s and 11/s (worst 7, 67 and 135 ms)
where 0088412 printed 224/s, 65/s and 10/s (worst 51, 57 and 147 ms) just before it.

Then the text path made cheaper again (fcf538d -> after, output byte-identical: the realistic
text and HTML inputs, ``gongkai audit --json`` on the samples, the degradation table). Most
labels are written exactly as printed and are matched by a dict of the official labels, and an
official label tried among entries of other kinds (a row label tried as a column first) is
matched once per format; a run-together header longer than any label can match is not ranked;
plain figure cells of a tab row are told without ``_is_value``, a tab row with one cell per
column is read without the row cache, a line of one word is split without the joining pass;
label parts are not searched in a window of figures only; table 三's column rules run without a
closure per column; an unchanged text's offsets are a ``range``; the sniffer counts control
characters on the UTF-8 bytes in one C pass. Measured back to back, interleaved, CPU, cold; the
machine loaded to a third of its wall-clock rate, so first the fastest of five cold passes per
report (mean over the set, three rounds each way, the sturdier figure on a loaded machine):

    input                            before: ms/report (/s)   after: ms/report (/s)
    text 10-15 KB (generated)              2.75-3.00 (~350)         2.36-2.45 (~415)
      tab rows / glued / one line / spaces  2.3 / 3.4 / 3.1 / 2.7    2.0 / 2.9 / 2.6 / 2.3
    HTML 100-300 KB CMS page             13.8-16.2 (~67)          11.8-12.0 (~84)

and this benchmark (``--seconds 3 --no-cli --no-pdf``, two interleaved rounds; mean/s and worst
ms, the rounds differing by more than the change): text 250 and 192/s (worst 13 and 22 ms) ->
258 and 372/s (worst 20 and 13 ms); HTML 54 and 58/s (worst 45 and 36 ms) -> 54 and 77/s (worst
45 and 31 ms). Text is still short of 500/s (2 ms): no stage holds more than ~5 % of a report
any more. Of ~2.4 ms, the tables take ~1.1 ms (cutting lines into cells and making the cells
~0.3 ms, the readings of glued rows, re-lining one-line tables, table 二), the rest is spread
over recognition (~0.2 ms: the heading scan, the format evidence), normalisation and the line
list (~0.2 ms), the prose figures (~0.15 ms), the consistency rules (~0.15 ms), the doubled-word
scan of the narrative (~0.1 ms, one regex), decoding and the plain-text reader (~0.1 ms), the
findings and ``to_json``.

Then the HTML reader (fcf538d -> after, issue 15; read_source and the audit byte-identical on
the 20 CMS pages, the HTML of audit_inputs, 300 degradation pages, the 289 pages the unit tests
read, 800 random pages and the samples). ``_read_html`` alone, best of six interleaved passes per
page, CPU, two rounds: 7.5 -> 5.4 ms a page on average, the slowest (352 KB) 12.5 -> 9.3 ms. This
benchmark run back to back twice each way (``--seconds 2 --no-cli --no-pdf``, the machine loaded
to a quarter of its wall-clock rate), HTML CMS page mean/s and worst ms: before 67 and 47/s (36
and 46 ms), after 80 and 71/s (29 and 48 ms); the rounds differ by more than text or the samples
moved. What changed: the nesting scan runs over the page's UTF-8 bytes lower-cased instead of a
lower-cased str (1.1 -> 0.7 ms), the chrome look-up decides each (class, id) pair once (a CMS page
repeats MsoNormal hundreds of times), the inline-only checks of leaf blocks and cells look at
elements only, white space is collapsed by the regex only in lines that have some to collapse
(the regex costs about a microsecond on a CJK line), a table without spans skips the span grid,
and cell attributes are not read when the page never says colspan or rowspan. What is left of a
page's ~5 ms: Lexbor's parse (~1 ms), the nesting scan (~0.5 ms, a guard against pages nested
too deep to parse), the chrome look-up (~1 ms: the page's text for its size, the elements with a
class or id), the tables (~1.2 ms: a cell's text and shape, ~400 cells), and the walk of the
blocks (~1.3 ms, mostly the ~600 list items of the related-links list, ~2 µs each: their shape,
their text, their line). Lexbor's selector engine was tried for the shapes (``:has``): the leaf blocks
holding a non-inline element, one selector over the ~75 tag names, took 1.4 ms a page, more than
the Python it would replace; and in selectolax 1.0 ``:is()`` as the subject inside ``:has()``, or
as the ancestor of a descendant combinator, matched one level down only.

Then the PDF reader again (fcf538d -> after, output byte-identical: 123 PDFs dumped before and
after, and ``benchmarks/audit_pdf_compare.py --against fcf538d`` on 65 reports, 22,229 cells, 0
differences). A character's matrix and font size are asked of PDFium once per text object (two
calls a character instead of four), the generated and unmapped characters found from the page's
text in one pass; pdfplumber's table edges (snap, join, crossings) and its default text layout of
upright characters are computed on the values they compare, the same comparisons in the same
order, instead of through its generic code over dicts copied at every step (checked against
pdfplumber on random rulings and characters: tests/unit/audit/test_pdf_layout.py); a table row's
characters and a vertical edge's crossings are looked for by bisection. This benchmark, the two
trees' ``benchmarks/audit.py --seconds 3 --no-cli`` run in turn, base, after, base, after (CPU,
heavily loaded machine), PDF ruled tables mean/s and worst ms:

    fcf538d:  12/s 166 ms, 11/s 130 ms   (an earlier pair of rounds: 9/s 157 ms, 11/s 131 ms)
    after:    15/s 105 ms, 16/s 104 ms   (14/s 115 ms, 15/s 107 ms, two commits before the last)

and ``audit_pdf_compare.py -n 60 --against fcf538d`` (fastest of two rounds per PDF, CPU): the
whole audit 88.7 -> 68.7 ms a PDF (11.3 -> 14.5/s), worst 128 -> 103 ms; on a quieter machine
(12 reports + 5 samples) 67.9 -> 55.0 ms (14.7 -> 18.2/s). Still short of 20/s. What is left of a
report's ~55 ms there: PDFium loading the pages and their text pages (C, ~24 ms, growing with
the characters, not the objects: a page of prose, 38 objects, takes longer than a page of tables
with 767), the calls for each character into PDFium and its dict
(~7.5 ms), the calls for each path (~5 ms: 760 rules of two segments, 13 calls each), pdfminer
parsing the document's object stream for the page boxes (~5.5 ms: PDFium gives the boxes only in
single precision, and every coordinate is measured from them), the check of the inflated size
(~2.6 ms, zlib), the table finding (~2.5 ms), the text layout and cell text (~5 ms), the audit of
the text (~3.5 ms).

Then the text path again (2026-12-07, c441783 -> after, output byte-identical: the 60
realistic text inputs, the samples' shapes and 800 more generated reports of every damage kind
dumped with ``to_json``, ``gongkai audit --json`` on the samples, the degradation table at -n
300). A glued table 二 row's readings are narrowed by the error rules that read that row alone
(``consistency.row_breaks_error_rule``: the positions of ``FormatPlan.in_row``, decided as
``audit`` decides them; a test holds it to ``evaluate`` on random rows) instead of a whole
audit, every rule and an unchecked message for each empty cell, per reading (~10 % of the text
time); table 三's column rules are decided once for the lost-figure and the distrust checks, and
their relaxation (sets of sums) is not asked when no row is left open (it asks the same sums);
whether a label's core has a digit is known per format, not worked out per label per line when
re-lining; a row's cell names are made once per format; the blank-cell convention skips a row
with every cell written. Fastest of five cold passes per report, CPU, mean over the set, base
and after run in turn on the machine loaded by six other sessions (three pairs of rounds):

    base  c441783:  2.70-2.90 ms (~355/s)      after:  2.40-2.48 ms (~410/s)
      tab rows / one line / glued / spaces: 2.0-2.2 / 3.6-3.8 / 3.5-3.7 / 2.4-2.6
                                      ->    2.0-2.1 / 2.7-2.9 / 2.9-3.2 / 2.35-2.5

This benchmark (``--seconds 3 --no-cli --no-pdf``, base, after, base, after) printed text 213,
289, 311 and 300/s: on a machine this loaded the rows move by more than the change. Still short
of 500/s. What is left is spread thin: for a report of tab rows (~2 ms) cutting ~50 table lines
into cells (~0.3 ms, ~6 µs a line, a third of it making the cells), recognition (~0.25 ms: the
heading scan, 22 look-ups of the format's phrases), decoding (~0.2 ms), normalisation (~0.15
ms), the prose figures (~0.15 ms), the rules (~0.1 ms), the doubled-word regex (~0.1 ms); a glued
or one-line report adds the readings of its digit runs (~0.4 ms), re-lining (~0.2 ms) and the
fuzzy matching of its run-together headers (~0.3 ms, bit-vector edit distances in Python).

2026-12-07, the PDF reader again (c441783 -> after, output byte-identical: read_source and the
audit JSON of 242 PDFs dumped before and after each step (the 12 reports and 5 samples, the
samples with their page chrome, 48 more reports, 100 degradation cases printed, the unit tests'
PDFs, rotated, cropped, moved, truncated and repaired variants), and ``audit_pdf_compare.py
--against c441783`` on 65 reports, 22,229 cells, 0 differences). pdfminer no longer opens a
document PDFium reads every page of: it parsed the whole object stream holding the catalog (font
widths and all) for the page boxes, ~5.5 ms; PDFium gives the boxes in single precision only,
which does not keep what WeasyPrint writes (595.275591 841.889764: the shortest decimal of the
float32 is 595.2756), so each page's box is the one /MediaBox array of the file and its object
streams (inflated anyway by the inflated-size check) whose single-precision value is PDFium's,
and pdfminer opens the document as before whenever anything could hide a box from that scan, a
page is rotated, cropped or not simple, or PDFium repaired the file (214 of the 242 PDFs are read
without it). The calls for each character and path segment bind PDFium without argument types
(no conversion per argument), pages and text pages are PDFium's raw handles, and a word's top
and text are gathered as its characters are met. ``audit_pdf_compare.py -n 12 --against
c441783 --rounds 3`` (fastest round per PDF, CPU, the whole audit): 55.4 -> 48.2 ms (18.1 ->
20.8/s) and, in an earlier run, 59.0 -> 47.4 ms (16.9 -> 21.1/s); with ``-n 60 --rounds 2`` on
a more loaded machine 72.1 -> 56.6 ms (13.9 -> 17.7/s). This benchmark, both trees' ``--seconds 3
--no-cli`` in turn, base, after, base, after, the machine so loaded that the text row printed
~245/s: PDF ruled tables 13/s 131 ms, 16/s 122 ms, 13/s 133 ms, 15/s 100 ms (mean/s, worst ms).
What is left of a report's ~48 ms: PDFium loading the pages and their text pages (C, ~24 ms),
the calls for each character and its dict (~7 ms), the calls for each path (~4 ms), the table
finding, text layout and cell text (~8 ms), the inflated-size check (~2.8 ms, zlib), the audit
of the text (~3 ms).

Then the HTML reader again (2026-12-07, c441783 -> after, issue 15; read_source, _read_html and
the audit byte-identical on the 20 CMS pages, the HTML of audit_inputs, 300 degradation pages, 60
more CMS pages of 20-320 KB, 1,600 random pages (800 of them under small limits) and the 290 pages
the unit tests read; 6,000 more random pages, each under two sets of limits, read by both readers
in one process; the degradation table, ``gongkai audit --json`` on the samples and the hostile
HTML inputs of audit_hostile.py unchanged). Measured with both readers in one
process, interleaved, cold, CPU, on the loaded machine: ``_read_html`` alone, best of ten passes
per page, two rounds, 5.16 and 5.16 -> 3.91 and 3.87 ms a page (the slowest 8.8 -> 6.8 ms); the
whole audit of the 20 pages (bytes -> ``to_json``), best of six, two rounds, 9.4 and 9.8 -> 8.1
and 8.5 ms (107 and 102 -> 124 and 117/s). This benchmark, the two trees run in turn, base,
after, base, after (``--seconds 3 --no-cli --no-pdf``, load average ~3 on 2 cores), HTML CMS
page mean/s and worst ms: 83 and 71/s (31 and 32 ms) -> 97 and 97/s (27 and 29 ms). What
changed: the page is parsed from the UTF-8 bytes the nesting scan makes (one encoding instead of
two), whose tag names are a trie (0.44 -> 0.33 ms); the page is no longer searched for "colspan"
and "rowspan" (0.2 ms on a CMS page): a table's cells have their attributes read where the
selector engine finds either in the table; the four letters folding to ASCII are looked for in
the str only where the UTF-8 holds a byte they start with; the chrome look-up lets the selector
engine leave out the elements whose only name is a Word class (MsoNormal…, hundreds a page: 516
-> 66 elements read in Python, at no cost to the engine; the count of candidates still counts an
element once per selector it matches, as Lexbor lists it), asks for nav/header/footer/aside only
where the nesting scan met such a tag, and counts the size of a too-big piece before copying it
without white space (1.1 -> 0.45 ms); the walk, the rows and the cells tell an element by its
tag_id (a page's own numbers, kept per page) instead of its name, a leaf block's inline check and
line are made in the walk itself (a related-links item 2.7 -> 1.4 µs), and a table without spans
keeps its printable cells as they are (clean already). What is left of ~3.9 ms: Lexbor's parse
(~0.9 ms), the nesting scan (~0.5 ms with the encoding), the chrome look-up (~0.45 ms: the page's
text, the selector pass, ~65 elements), the tables (~0.6 ms, ~400 cells: a cell's shape and two
text() calls), the walk of the ~570 related-links items (~0.8 ms: their shape, their text, their
line). The Python API of selectolax costs ~0.05-0.1 µs a node touched, and Lexbor's ``:has()``
and long selector lists (76 tag names: 1.7 ms a page) cost more than the Python they would
replace; 200 pages/s wants the audit of the text (~4 ms of the ~8) faster as well.

An experiment, not shipped (2026-12-07): the pure modules of the text path (``tables/``,
``labels``, ``recognise``, ``normalise``, ``prose``, ``checks_prose``, ``findings``, ``model``,
``sources/text``, ``decode``, ``sniff`` and ``consistency/``, 26 modules) compiled with mypyc
(mypy 2.4.1) in a scratch copy, output identical (the to_json of 120 inputs, the degradation
table at -n 300), after 16 small typing edits (mypyc compiles only what mypy accepts, and checks
annotations at run time: a ``sum`` silenced with ``# type: ignore`` raised on floats). Fastest of
five cold passes per report, four rounds each way, loaded machine: text 2.35-2.55 ms pure ->
1.66-1.79 ms compiled (about 1.4x; 557-601/s); this benchmark's text row 309-382/s pure ->
439-495/s compiled; HTML ~5 % (its reader and selectolax are not compiled). A clean build takes
~80 s of CPU and any edit rebuilds everything; a compiled module shadows its edited ``.py``
silently, cannot be monkeypatched or profiled, and its frozen dataclasses do not pickle. So it
is an option for a deploy build gated by mypy, not for ``make setup``; it would not reach the
HTML or PDF targets.

Last, the CLI on a batch: ``gongkai audit --json`` on ``--batch`` text files (the text inputs
repeated under distinct names) as a fresh process, which audits them in worker processes, one per
core; wall clock from start to exit, interpreter start-up included (best of two runs).

    .venv/bin/python benchmarks/audit.py [--seconds 3] [--batch 500] [--no-pdf] [--no-cli] [--profile KIND]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks import audit_inputs as inputs  # noqa: E402
from gongkai.domain.audit import audit_bytes, clear_caches  # noqa: E402
from tests.unit.audit import degrade as D  # noqa: E402

TARGET = 500  # text reports (10-15 KB) per second per core, mean, cold
HTML_TARGET = 200  # ~200 KB HTML pages
PDF_TARGET = 20  # ~300 KB PDFs

Docs = list[tuple[str, bytes]]


# -- the inputs -------------------------------------------------------------------------------


def text_inputs() -> Docs:
    out: Docs = []
    for stem, text in inputs.load_samples():
        out.append((f"{stem}.txt", text.encode("utf-8")))
        out.append((f"{stem}.gb18030.txt", inputs.to_gb18030(text)))
        out.append((f"{stem}.utf16.txt", text.encode("utf-16")))
        traditional = inputs.to_traditional(text)
        out.append((f"{stem}.s2t.txt", traditional.encode("utf-8")))
        big5 = inputs.to_big5(text)
        if big5 is not None:
            out.append((f"{stem}.big5.txt", big5))
        if inputs.has_table(text):
            out.append((f"{stem}.flat.txt", inputs.flatten_tables(text).encode("utf-8")))
            out.append((f"{stem}.spaces.txt", inputs.tabs_to_spaces(text).encode("utf-8")))
    return out


def html_inputs() -> Docs:
    out: Docs = []
    for stem, text in inputs.load_samples():
        out.append((f"{stem}.html", inputs.to_html(text).encode("utf-8")))
        out.append((f"{stem}.gbk.html", inputs.to_html(text, charset="gbk").encode("gb18030")))
    return out


def realistic_text_inputs(n: int = 60) -> Docs:
    """Generated reports of 10–15 KB (consistent tables, customary prose), in the shapes text
    copies take: tab-separated tables, tables glued by a crawler, the whole report on one line."""
    out: Docs = []
    for seed in range(n):
        content = D.realistic_content(seed, size=10_000 + (seed * 97) % 5_000)
        bs = D.blocks(content)
        shape = ("none", "none", "table_glued", "one_line", "table_spaces")[seed % 5]
        text = D.DAMAGES[shape](bs, random.Random(seed))
        out.append((f"real-{seed:03d}-{shape}.txt", text.encode("utf-8")))
    return out


def realistic_html_inputs(n: int = 20) -> Docs:
    """Generated reports as CMS pages of 100–300 KB (Word-exported tables with an inline style on
    every cell, menus, link lists and footer around the report)."""
    return [
        (
            f"cms-{seed:03d}.html",
            D.as_cms_html(D.blocks(D.realistic_content(seed)), size=80_000 + (seed * 11_003) % 240_000).encode("utf-8"),
        )
        for seed in range(n)
    ]


def realistic_pdf_inputs(n: int = 12) -> Docs:
    """Generated reports of 10–15 KB of text printed by WeasyPrint as published PDFs are: tables
    with ruling lines and merged cells, A4, Noto CJK embedded (4 pages, ~215 KB)."""
    out: Docs = []
    for seed in range(n):
        content = D.realistic_content(seed, size=10_000 + (seed * 97) % 5_000)
        out.append((f"gen-{seed:03d}.pdf", inputs.to_pdf(inputs.to_html(D.as_text(D.blocks(content)), chrome=False))))
    return out


def pdf_inputs() -> Docs:
    return [(f"{stem}.pdf", inputs.to_pdf(inputs.to_html(text, chrome=False))) for stem, text in inputs.load_samples()]


# -- single process ---------------------------------------------------------------------------


def rate(docs: Docs, seconds: float, *, fresh: bool = True) -> tuple[float, float, int, float]:
    """(reports per CPU second, reports per wall-clock second, reports audited, worst ms).

    The MEAN over the set, passes repeated for about ``seconds`` CPU seconds: CPU seconds of this
    process summed over every report (``time.process_time``: one core, whatever else the machine
    runs), divided into the number of reports. ``fresh`` (the default: cold) empties the caches
    before each report, the clearing not counted: every report is one the process has not seen.
    The worst is the slowest single report, in CPU milliseconds.
    """
    total = 0
    cpu_total = 0.0
    wall = 0.0
    worst = 0.0
    while total == 0 or cpu_total < seconds:
        for name, data in docs:
            if fresh:
                clear_caches()
            start, cpu = time.perf_counter(), time.process_time()
            audit_bytes(data, name).to_json()
            used = time.process_time() - cpu
            wall += time.perf_counter() - start
            cpu_total += used
            worst = max(worst, used)
            total += 1
    return total / cpu_total, total / wall, total, worst * 1000


def profiled(fn: Callable[[], object], top: int = 30) -> None:
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


# -- the CLI on a batch -----------------------------------------------------------------------


def cli_run(paths: list[str]) -> float:
    """Wall-clock seconds of ``python -m gongkai.cli audit --json PATHS`` (output discarded)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")])))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "audit", "--json", *paths],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(
            f"gongkai audit exited with {done.returncode}: {done.stderr.decode(errors='replace')[-500:]}"
        )
    return elapsed


def cli_batch(docs: Docs, size: int) -> tuple[float, float]:
    """(wall seconds for the batch, wall seconds for one file), each the best of two runs: the
    one-file run is start-up plus one report (a single file is audited in the main process)."""
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        paths = []
        for i in range(size):
            name, data = docs[i % len(docs)]
            path = Path(tmp) / f"{i:05d}-{name}"
            path.write_bytes(data)
            paths.append(str(path))
        cli_run(paths[:1])  # the first start-up pays for the disk cache
        single = min(cli_run(paths[:1]) for _ in range(2))
        batch = min(cli_run(paths) for _ in range(2))
    return batch, single


# -- main -------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per row (default 3)")
    ap.add_argument("--batch", type=int, default=500, help="text files in the CLI batch (default 500)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF row (no WeasyPrint needed)")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI batch")
    ap.add_argument(
        "--profile", choices=("text", "html", "pdf"), help="print the most expensive functions for one kind"
    )
    args = ap.parse_args()

    kinds: dict[str, Docs] = {
        "real-text": realistic_text_inputs(),
        "real-html": realistic_html_inputs(),
        "text": text_inputs(),
        "html": html_inputs(),
    }
    pdf_build = 0.0
    if not args.no_pdf:
        t = time.perf_counter()
        kinds["real-pdf"] = realistic_pdf_inputs()
        kinds["pdf"] = pdf_inputs()
        pdf_build = time.perf_counter() - t
    for docs in kinds.values():  # warm up: imports, converters, format data, compiled rules
        for name, data in docs:
            audit_bytes(data, name)
    if args.profile:
        key = {"text": "real-text", "html": "real-html", "pdf": "real-pdf"}[args.profile]
        profiled(lambda: rate(kinds[key], args.seconds))
    rows = [
        # label, kind, target (reports/s per core, mean, cold)
        ("text 10-15 KB (generated)", "real-text", TARGET),
        ("HTML 100-300 KB CMS page", "real-html", HTML_TARGET),
        ("PDF ruled tables (WeasyPrint)", "real-pdf", PDF_TARGET),
        ("text: the 5 samples, shapes", "text", None),
        ("HTML: the 5 samples", "html", None),
        ("PDF: the 5 samples", "pdf", None),
    ]
    cores = os.cpu_count() or 1
    print("gongkai audit benchmark: one process, caches cleared before every report (cold), MEAN over the set,")
    print(f"about {args.seconds:g} CPU seconds per row, {cores} CPU(s) on this machine")
    if pdf_build:
        print(f"(the PDFs were printed by WeasyPrint up front in {pdf_build:.1f} s, not timed)")
    print()
    head = f"{'input':<30} {'KB mean':>8} {'reports':>7} {'mean/s per core':>16} {'worst ms':>9} {'wall/s':>7}  target"
    print(head)
    print("-" * len(head))
    failed = False
    for label, kind, target in rows:
        if kind not in kinds:
            continue
        docs = kinds[kind]
        per_core, wall, n, worst = rate(docs, args.seconds)
        kb = sum(len(d) for _, d in docs) / len(docs) / 1024
        verdict = ""
        if target is not None:
            ok = per_core >= target
            failed |= not ok
            verdict = f">= {target}  {'PASS' if ok else 'FAIL'}"
        print(f"{label:<30} {kb:>8.0f} {n:>7} {per_core:>16.0f} {worst:>9.1f} {wall:>7.0f}  {verdict}")
    print()
    if not args.no_cli and args.batch > 0:
        batch, single = cli_batch(kinds["text"], args.batch)  # best of two runs
        print()
        print(
            f"CLI batch: gongkai audit --json on {args.batch} text files, worker processes on {cores} core(s): "
            f"{batch:.2f} s wall clock -> {args.batch / batch:.0f} reports/s"
        )
        steady = batch - single
        if steady > 0:
            print(
                f"  (start-up and one report alone take {single:.2f} s; the rest of the batch ran at {(args.batch - 1) / steady:.0f} reports/s)"
            )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
