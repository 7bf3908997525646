"""Audits forked from the worker's fork server (issue 17): a fresh child per report, without an
interpreter start per report, and the guarantees of issue 12 kept (a child dies with its worker
even with the server in between; a server that cannot start means today's fresh interpreter)."""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.test import override_settings

from gongkai.audits import isolation
from gongkai.audits.isolation import audit_isolated
from gongkai.domain.audit import audit_bytes
from tests.integration import processes
from tests.unit.audit import hostile as H

PROJECT = Path(__file__).resolve().parents[2]
# the slow input (a damaged body of empty paragraphs) is slow only past max_docx_elements
_NO_ELEMENT_LIMIT = {"max_docx_elements": 100_000_000}

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"), reason="the fork server is Linux's"
)


def _in_thread(fn):
    """Run ``fn`` in a new thread (a thread has a fork server of its own) and return its result."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", fn()))
    thread.start()
    thread.join(timeout=300)
    return box["result"]


def test_twenty_audits_run_in_twenty_children_for_far_less_cpu_than_twenty_interpreter_starts(shared_dir):
    data = (shared_dir / "samples" / "sample-02.txt").read_bytes()
    expected = audit_bytes(data, "sample-02.txt").to_json()
    audit_isolated(data, "sample-02.txt")  # the server started (once per worker), not measured
    server = isolation._local.server
    outcomes = [audit_isolated(data, "sample-02.txt") for _ in range(20)]
    assert all(o.failure == "" and o.payload["result"] == expected for o in outcomes)
    pids = {o.pid for o in outcomes}
    assert len(pids) == 20 and not pids & {os.getpid(), server.pid}
    assert all(not processes.alive(pid) for pid in pids)  # every child reaped, none left a zombie
    assert isolation._local.server is server and server.alive()
    mean = sum(o.child_cpu for o in outcomes) / len(outcomes)

    # one audit in a fresh interpreter (the path without the server), measured as CPU time too
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    fresh = isolation._audit_subprocess(
        b'{"name": "sample-02.txt", "memory_mb": 0, "cpu_seconds": 60, "limits": {}}\n' + data,
        time.monotonic() + 120,
        120,
        0,
        60,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert fresh.payload["result"] == expected
    interpreter = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert mean < 0.1, mean
    assert mean < interpreter / 3, (mean, interpreter)


def test_a_timeout_kills_the_forked_child_and_the_server_reaps_it(shared_dir):
    name, data = H.damaged_paragraphs_docx(60, text="")  # no text: the salvage parses all 60 MB at once, seconds
    with override_settings(GONGKAI_AUDIT_READER_LIMITS=_NO_ELEMENT_LIMIT):
        outcome = audit_isolated(data, name, timeout=1)
    assert outcome.payload is None and "审计超时" in outcome.failure and "1秒" in outcome.failure
    server = isolation._local.server
    assert server.alive() and processes.children(server.pid) == []
    sample = (shared_dir / "samples" / "sample-01.txt").read_bytes()
    assert audit_isolated(sample, "s.txt").payload["result"] == audit_bytes(sample, "s.txt").to_json()


def test_a_server_that_died_between_audits_is_started_again(shared_dir):
    data = (shared_dir / "samples" / "sample-01.txt").read_bytes()
    audit_isolated(data, "s.txt")
    old = isolation._local.server
    os.kill(old.pid, signal.SIGKILL)
    old.proc.wait(timeout=10)
    outcome = audit_isolated(data, "s.txt")
    assert outcome.payload["result"] == audit_bytes(data, "s.txt").to_json()
    assert isolation._local.server.pid != old.pid and outcome.child_cpu is not None


def test_a_server_killed_mid_audit_takes_its_child_along_and_the_audit_ends_in_a_fresh_interpreter(caplog):
    # long enough to be caught running, small enough to stay clear of every limit (no figures either:
    # sixty thousand would pass the prose-figure limit): the result of the fresh interpreter is
    # compared with the in-process one, which has no memory cap
    name, data = H.many_paragraphs_docx(2, text="政府信息公开工作")
    audit_isolated(b"x", "warm.txt")
    server = isolation._local.server
    killed = []

    def kill_the_server_once_the_child_runs():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            children = processes.children(server.pid)
            if children:
                os.kill(server.pid, signal.SIGKILL)
                killed.extend(children)
                return
            time.sleep(0.01)

    killer = threading.Thread(target=kill_the_server_once_the_child_runs)
    killer.start()
    with caplog.at_level(logging.WARNING, logger="gongkai.audits.isolation"):
        outcome = audit_isolated(data, name, timeout=120)
    killer.join()
    assert killed, "the child never started"
    deadline = time.monotonic() + 5
    while any(processes.alive(c) for c in killed) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(processes.alive(c) for c in killed)  # PR_SET_PDEATHSIG: the child died with its server
    assert outcome.failure == "" and outcome.child_cpu is None  # audited again, by the subprocess path
    assert outcome.payload["result"] == audit_bytes(data, name).to_json()
    assert any("fork server" in r.getMessage() and "fresh interpreter" in r.getMessage() for r in caplog.records)


def test_when_the_server_cannot_start_the_audit_runs_in_a_fresh_interpreter_and_a_log_line_says_so(
    monkeypatch, caplog, shared_dir
):
    data = (shared_dir / "samples" / "sample-03.txt").read_bytes()
    monkeypatch.setattr(isolation, "SERVER_COMMAND", (sys.executable, "-c", "import sys; sys.exit(3)"))
    with caplog.at_level(logging.WARNING, logger="gongkai.audits.isolation"):
        outcome = _in_thread(lambda: audit_isolated(data, "s.txt"))
    assert outcome.failure == "" and outcome.payload["result"] == audit_bytes(data, "s.txt").to_json()
    assert outcome.child_cpu is None  # the fork server reports it; a fresh interpreter does not
    assert any("fork server could not start" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the server's child")
def test_kill_9_of_the_worker_mid_audit_kills_the_server_and_the_audit_child_under_it(tmp_path):
    slow = tmp_path / "slow.docx"
    slow.write_bytes(H.damaged_paragraphs_docx(40, text="")[1])
    script = (
        "from pathlib import Path\n"
        "from gongkai.audits.isolation import audit_isolated\n"
        f"audit_isolated(Path({str(slow)!r}).read_bytes(), 'slow.docx', timeout=60)\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gongkai.settings.test",
        "GONGKAI_AUDIT_READER_LIMITS": json.dumps(_NO_ELEMENT_LIMIT),  # the slow file stays slow
    }
    worker = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=PROJECT)
    try:
        deadline = time.monotonic() + 60
        servers: list[int] = []
        audits: list[int] = []
        while time.monotonic() < deadline and not audits:
            servers = processes.children(worker.pid)
            audits = [pid for server in servers for pid in processes.children(server)]
            time.sleep(0.02)
        assert servers and audits, "the worker never forked the audit"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    deadline = time.monotonic() + 5
    while any(processes.alive(p) for p in servers + audits) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(processes.alive(p) for p in servers + audits)
