"""The audit of one report inside a capped child process: ``python -m gongkai.audits.child``.

Started by :func:`gongkai.audits.isolation.audit_isolated`, never by hand: forked by the worker's
fork server (:mod:`gongkai.audits.forkserver`, which calls :func:`run`), or, when that server
cannot start, as ``python -m gongkai.audits.child PARENT_PID``. Reads from stdin one
line of JSON (``name``, ``memory_mb``, ``cpu_seconds``, ``limits``) followed by the file's bytes;
writes one JSON object to stdout (strict JSON: no NaN/Infinity) and exits 0. It imports no Django:
only the domain, which is plain Python.

Before reading anything it caps itself: address space (``RLIMIT_AS``), CPU time (``RLIMIT_CPU``,
the kernel sends SIGXCPU then SIGKILL), no core files, and on Linux asks to be killed when its
parent dies (``PR_SET_PDEATHSIG``), so a worker killed mid-audit leaves no child behind.
Exit codes: 0 done, 3 out of memory (``MemoryError`` outside the reader's own guards), 4 bad input.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
from typing import BinaryIO

EXIT_MEMORY = 3
EXIT_INPUT = 4


def _cap(memory_mb: int, cpu_seconds: int) -> None:
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds > 0:
        # the soft limit sends SIGXCPU (fatal by default); the hard one a second later SIGKILL
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _die_with_parent(parent: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - not Linux glibc: the CPU limit still ends the child
        return
    if os.getppid() != parent:  # the parent died before the request took effect (or before we started)
        os._exit(1)


def _peak_mb() -> float:
    """This process's peak resident memory. Linux keeps ``ru_maxrss`` across exec: a fresh
    interpreter started by a 1 GB worker would report the worker's 1 GB. ``VmHWM`` is the peak of
    the address space this process runs in now."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _note_memory(report, memory_mb: int) -> None:
    """When the audit came close to the memory cap and something could not be read, say that the
    cap may be why: an allocation refused inside a C library (lxml, PDFium) surfaces as a parse
    error, not as a MemoryError the reader could name."""
    if memory_mb <= 0:
        return
    peak_mb = _peak_mb()
    troubled = any(f.rule in ("source_problem", "reader_error") for f in report.findings)
    if troubled and peak_mb >= 0.5 * memory_mb:
        from gongkai.domain.audit.model import AuditFinding

        report.findings.insert(
            0,
            AuditFinding(
                "resource_limit",
                "warning",
                f"审计时内存用量接近上限（{memory_mb} MB，峰值约{peak_mb:.0f} MB），以下无法读取的部分可能因此未能读取",
                actual=round(peak_mb),
            ),
        )


def main() -> int:
    # the parent's pid comes from the parent itself: read here, getppid() would already name
    # whoever adopted the child if the parent died while it was starting
    parent = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else os.getppid()
    _die_with_parent(parent)
    return run(sys.stdin.buffer, sys.stdout.buffer)


def run(stdin: BinaryIO, stdout: BinaryIO) -> int:
    """Read the header and the file, cap this process, audit, write the JSON: the whole audit, once
    the caller made sure this process dies with its parent (here, or in a child forked by
    :mod:`gongkai.audits.forkserver`)."""
    try:
        header = json.loads(stdin.readline())
        name = str(header["name"])
        memory_mb = int(header.get("memory_mb", 0))
        cpu_seconds = int(header.get("cpu_seconds", 0))
        overrides = dict(header.get("limits") or {})
    except (ValueError, KeyError, TypeError):
        return EXIT_INPUT
    try:
        # the domain is imported before the cap: its modules are the same for every report
        from gongkai.domain.audit import audit_bytes
        from gongkai.domain.audit.limits import DEFAULT_LIMITS

        limits = DEFAULT_LIMITS.with_overrides(overrides)
        _cap(memory_mb, cpu_seconds)
        data = stdin.read()
        report = audit_bytes(data, name, limits=limits)
        _note_memory(report, memory_mb)
        payload = {
            "result": report.to_json(),
            "format": report.format,
            "year": report.year,
            "agency": report.agency,
            "text": report.text,
            "original": report.original,
        }
        body = json.dumps(payload, ensure_ascii=False, allow_nan=False)
        del report, payload, data
        stdout.write(body.encode("utf-8"))
        stdout.flush()
    except MemoryError:
        os._exit(EXIT_MEMORY)
    return 0


if __name__ == "__main__":
    sys.exit(main())
