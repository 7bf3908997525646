"""The uploaded sheets of monthly figures, read through :mod:`gongkai.sheet_uploads` with this app's
limits (the same guards as the work orders' import)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from gongkai import sheet_uploads
from gongkai.domain.publicity.importing import MAX_BYTES, SheetError

MAX_COLUMNS = 30
MAX_UNPACKED = 20 * MAX_BYTES


def _limits() -> sheet_uploads.SheetLimits:
    # read at each call, so a test (or a deployment) may set the module's limits
    return sheet_uploads.SheetLimits(MAX_BYTES, MAX_COLUMNS, MAX_UNPACKED, SheetError)


def kind_of(filename: str) -> str:
    return sheet_uploads.kind_of(filename, _limits())


def check_size(content: bytes) -> None:
    sheet_uploads.check_size(content, _limits())


def read_sheet(filename: str, content: bytes) -> tuple[list[Any], Iterator[Sequence[Any]]]:
    """The header row and the data rows (lazily) of the file's first sheet."""
    return sheet_uploads.read_sheet(filename, content, _limits())
