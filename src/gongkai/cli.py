"""The ``gongkai`` command line: domain rules without the web app.

Subcommands read only the domain package, so they work without a database.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from gongkai.domain.calendar import CONVENTIONS, WorkingCalendar
from gongkai.domain.errors import DomainError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为YYYY-MM-DD，收到“{text}”") from None


def cmd_deadline(args: argparse.Namespace) -> int:
    calendar = WorkingCalendar.official()
    due = calendar.add_working_days(args.start, args.working_days, args.convention)
    print(f"{args.start.isoformat()} 起算 {args.working_days} 个工作日（规则{args.convention}）：{due.isoformat()}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="gongkai 政府信息公开：命令行工具")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("deadline", help="按工作日计算期限（随系统附带的节假日安排）")
    p.add_argument("start", type=_date, help="收到日期（第0日），YYYY-MM-DD")
    p.add_argument("working_days", type=int, help="工作日数")
    p.add_argument("--convention", choices=CONVENTIONS, default="A", help="A：收到当日为第0日；B：非工作日顺延")
    p.set_defaults(func=cmd_deadline)
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
