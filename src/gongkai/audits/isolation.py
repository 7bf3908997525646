"""Run the audit of one report in a child process with a wall-clock, CPU and memory limit.

The reader has its own limits (``gongkai.domain.audit.limits``), but a file the limits did not
foresee must still not take the worker down: the audit runs in a child process of its own, which
caps its address space and CPU time before it reads the file (``child.run``), and the parent kills
it after ``GONGKAI_AUDIT_TIMEOUT_SECONDS``. The child is forked by the worker's fork server
(``forkserver``: the reader imported once, 0.3 CPU-s saved per report), or, when that server cannot
start, is a fresh interpreter (``python -m gongkai.audits.child``); the guarantees are the same. Whatever happens to the child, the parent gets an
:class:`Outcome`: the result, or a Chinese reason (timeout, memory, crash) to record as the
report's failure. A fresh process per report also means nothing one hostile file did (a huge
heap, a leak in a C library) survives into the next audit.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from gongkai.audits import child

log = logging.getLogger(__name__)

# how long the fork server may take to import the reader (about 0.4 CPU-s, more on a busy machine)
SERVER_START_SECONDS = 60.0
# after the fork server failed to start, audits use the subprocess path this long before it is tried again
SERVER_RETRY_SECONDS = 300.0
SERVER_COMMAND = (sys.executable, "-m", "gongkai.audits.forkserver")


@dataclass(frozen=True)
class Outcome:
    payload: dict[str, Any] | None  # result, format, year, agency, text, original
    failure: str = ""  # Chinese, when payload is None
    pid: int = 0  # the child that audited
    child_cpu: float | None = None  # its CPU seconds, when known (the fork server reports them)


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
    request = header.encode() + b"\n" + data
    deadline = time.monotonic() + timeout
    server = _fork_server()
    if server is not None:
        try:
            return server.audit(request, deadline, timeout, memory_mb, cpu_seconds)
        except ServerGone as exc:
            # the server died under this audit (its child with it): what time is left goes to a
            # fresh interpreter, so the worker's deadline holds
            log.warning("audit fork server %s stopped (%s); this audit runs in a fresh interpreter", server.pid, exc)
            _forget(server)
            if time.monotonic() >= deadline:
                return _timed_out(timeout)
    return _audit_subprocess(request, deadline, timeout, memory_mb, cpu_seconds)


def _audit_subprocess(request: bytes, deadline: float, timeout: float, memory_mb: int, cpu_seconds: int) -> Outcome:
    """A fresh interpreter for this audit (the fork server cannot be used)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "gongkai.audits.child", str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        close_fds=True,
    )
    try:
        out, err = proc.communicate(request, timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return _timed_out(timeout)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return _outcome(proc.returncode, out, err, memory_mb, cpu_seconds, pid=proc.pid)


def _timed_out(timeout: float) -> Outcome:
    return Outcome(None, f"审计超时：超过{_seconds(timeout)}仍未完成，已终止（文件可能过于复杂或被刻意构造）")


def _outcome(
    code: int, out: bytes, err: bytes, memory_mb: int, cpu_seconds: int, *, pid: int, cpu: float | None = None
) -> Outcome:
    if code == 0:
        try:
            return Outcome(json.loads(out, parse_constant=_refuse), pid=pid, child_cpu=cpu)
        except ValueError:
            return Outcome(None, "审计进程返回的结果无法读取", pid=pid, child_cpu=cpu)
    if code == child.EXIT_MEMORY or (code == 1 and b"MemoryError" in err[-2000:]):
        failure = f"审计所需内存超过上限（{memory_mb} MB），已终止"
    elif code == -signal.SIGXCPU:
        failure = f"审计占用CPU时间超过上限（{cpu_seconds}秒），已终止"
    elif code < 0:
        failure = f"审计进程被终止（信号{signal.Signals(-code).name}），可能因内存或时间超限"
    else:
        failure = f"审计进程异常退出（退出码{code}）"
    return Outcome(None, failure, pid=pid, child_cpu=cpu)


# -- the fork server ---------------------------------------------------------------------------
# One per worker thread: PR_SET_PDEATHSIG follows the thread that started the server, and a
# thread then never waits for another's audit.


class ServerGone(Exception):
    """The fork server stopped answering (it died, or said something unexpected)."""


class ForkServer:
    """The worker's end of one ``gongkai.audits.forkserver`` process."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock = ours
        self._buffer = b""
        try:
            self.proc = subprocess.Popen(
                [*SERVER_COMMAND, str(os.getpid()), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                close_fds=True,
            )
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.pid = self.proc.pid
        try:
            if self._line(time.monotonic() + SERVER_START_SECONDS) != "R":
                raise ServerGone("no ready message")
        except BaseException:
            self.close()
            raise

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def audit(self, request: bytes, deadline: float, timeout: float, memory_mb: int, cpu_seconds: int) -> Outcome:
        ends = [os.pipe() for _ in range(3)]  # the child's stdin, stdout, stderr
        child_fds = [ends[0][0], ends[1][1], ends[2][1]]
        mine = [ends[0][1], ends[1][0], ends[2][0]]
        try:
            try:
                socket.send_fds(self.sock, [b"F"], child_fds)
            except OSError as exc:
                raise ServerGone(str(exc)) from exc
            finally:
                for fd in child_fds:
                    os.close(fd)
            answer = self._line(time.monotonic() + SERVER_START_SECONDS)
            if not answer.startswith("P"):
                raise ServerGone(f"unexpected answer {answer!r}")
            pid = int(answer[1:])
            try:
                out, err, finished = _communicate(mine, request, deadline)
                status = self._line(deadline, late=TimeoutError) if finished else ""
            except TimeoutError:  # the output is closed but the child lingers
                status = ""
            except ServerGone:
                raise
            except BaseException:
                # interrupted (KeyboardInterrupt...): closing the socket makes the server kill the child
                self.close()
                raise
            if not status:
                self._kill()
                self._line(time.monotonic() + SERVER_START_SECONDS)  # reaped
                return _timed_out(timeout)
        finally:
            for fd in mine:
                _close(fd)
        if not status.startswith("S"):
            raise ServerGone(f"unexpected answer {status!r}")
        wait_status, cpu = status[1:].split()
        code = os.waitstatus_to_exitcode(int(wait_status))
        return _outcome(code, out, err, memory_mb, cpu_seconds, pid=pid, cpu=float(cpu))

    def _kill(self) -> None:
        try:
            self.sock.sendall(b"K")
        except OSError as exc:
            raise ServerGone(str(exc)) from exc

    def _line(self, deadline: float, *, late: type[Exception] = ServerGone) -> str:
        """The server's next message; ``late`` raised past the deadline, ServerGone at end of file."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise late("no answer in time")
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(4096)
            except TimeoutError as exc:
                raise late("no answer in time") from exc
            except OSError as exc:
                raise ServerGone(str(exc)) from exc
            if not chunk:
                raise ServerGone("end of file")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        """End the server: it exits when its socket closes; reaped here, so no zombie is left."""
        self.sock.close()
        if self.owner != os.getpid():
            return
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _communicate(fds: list[int], request: bytes, deadline: float) -> tuple[bytes, bytes, bool]:
    """Write the request to the child's stdin while reading its stdout and stderr, until both are
    closed (True) or the deadline (False)."""
    stdin, stdout, stderr = fds
    chunks: dict[int, list[bytes]] = {stdout: [], stderr: []}
    view = memoryview(request)
    written = 0
    with selectors.DefaultSelector() as sel:
        os.set_blocking(stdin, False)
        sel.register(stdin, selectors.EVENT_WRITE)
        sel.register(stdout, selectors.EVENT_READ)
        sel.register(stderr, selectors.EVENT_READ)
        while sel.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b"".join(chunks[stdout]), b"".join(chunks[stderr]), False
            for key, _ in sel.select(remaining):
                fd = key.fd
                if fd == stdin:
                    try:
                        written += os.write(fd, view[written : written + 65536])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # the child stopped reading (it failed early): its output says why
                        written = len(view)
                    if written >= len(view):
                        sel.unregister(fd)
                        os.close(fd)
                        fds[0] = -1
                else:
                    data = os.read(fd, 65536)
                    if data:
                        chunks[fd].append(data)
                    else:
                        sel.unregister(fd)
    return b"".join(chunks[stdout]), b"".join(chunks[stderr]), True


def _close(fd: int) -> None:
    if fd >= 0:
        try:
            os.close(fd)
        except OSError:
            pass


_local = threading.local()
_servers: list[ForkServer] = []
_servers_lock = threading.Lock()


def _fork_server() -> ForkServer | None:
    """This thread's fork server, started on first use; None when it cannot start (then the audit
    runs as today in a fresh interpreter, and the server is tried again some minutes later)."""
    if not hasattr(os, "pidfd_open") or not sys.platform.startswith("linux"):
        return None  # the server's guarantees (PR_SET_PDEATHSIG, pidfd) are Linux's
    server: ForkServer | None = getattr(_local, "server", None)
    if server is not None and server.alive():
        return server
    if server is not None:
        _forget(server)
    failed_at = getattr(_local, "failed_at", None)
    if failed_at is not None and time.monotonic() - failed_at < SERVER_RETRY_SECONDS:
        return None
    try:
        server = ForkServer()
    except Exception as exc:
        _local.failed_at = time.monotonic()
        log.warning(
            "audit fork server could not start (%s: %s); auditing each report in a fresh interpreter",
            type(exc).__name__,
            exc,
        )
        return None
    _local.failed_at = None
    _local.server = server
    with _servers_lock:
        # the servers of threads that ended died with them (PR_SET_PDEATHSIG): reaped here
        for gone in [s for s in _servers if s.owner == os.getpid() and s.proc.poll() is not None]:
            _servers.remove(gone)
            gone.sock.close()
        _servers.append(server)
    return server


def _forget(server: ForkServer) -> None:
    if getattr(_local, "server", None) is server:
        _local.server = None
    with _servers_lock:
        if server in _servers:
            _servers.remove(server)
    server.close()


@atexit.register
def _close_servers() -> None:
    with _servers_lock:
        servers = list(_servers)
        _servers.clear()
    for server in servers:
        server.close()


def _refuse(value: str) -> Any:
    raise ValueError(f"not JSON: {value}")


def _seconds(s: float) -> str:
    return f"{int(s)}秒" if s >= 1 else f"{s:g}秒"
