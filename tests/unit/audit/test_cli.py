"""``gongkai audit``: the JSON structure per report, the summary, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai import cli

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
SAMPLES = sorted((SHARED / "samples").glob("sample-*.txt"))
TOP_KEYS = {"file", "format", "year", "agency", "tables", "findings"}
FINDING_KEYS = {"rule", "severity", "certainty", "message", "where"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "audit", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


@pytest.fixture(scope="module")
def json_lines() -> list[dict]:
    res = run(*map(str, SAMPLES), "--json")
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


@pytest.fixture(scope="module")
def spec() -> dict:
    return json.loads((SHARED / "spec" / "annual-report-format.json").read_text(encoding="utf-8"))


def spec_keys(spec: dict, version: str) -> dict:
    tables = {t["id"]: t for t in spec["formats"][version]["tables"]}
    t2 = {
        s["id"]: ({r["key"] for r in s["rows"]}, {c["key"] for c in s["columns"]})
        for s in tables["table_2"]["subtables"]
    }
    t3_rows = {r["key"] for r in tables["table_3"]["rows"] if r.get("data", True)}
    t3_cols = {c["key"] for c in tables["table_3"]["columns"]}
    t4_cols = {c["key"] for c in tables["table_4"]["columns"]}
    return {"table_2": t2, "table_3": (t3_rows, t3_cols), "table_4": t4_cols}


def test_one_json_object_per_input_in_input_order(json_lines):
    assert [o["file"] for o in json_lines] == [p.name for p in SAMPLES]


def test_top_level_keys_exactly(json_lines):
    for o in json_lines:
        extra = {"old_stats"} if o["format"] == "pre2019" else set()
        assert set(o) == TOP_KEYS | extra
        assert o["format"] in ("2021", "2019", "pre2019", None)
        assert o["year"] is None or isinstance(o["year"], int)
        for f in o["findings"]:
            assert set(f) == FINDING_KEYS
            assert f["severity"] in ("error", "warning", "info")
            assert set(f["where"]) == {"cells", "spans", "expected", "actual"}


def test_table_key_sets_are_the_spec_keys_of_the_detected_format(json_lines, spec):
    seen = 0
    for o in json_lines:
        if not o["tables"]:
            continue
        keys = spec_keys(spec, o["format"])
        t = o["tables"]
        assert set(t) <= {"table_2", "table_3", "table_4"}
        if "table_2" in t:
            assert set(t["table_2"]) == set(keys["table_2"])
            for sub, rows in t["table_2"].items():
                row_keys, col_keys = keys["table_2"][sub]
                assert set(rows) == row_keys
                assert all(set(cols) == col_keys for cols in rows.values())
        if "table_3" in t:
            rows, cols = keys["table_3"]
            assert set(t["table_3"]) == rows
            assert all(set(c) == cols for c in t["table_3"].values())
        if "table_4" in t:
            assert set(t["table_4"]) == keys["table_4"]
        seen += 1
    assert seen == 1  # only sample-03 has tables


def test_what_each_sample_yields(json_lines):
    got = {o["file"]: (o["format"], o["year"], o["agency"], sorted(o["tables"])) for o in json_lines}
    assert got == {
        "sample-01.txt": ("2021", 2021, "无锡市梁溪区教育局", []),
        "sample-02.txt": ("2021", 2021, "乐清市教育局", []),
        "sample-03.txt": ("2021", 2021, "尖扎县教育局", ["table_2", "table_3", "table_4"]),
        "sample-04.txt": ("pre2019", None, "XX教育局", []),
        "sample-05.txt": ("pre2019", 2018, "本溪市溪湖区教育局", []),
    }
    old = {o["file"]: o["old_stats"] for o in json_lines if "old_stats" in o}
    assert set(old) == {"sample-04.txt", "sample-05.txt"}
    assert old["sample-05.txt"]["proactive_published_at_least"] == 1000


def test_human_summary_in_chinese():
    res = run(str(SAMPLES[0]), str(SAMPLES[2]))
    assert res.returncode == 0
    assert "【sample-01.txt】" in res.stdout and "机关：无锡市梁溪区教育局" in res.stdout
    assert "表格：表二未找到；表三未找到；表四未找到" in res.stdout
    assert "[错误·确定] missing_table" in res.stdout
    assert "表格：表二已读取；表三已读取；表四已读取" in res.stdout and "[提示·确定] label_deviation" in res.stdout
    assert res.stderr == ""  # no progress bar when stderr is not a terminal


def test_human_summary_names_old_statistics_in_chinese():
    res = run(str(SAMPLES[4]))
    assert "旧式统计：主动公开政府信息数（条，约数，至少）1000" in res.stdout
    assert "proactive_published" not in res.stdout  # never the raw keys


def test_unreadable_path_exits_2_with_a_chinese_message_and_still_audits_the_rest():
    res = run(str(SAMPLES[0]), "/nonexistent/report.txt", "--json")
    assert res.returncode == 2
    assert "无法读取" in res.stderr and "/nonexistent/report.txt" in res.stderr
    assert len(res.stdout.splitlines()) == 1


def test_usage_error_exits_2():
    res = run()
    assert res.returncode == 2 and "用法错误" in res.stderr


def test_previous_report_is_used(tmp_path):
    res = run(str(SAMPLES[2]), "--previous", str(SAMPLES[2]), "--json")
    assert res.returncode == 0
    (o,) = [json.loads(line) for line in res.stdout.splitlines()]
    assert "previous_report_mismatch" in [f["rule"] for f in o["findings"]]


def test_batches_run_in_worker_processes_in_input_order(tmp_path):
    files = []
    for i in range(cli.PARALLEL_FROM + 3):
        src = SAMPLES[i % len(SAMPLES)]
        dst = tmp_path / f"{i:02d}-{src.name}"
        dst.write_bytes(src.read_bytes())
        files.append(dst)
    res = run(*map(str, files), "--json")
    assert res.returncode == 0, res.stderr
    assert [json.loads(line)["file"] for line in res.stdout.splitlines()] == [f.name for f in files]


def test_main_in_process(capsys):
    assert cli.main(["audit", str(SAMPLES[4]), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["year"] == 2018
