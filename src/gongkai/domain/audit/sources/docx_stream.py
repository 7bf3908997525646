"""Word .docx: the body read while ``word/document.xml`` is parsed, and parsing stopped at the text limit.

python-docx parses the whole of ``word/document.xml`` into one tree before anything is read: a
60 MB body of tiny paragraphs costs about a second and hundreds of MB, though the reader keeps
only its first million characters. Here the package is opened by python-docx as before (the same
content types, relationships and parts, each other XML part parsed and checked as before), only
the main document part is left as bytes; those are fed to lxml in pieces, with python-docx's
parser options and element classes, so every paragraph and table is the same element
python-docx would have made. Each body-level paragraph or table is read when its end tag is
parsed and then dropped, and no more is fed once the text is full, or once more than
``max_docx_elements`` paragraphs and tables (those in cells and text boxes too) have ended (a body
of millions of empty paragraphs has no text to fill); the body-level one they end in is not read.

Whatever this reading cannot vouch for returns ``None``, and the caller reads the file the old
way (python-docx whole), which fails or salvages exactly as before: a package python-docx
refuses, a main part that is not a plain Word document, an XML error before the text limit, a
root that is not ``w:document`` or no ``w:body``. (One difference is deliberate: an XML error
after the text limit is never seen, so the part read is kept rather than the file salvaged.)
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

from gongkai.domain.audit.limits import ReaderLimits
from gongkai.domain.audit.sources.build import _Builder

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _DOCUMENT = f"{_W}body", f"{_W}document"
_CONTAINERS = frozenset((f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}smartTag"))
_P, _TBL = f"{_W}p", f"{_W}tbl"
_ITEMS = (_P, _TBL)

# bytes fed to the parser at a time: the text limit is checked between pieces, so at most this
# much (and the elements it holds) is parsed past it
_PIECE = 64 * 1024

# make_reader(builder, problems) -> read(element, tag): reads one body-level w:p or w:tbl
MakeReader = Callable[[_Builder, list[str]], Callable[[Any, str], None]]


def elements_note(limits: ReaderLimits) -> str:
    """The problem that says the body was cut at ``max_docx_elements`` (every path says the same)."""
    return f"Word文件的段落和表格超过{limits.max_docx_elements}个的上限，其后的内容没有读取"


def read_body_streamed(data: bytes, limits: ReaderLimits, make_reader: MakeReader) -> tuple[_Builder, list[str]] | None:
    """The body of a .docx read into a builder (and the problems met), or ``None``: read it the old way.

    ``make_reader(builder, problems)`` gives the function that reads one body-level ``w:p`` or
    ``w:tbl`` element into them."""
    try:
        xml = main_document_xml(data)
    except Exception:
        return None  # python-docx refuses the package: the old way raises the same error
    if xml is None:
        return None
    try:
        return _read_body(xml, limits, make_reader)
    except Exception:
        return None


def main_document_xml(data: bytes) -> bytes | None:
    """The bytes of the main document part, the package opened as ``docx.Document`` opens it but
    that part not parsed; ``None`` where ``docx.Document`` would refuse the part or be unsure.

    The steps are ``docx.api.Document``'s: ``OpcPackage.open`` (``PackageReader``, then the
    ``Unmarshaller`` with the ``PartFactory`` for every other part), ``main_document_part``, the
    content-type check."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.package import Unmarshaller
    from docx.opc.part import Part, PartFactory
    from docx.opc.pkgreader import PackageReader
    from docx.package import Package

    reader = PackageReader.from_file(io.BytesIO(data))
    main = [srel for uri, srel in reader.iter_srels() if uri == "/" and srel.reltype == RT.OFFICE_DOCUMENT]
    if len(main) != 1 or main[0].is_external:
        return None
    target = main[0].target_partname

    def make_part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
        if partname == target and content_type == CT.WML_DOCUMENT_MAIN:
            return Part.load(partname, content_type, blob, package)  # the blob, unparsed
        return PartFactory(partname, content_type, reltype, blob, package)

    package = Package()
    Unmarshaller.unmarshal(reader, package, make_part)
    part = package.main_document_part
    if part.partname != target or part.content_type != CT.WML_DOCUMENT_MAIN or type(part) is not Part:
        return None
    return part.blob


def _read_body(xml: bytes, limits: ReaderLimits, make_reader: MakeReader) -> tuple[_Builder, list[str]] | None:
    from docx.oxml.parser import element_class_lookup
    from lxml import etree

    # python-docx's parser options (oxml_parser) and element classes: the same tree, piece by piece
    parser = etree.XMLPullParser(events=("end",), tag=(*_ITEMS, _BODY), remove_blank_text=True, resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    out = _Builder(limits)
    problems: list[str] = []
    read = make_reader(out, problems)
    body: Any = None
    done = 0
    seen = 0  # paragraphs and tables ended, those inside others (cells, text boxes) too
    for el in _ends(parser, xml):
        tag = el.tag
        if tag != _BODY:
            seen += 1
            if seen > limits.max_docx_elements:  # (no text to fill, e.g. millions of empty paragraphs)
                if body is None:  # (e.g. a first table of that many paragraphs)
                    body = _first_body(next(el.iterancestors(_BODY), None))
                    if not body:
                        return None
                problems.append(elements_note(limits))
                break
        owner = el.getparent()
        if owner is not body:  # (the usual case, a child of the body itself, asks for no tag)
            while owner is not None and owner.tag in _CONTAINERS:
                owner = owner.getparent()
            if body is None:
                claimed = _first_body(el if tag == _BODY else owner)
                if claimed is False:
                    return None  # no w:document root: python-docx has no body to give
                body = claimed
            if owner is not body or body is None:
                continue  # the body's own end, or an item inside another (a cell, a text box)
        read(el, tag)
        el.clear()
        done += 1
        if not done % 256:  # drop what the body (or a content control) holds before this item
            parent = el.getparent()
            del parent[: parent.index(el)]
        if out.full:  # past the text limit nothing more is kept: stop parsing
            break
    if body is None:
        return None  # no w:body (or an odd one): the old way says so
    return out, list(dict.fromkeys(problems))


def _ends(parser: Any, xml: bytes) -> Iterator[Any]:
    """The elements whose end tag ``parser`` reads in ``xml``, fed piece by piece."""
    for piece in _pieces(xml):
        parser.feed(piece)
        for _, el in parser.read_events():
            yield el
    parser.close()  # (whatever only the end of the input completes)
    for _, el in parser.read_events():
        yield el


def _first_body(candidate: Any) -> Any:
    """``candidate`` if it is the body python-docx reads (the first ``w:body`` of a ``w:document``
    root), ``None`` if it is not (an item elsewhere), ``False`` if the root is not ``w:document``."""
    if candidate is None or candidate.tag != _BODY:
        return None
    root = candidate.getparent()
    if root is None or root.getparent() is not None:
        return None
    if root.tag != _DOCUMENT:
        return False
    return candidate if root.find(_BODY) is candidate else None


def _pieces(xml: bytes) -> Iterator[bytes]:
    """``xml`` in pieces of about ``_PIECE`` bytes, each ending just after a ``>``.

    python-docx's parser drops whitespace-only text (``remove_blank_text``) by a guess that looks
    at the characters after the text; cut only after a ``>``, a whitespace-only text and the
    ``</`` after it are always in the same piece, so the guess is the one a whole parse makes.
    That holds for encodings where ``>`` is one byte of its own (UTF-8 and the other
    ASCII-compatible ones); any other (UTF-16, UTF-32) is fed whole."""
    head = xml[:4]
    if b"\0" in head or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        yield xml
        return
    start = 0
    while start < len(xml):
        end = xml.find(b">", start + _PIECE) + 1 or len(xml)
        yield xml[start:end]
        start = end
