"""What an applicant holds to look a case up (tracking number + query code), and identity masking.

The tracking number is guessable by design (prefix, year, sequence): it is printed on letters and
read out on the phone. The query code is the secret: 8 characters drawn with ``secrets`` from 31
symbols that cannot be misread (no 0/O, 1/I/L), about 40 bits, which the lookup's rate limit makes
far out of reach of guessing. Compare it only with :func:`query_code_matches` (constant time), so a
wrong code takes as long to refuse whatever its first correct characters.
"""

from __future__ import annotations

import hmac
import re
import secrets

from gongkai.domain.errors import DomainError

DEFAULT_PREFIX = "YSQ"  # 依申请
SEQUENCE_WIDTH = 6
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8

_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")


def _check_prefix(prefix: str) -> str:
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        raise DomainError(f"编号前缀“{prefix}”应为1至10位大写字母或数字，且以字母开头")
    return prefix


def tracking_number(year: int, sequence: int, *, prefix: str = DEFAULT_PREFIX, width: int = SEQUENCE_WIDTH) -> str:
    """E.g. ``YSQ-2026-000123``: prefix, year of submission, the year's sequence zero-padded."""
    _check_prefix(prefix)
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise DomainError(f"年份应为四位数字，收到的是“{year}”")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 1 <= sequence < 10**width:
        raise DomainError(f"流水号应为1至{10**width - 1}之间的整数，收到的是“{sequence}”")
    return f"{prefix}-{year}-{sequence:0{width}d}"


def parse_tracking_number(text: str, *, prefix: str = DEFAULT_PREFIX, width: int = SEQUENCE_WIDTH) -> tuple[int, int]:
    """(year, sequence) of a tracking number; spaces and case are forgiven, anything else is refused."""
    _check_prefix(prefix)
    cleaned = re.sub(r"\s+", "", str(text)).upper()
    m = re.fullmatch(rf"{re.escape(prefix)}-(\d{{4}})-(\d{{{width}}})", cleaned)
    if m is None or int(m.group(2)) == 0:
        raise DomainError(f"申请编号格式不正确，应形如{prefix}-2026-{1:0{width}d}")
    return int(m.group(1)), int(m.group(2))


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def is_query_code(text: str) -> bool:
    """Whether ``text`` has the form of a code :func:`new_query_code` makes."""
    return isinstance(text, str) and len(text) == QUERY_CODE_LENGTH and all(c in QUERY_CODE_ALPHABET for c in text)


def normalise_query_code(text: str) -> str:
    """Upper case, without the spaces and hyphens people type when copying a code."""
    return re.sub(r"[\s\-]+", "", str(text)).upper()


def query_code_matches(given: str, stored: str) -> bool:
    """Constant-time comparison of a typed code with the stored one."""
    # Bytes, because compare_digest refuses non-ASCII str and typed input may be anything.
    return hmac.compare_digest(
        normalise_query_code(given).encode("utf-8"), normalise_query_code(stored).encode("utf-8")
    )


_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$")


def mask_identity_number(text: str) -> str:
    """Mask an identity-document number for lists and exports.

    A resident identity card (18 characters) keeps its first 3 (province and city) and last 4, the
    usual practice: ``110***********1234``. Any other document reveals at most a third of its
    characters, split between the start and the end; very short ones are masked entirely.
    """
    s = re.sub(r"\s+", "", str(text or "")).upper()
    if _RESIDENT_ID.match(s):
        head, tail = 3, 4
    else:
        shown = len(s) // 3
        head = shown // 2
        tail = shown - head
    return s[:head] + "*" * (len(s) - head - tail) + (s[len(s) - tail :] if tail else "")
