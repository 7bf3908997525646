"""The ``gongkai`` command line: domain rules without the web app.

Subcommands read only the domain package, so they work without a database.

- ``gongkai deadline START DAYS [--json]``: working-day deadlines; a date counted over a year
  whose holiday notice is not shipped yet is provisional (never later than the official one) and
  says so; ``--json`` prints ``{"due", "provisional", "basis"}``;
- ``gongkai audit FILE... [--json] [--previous FILE]``: audit published annual reports. Human
  output is a Chinese summary per report; ``--json`` prints one ``AuditReport.to_json()`` object
  per input per line, in input order. Batches run on all cores with a progress bar on stderr.
  Exit code 0 when every file was read (findings do not change it), 2 on a usage error or a
  path that cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

from gongkai.domain.audit.model import CERTAINTY_LABELS
from gongkai.domain.calendar import CONVENTIONS, WorkingCalendar
from gongkai.domain.errors import DomainError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为YYYY-MM-DD，收到“{text}”") from None


def cmd_deadline(args: argparse.Namespace) -> int:
    calendar = WorkingCalendar.official()
    if args.working_days < 0:
        raise DomainError(f"工作日数应不小于0，收到{args.working_days}")
    result = calendar.due_date(args.start, args.working_days, args.convention)
    if args.json:
        print(
            json.dumps(
                {"due": result.due.isoformat(), "provisional": result.provisional, "basis": result.basis},
                ensure_ascii=False,
            )
        )
        return 0
    line = (
        f"{args.start.isoformat()} 起算 {args.working_days} 个工作日（规则{args.convention}）：{result.due.isoformat()}"
    )
    if result.provisional:
        line += f"（预计：{result.basis}）"
    print(line)
    return 0


# -- audit ------------------------------------------------------------------------------------

PARALLEL_FROM = 5  # from this many files on, reports are audited in worker processes
_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
_FORMAT = {
    "2021": "2021年格式（国办公开办函〔2021〕30号）",
    "2019": "2019年试行格式（国办公开办函〔2019〕60号）",
    "pre2019": "修订前条例的旧式报告（无统一表格）",
}
_TABLES = {"table_2": "表二", "table_3": "表三", "table_4": "表四"}
_previous_report: Any = None  # the --previous report, set once per worker process


def _init_worker(previous: Any) -> None:
    global _previous_report
    _previous_report = previous


def _audit_file(path: str) -> dict[str, Any] | str:
    """The audit of one file as its JSON object, or a Chinese message when it cannot be read."""
    from gongkai.domain.audit import audit_bytes
    from gongkai.domain.audit.findings import audit_document, normalise, read_raw

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return f"无法读取文件“{path}”：{exc.strerror or exc}"
    name = os.path.basename(path)
    if _previous_report is None:
        report = audit_bytes(data, name)
    else:
        report = audit_document(normalise(read_raw(data, name)), previous=_previous_report)
    return report.to_json()


def _summary(obj: dict[str, Any]) -> str:
    lines = [f"【{obj['file']}】"]
    lines.append(f"  机关：{obj['agency'] or '未识别'}")
    template = any(f["rule"] == "template_residue" and "年度未填写" in f["message"] for f in obj["findings"])
    year = obj["year"] if obj["year"] is not None else ("未填写（模板）" if template else "未识别")
    lines.append(f"  年度：{year}")
    lines.append(f"  格式：{_FORMAT.get(obj['format'] or '', '未识别')}")
    tables = obj.get("tables") or {}
    if obj["format"] in ("2019", "2021"):
        parts = []
        for key, name in _TABLES.items():
            if key not in tables:
                parts.append(f"{name}未找到")
                continue
            blanks = _count_blank(tables[key])
            parts.append(f"{name}已读取" + (f"（{blanks}格为空）" if blanks else ""))
        lines.append("  表格：" + "；".join(parts))
    if obj.get("old_stats"):
        from gongkai.domain.audit.tables import OLD_STATS_LABELS

        stated = {k: v for k, v in obj["old_stats"].items() if v is not None}
        lines.append(
            "  旧式统计：" + ("、".join(f"{OLD_STATS_LABELS.get(k, k)}{v}" for k, v in stated.items()) or "无")
        )
    findings = obj["findings"]
    counts = {s: sum(1 for f in findings if f["severity"] == s) for s in _SEVERITY}
    if not findings:
        lines.append("  未发现问题")
    else:
        tally = "，".join(f"{_SEVERITY[s]}{n}" for s, n in counts.items() if n)
        lines.append(f"  发现{len(findings)}项（{tally}）：")
        for f in findings:
            sure = CERTAINTY_LABELS.get(f.get("certainty", ""), "")
            lines.append(
                f"    [{_SEVERITY.get(f['severity'], f['severity'])}{'·' + sure if sure else ''}] {f['rule']}：{f['message']}"
            )
    return "\n".join(lines)


def _count_blank(node: Any) -> int:
    if isinstance(node, dict):
        return sum(_count_blank(v) for v in node.values())
    return 1 if node is None else 0


def cmd_audit(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from gongkai.domain.audit.findings import audit_document, normalise, read_raw

    bad = [p for p in args.files if not os.path.isfile(p) or not os.access(p, os.R_OK)]
    if args.previous and (not os.path.isfile(args.previous) or not os.access(args.previous, os.R_OK)):
        bad.append(args.previous)
    for p in bad:
        print(f"错误：无法读取“{p}”（文件不存在、不是文件或没有读取权限）", file=sys.stderr)
    paths = [p for p in args.files if p not in bad]
    previous = None
    if args.previous and args.previous not in bad:
        with open(args.previous, "rb") as fh:
            previous = audit_document(normalise(read_raw(fh.read(), os.path.basename(args.previous))))
    n = len(paths)
    bar = tqdm(total=n, file=sys.stderr, unit="份", desc="审计", disable=n <= 1 or not sys.stderr.isatty())
    failed = bool(bad)
    try:
        if n >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            workers = min(os.cpu_count() or 1, n)
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(previous,)) as pool:
                results = pool.map(_audit_file, paths, chunksize=max(1, n // (workers * 8)))
                failed |= _emit(results, args.json, bar)
        else:
            _init_worker(previous)
            failed |= _emit(map(_audit_file, paths), args.json, bar)
    finally:
        bar.close()
    return 2 if failed else 0


def _emit(results: Any, as_json: bool, bar: Any) -> bool:
    failed = False
    for i, res in enumerate(results):
        bar.update(1)
        if isinstance(res, str):
            print(f"错误：{res}", file=sys.stderr)
            failed = True
            continue
        if as_json:
            print(json.dumps(res, ensure_ascii=False, allow_nan=False))
        else:
            print(("\n" if i else "") + _summary(res))
    sys.stdout.flush()
    return failed


class _Parser(argparse.ArgumentParser):
    """argparse with the usage error in Chinese (exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gongkai", description="gongkai 政府信息公开：命令行工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("deadline", help="按工作日计算期限（随系统附带的节假日安排）")
    p.add_argument("start", type=_date, help="收到日期（第0日），YYYY-MM-DD")
    p.add_argument("working_days", type=int, help="工作日数")
    p.add_argument("--convention", choices=CONVENTIONS, default="A", help="A：收到当日为第0日；B：非工作日顺延")
    p.add_argument(
        "--json", action="store_true", help="输出JSON：due、provisional（是否为预计日期）、basis（计算依据）"
    )
    p.set_defaults(func=cmd_deadline)
    a = sub.add_parser("audit", help="审计已公开的政府信息公开工作年度报告（文本、HTML、PDF、Word）")
    a.add_argument("files", nargs="+", metavar="FILE", help="报告文件")
    a.add_argument("--json", action="store_true", help="每份报告输出一行JSON")
    a.add_argument("--previous", metavar="FILE", help="同一机关上一年度的报告（用于跨年度核对）")
    a.set_defaults(func=cmd_audit)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except DomainError as err:
        print(f"错误：{err.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
