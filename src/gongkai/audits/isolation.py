"""Run the audit of one report in a child process with a wall-clock, CPU and memory limit.

The reader has its own limits (``gongkai.domain.audit.limits``), but a file the limits did not
foresee must still not take the worker down: the audit runs in ``python -m gongkai.audits.child``,
which caps its address space and CPU time before it reads the file, and the parent kills it
after ``GONGKAI_AUDIT_TIMEOUT_SECONDS``. Whatever happens to the child, the parent gets an
:class:`Outcome`: the result, or a Chinese reason (timeout, memory, crash) to record as the
report's failure. A fresh process per report also means nothing one hostile file did (a huge
heap, a leak in a C library) survives into the next audit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from gongkai.audits import child


@dataclass(frozen=True)
class Outcome:
    payload: dict[str, Any] | None  # result, format, year, agency, text, original
    failure: str = ""  # Chinese, when payload is None


def audit_limits() -> tuple[int, int, dict[str, Any]]:
    """(timeout seconds, memory MB, reader-limit overrides) from the settings."""
    return (
        int(settings.GONGKAI_AUDIT_TIMEOUT_SECONDS),
        int(settings.GONGKAI_AUDIT_MEMORY_MB),
        dict(getattr(settings, "GONGKAI_AUDIT_READER_LIMITS", {}) or {}),
    )


def audit_isolated(data: bytes, name: str, *, timeout: float | None = None, memory_mb: int | None = None) -> Outcome:
    default_timeout, default_memory, overrides = audit_limits()
    timeout = default_timeout if timeout is None else timeout
    memory_mb = default_memory if memory_mb is None else memory_mb
    cpu_seconds = max(1, int(timeout) + 5)
    header = json.dumps({"name": name, "memory_mb": memory_mb, "cpu_seconds": cpu_seconds, "limits": overrides})
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.audits.child", str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        close_fds=True,
    )
    try:
        out, err = proc.communicate(header.encode() + b"\n" + data, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return Outcome(None, f"审计超时：超过{_seconds(timeout)}仍未完成，已终止（文件可能过于复杂或被刻意构造）")
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    code = proc.returncode
    if code == 0:
        try:
            return Outcome(json.loads(out, parse_constant=_refuse))
        except ValueError:
            return Outcome(None, "审计进程返回的结果无法读取")
    if code == child.EXIT_MEMORY or (code == 1 and b"MemoryError" in err[-2000:]):
        return Outcome(None, f"审计所需内存超过上限（{memory_mb} MB），已终止")
    if code == -signal.SIGXCPU:
        return Outcome(None, f"审计占用CPU时间超过上限（{cpu_seconds}秒），已终止")
    if code < 0:
        return Outcome(None, f"审计进程被终止（信号{signal.Signals(-code).name}），可能因内存或时间超限")
    return Outcome(None, f"审计进程异常退出（退出码{code}）")


def _refuse(value: str) -> Any:
    raise ValueError(f"not JSON: {value}")


def _seconds(s: float) -> str:
    return f"{int(s)}秒" if s >= 1 else f"{s:g}秒"
