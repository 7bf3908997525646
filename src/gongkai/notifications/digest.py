"""The daily digest's registry: the apps above say what each user has due and overdue.

A source is ``fn(user, today) -> list[str]`` (lines of the digest, empty when nothing is due); the
applications app registers its cases and its units' assignments in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

DigestSource = Callable[[Any, date], list[str]]
_SOURCES: dict[str, DigestSource] = {}


def register_digest_source(name: str, source: DigestSource) -> None:
    _SOURCES[name] = source


def digest_lines(user, today: date) -> list[str]:
    lines: list[str] = []
    for name in sorted(_SOURCES):
        lines.extend(_SOURCES[name](user, today))
    return lines
