"""索引号: the catalogue number every proactively disclosed document carries.

Agencies number their documents by a pattern of their own; the common one is the agency's
organisation code (统一社会信用代码), a slash, the year and a sequence number within the year,
e.g. ``11110199MB0000015X/2026-00012``. The pattern is configurable (:class:`IndexPattern`), in
``str.format`` syntax with these fields:

- ``{agency_code}``: the agency's organisation code;
- ``{year}``: the four-digit year (the year the document was formed);
- ``{seq}`` / ``{seq:05d}``: the sequence number in the year (a width pads with zeros);
- ``{column}``: optional, the column's code (some agencies file by column).

:meth:`IndexPattern.format` builds a number, :meth:`IndexPattern.parse` reads one back (and so
validates it). Uniqueness per agency is the app's job (a unique constraint on the number and on
(agency, year, sequence)).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from gongkai.domain.errors import DomainError

DEFAULT_PATTERN = "{agency_code}/{year}-{seq:05d}"

_FIELD_RE = {
    "agency_code": r"[0-9A-Za-z][0-9A-Za-z\-.]*",
    "year": r"\d{4}",
    "column": r"[0-9A-Za-z][0-9A-Za-z\-_]*",
}
_KNOWN = frozenset({"agency_code", "year", "seq", "column"})
_WIDTH = re.compile(r"^0?(\d{1,2})d$")


class IndexNumberError(DomainError):
    code = "index_number_error"


@dataclass(frozen=True)
class IndexNumberParts:
    agency_code: str
    year: int
    seq: int
    column: str = ""


@dataclass(frozen=True)
class IndexPattern:
    pattern: str = DEFAULT_PATTERN

    def __post_init__(self) -> None:
        _compile(self.pattern)  # raises on a bad pattern

    @property
    def seq_width(self) -> int:
        return _compile(self.pattern)[1]

    @property
    def uses_column(self) -> bool:
        return "column" in _compile(self.pattern)[2]

    def format(self, *, agency_code: str, year: int, seq: int, column: str = "") -> str:
        if not agency_code or not re.fullmatch(_FIELD_RE["agency_code"], agency_code):
            raise IndexNumberError(f"机构代码“{agency_code}”只能由字母、数字、连字符和点组成")
        if not 1000 <= year <= 9999:
            raise IndexNumberError(f"年份“{year}”应为四位数")
        if seq < 1:
            raise IndexNumberError(f"顺序号应从1开始，收到的是{seq}")
        if self.uses_column and not re.fullmatch(_FIELD_RE["column"], column or ""):
            raise IndexNumberError(f"索引号规则含栏目代码，栏目代码“{column}”无效")
        width = self.seq_width
        if width and seq >= 10**width:
            raise IndexNumberError(f"本年度索引号顺序号已超过{10**width - 1}，请调整索引号规则中的位数")
        return self.pattern.format(agency_code=agency_code, year=year, seq=seq, column=column)

    def parse(self, text: str) -> IndexNumberParts:
        """The parts of ``text``, or IndexNumberError (Chinese) if it does not follow the pattern."""
        regex, width, _ = _compile(self.pattern)
        m = regex.fullmatch(text.strip())
        if m is None:
            example = self.format(agency_code="11110000000000000X", year=2026, seq=12, column="gggs")
            raise IndexNumberError(f"索引号“{text}”不符合本机关的索引号规则（{self.pattern}），例如“{example}”")
        groups = m.groupdict()
        seq = int(groups["seq"])
        if seq < 1:
            raise IndexNumberError(f"索引号“{text}”的顺序号应从1开始")
        return IndexNumberParts(groups["agency_code"], int(groups["year"]), seq, groups.get("column") or "")

    def is_valid(self, text: str) -> bool:
        try:
            self.parse(text)
        except IndexNumberError:
            return False
        return True


_CACHE: dict[str, tuple[re.Pattern[str], int, frozenset[str]]] = {}


def _compile(pattern: str) -> tuple[re.Pattern[str], int, frozenset[str]]:
    """(regex with named groups, sequence width or 0, field names) of a pattern; checks it."""
    cached = _CACHE.get(pattern)
    if cached is not None:
        return cached
    parts: list[str] = []
    names: list[str] = []
    width = 0
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as err:
        raise IndexNumberError(f"索引号规则“{pattern}”的格式有误：{err}") from None
    for literal, name, spec, conversion in parsed:
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name not in _KNOWN:
            raise IndexNumberError(
                f"索引号规则中的“{{{name}}}”未知，可用：{{agency_code}}、{{year}}、{{seq}}、{{column}}"
            )
        if name in names:
            raise IndexNumberError(f"索引号规则中的“{{{name}}}”出现了两次")
        if conversion:
            raise IndexNumberError(f"索引号规则中的“{{{name}}}”不能带转换符")
        names.append(name)
        if name == "seq":
            if spec:
                m = _WIDTH.match(spec)
                if m is None:
                    raise IndexNumberError(f"顺序号格式“{spec}”应写作如“05d”")
                width = int(m.group(1))
            parts.append(rf"(?P<seq>\d{{{max(width, 1)},}})")
        else:
            if spec:
                raise IndexNumberError(f"索引号规则中的“{{{name}}}”不能带格式")
            parts.append(f"(?P<{name}>{_FIELD_RE[name]})")
    for required in ("agency_code", "year", "seq"):
        if required not in names:
            raise IndexNumberError(f"索引号规则须包含{{{required}}}")
    # a field followed directly by another would make the number ambiguous
    for literal, name, _spec, _conv in parsed[1:]:
        if name is not None and not literal:
            raise IndexNumberError("索引号规则中的字段之间须有分隔符，如“/”或“-”")
    result = (re.compile("".join(parts)), width, frozenset(names))
    _CACHE[pattern] = result
    return result
