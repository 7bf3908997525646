"""A worker's fork server: ``python -m gongkai.audits.forkserver WORKER_PID SOCKET_FD``.

Started by :mod:`gongkai.audits.isolation` once per worker (per worker thread), never by hand.
Starting an interpreter and importing the reader costs about 0.3 CPU-s, the audit of a text report
5–15 ms: this process imports the reader once, then forks one fresh child per audit, so each report
still has a process of its own (its own limits, nothing left over from the previous report) without
paying the start-up each time. It imports no Django, and never reads a report: the child reads the
file from a pipe the worker gave it.

Protocol on the socket (a Unix socket pair with the worker; one audit at a time):

- the server says ``R`` once it has imported the reader;
- the worker sends ``F`` with three file descriptors (SCM_RIGHTS): the child's stdin, stdout and
  stderr; the server forks, answers ``P<pid>``; the child runs :func:`gongkai.audits.child.run`
  exactly as ``python -m gongkai.audits.child`` would (caps itself before it reads the file);
- the worker may send ``K`` (its wall-clock timeout): the server kills the child with SIGKILL.
  Only the server may: it is the child's parent, so until it reaps the child the pid cannot
  belong to anyone else;
- when the child has ended, the server reaps it (no zombie) and says ``S<wait status> <cpu s>``.

Dying together (Linux ``PR_SET_PDEATHSIG``): the server dies when the worker (thread) that started
it dies, the child when the server dies, so a worker killed mid-audit leaves nothing running; each
checks after asking that its parent is still the one it was started by. When the worker closes
the socket (its exit) the server kills any child and exits.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import socket
import sys
import traceback

from gongkai.audits import child

# What a child would otherwise import on its first report. pypdfium2 (only the fallback for
# damaged PDFs) is left out: a C library initialised once in the server would be shared by every
# child; the few reports that need it import it in their own child.
PRELOAD = (
    "gongkai.domain.audit",
    "gongkai.domain.audit.limits",
    "gongkai.domain.audit.sources",
    "charset_normalizer",
    "selectolax.lexbor",
    "lxml.etree",
    "docx",
    "docx.table",
    "pdfplumber",
    "pdfplumber.table",
    "pdfplumber.utils.text",
)


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - an optional reader missing: the child says so itself
            pass
    # the imported objects never change again: out of the collector's sight, so a child's
    # collections neither scan them nor copy their pages
    gc.collect()
    gc.freeze()


def _send(sock: socket.socket, message: str) -> None:
    sock.sendall(message.encode() + b"\n")


def _child(sock: socket.socket, fds: list[int], server: int) -> None:
    """In the forked child: never returns."""
    code = 1
    try:
        sock.close()
        child._die_with_parent(server)  # exits at once if the server is already gone
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
        with open(0, "rb", closefd=False) as stdin, open(1, "wb", closefd=False) as stdout:
            code = child.run(stdin, stdout)
    except MemoryError:
        os._exit(child.EXIT_MEMORY)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        try:
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(1)
    os._exit(code)


def _serve_one(sock: socket.socket, fds: list[int], server: int) -> bool:
    """Fork the child for one request and see it to its end; False when the worker is gone."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _child(sock, fds, server)
    for fd in fds:
        os.close(fd)
    pidfd = os.pidfd_open(pid)
    try:
        _send(sock, f"P{pid}")
        worker_gone = False
        while True:
            readable, _, _ = select.select([sock, pidfd], [], [])
            if pidfd in readable:
                break
            try:
                message = sock.recv(1)
            except ConnectionError:
                message = b""
            if message in (b"K", b""):
                os.kill(pid, signal.SIGKILL)  # not reaped yet: the pid is still this child's
            if not message:  # the worker closed the socket: nobody wants this audit any more
                worker_gone = True
                select.select([pidfd], [], [])
                break
        _, status, usage = os.wait4(pid, 0)
    finally:
        os.close(pidfd)
    if worker_gone:
        return False
    _send(sock, f"S{status} {usage.ru_utime + usage.ru_stime:.6f}")
    return True


def main() -> int:
    worker, fd = int(sys.argv[1]), int(sys.argv[2])
    child._die_with_parent(worker)
    # Ctrl-C in a terminal reaches the whole process group: the worker decides, this server
    # ends with it (socket closed or PDEATHSIG)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sock = socket.socket(fileno=fd)
    sock.setblocking(True)
    os.close(os.pidfd_open(os.getpid()))  # no pidfd (Linux before 5.3): fail now, the worker falls back
    _preload()
    server = os.getpid()
    _send(sock, "R")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(sock, 1, 3)
        except ConnectionError:
            return 0
        if not message:
            for stray in fds:
                os.close(stray)
            return 0  # the worker closed the socket: it is done
        if message != b"F" or len(fds) != 3:
            for stray in fds:  # a late "K" for a child that had already ended
                os.close(stray)
            continue
        try:
            if not _serve_one(sock, fds, server):
                return 0
        except OSError:  # the worker went away mid-audit; the child dies with this process
            return 0


if __name__ == "__main__":
    sys.exit(main())
