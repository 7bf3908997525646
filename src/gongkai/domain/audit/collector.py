"""The findings of one report as they are collected: at most a limit of them, the most severe kept,
and a stage that fails becomes a finding instead of an exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongkai.domain.audit.limits import DEFAULT_LIMITS
from gongkai.domain.audit.model import AuditFinding
from gongkai.domain.audit.normalise import Document

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_SPANS = 40


class Collector:
    """Collects the findings of one report, at most ``limit`` of them (the most severe kept)."""

    def __init__(self, doc: Document, limit: int = DEFAULT_LIMITS.max_findings):
        self.doc = doc
        self.limit = limit
        # one list per severity: concatenated they are the findings sorted by severity, stably
        self.by_severity: dict[int, list[AuditFinding]] = {}
        self.kept = 0
        self.dropped = 0

    @property
    def findings(self) -> list[AuditFinding]:
        return [f for rank in sorted(self.by_severity) for f in self.by_severity[rank]]

    def _room_for(self, rank: int) -> bool:
        """Whether a finding of this rank is kept: there is room, or a less severe one gives way."""
        if self.kept < self.limit:
            return True
        worst = max((r for r, fs in self.by_severity.items() if fs), default=-1)
        if worst <= rank:
            return False
        self.by_severity[worst].pop()
        self.kept -= 1
        self.dropped += 1
        return True

    def add(
        self,
        rule: str,
        severity: str,
        message: str,
        *,
        cells: tuple[str, ...] = (),
        spans: list[tuple[int, int]] | None = None,
        expected: Any = None,
        actual: Any = None,
    ) -> None:
        rank = SEVERITY_ORDER.get(severity, 3)
        if not self._room_for(rank):
            self.dropped += 1
            return
        sp = tuple(self.doc.span(a, b) for a, b in (spans or [])[:MAX_SPANS])
        self.by_severity.setdefault(rank, []).append(AuditFinding(rule, severity, message, cells, sp, expected, actual))  # type: ignore[arg-type]
        self.kept += 1

    def guarded(self, stage: str, fn: Callable[[], Any], default: Any = None) -> Any:
        """Run one stage; a failure becomes a ``reader_error`` finding, never an exception."""
        try:
            return fn()
        except Exception as exc:  # noqa: BLE001 - the reader must return a result on any input
            self.add("reader_error", "error", f"读取{stage}时出错（{type(exc).__name__}），该部分未检查")
            return default
