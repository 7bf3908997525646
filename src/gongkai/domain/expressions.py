"""The small expression language the format data writes its consistency rules in.

Integers, ``+``, ``-``, parentheses, ``==``, ``<=``, ``>=``, ``and``, ``is_integer(x)``, ``value``,
bare identifiers and dotted names (``previous_report.table_3.carry_forward``). Parsed by hand into
a tiny syntax tree so that rules from a data file are never ``eval``-ed. What the names mean in each
scope is decided by :mod:`gongkai.domain.consistency`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.domain.errors import DomainError


class RuleExpressionError(DomainError):
    """A rule's expression or scope cannot be parsed or does not fit its table."""

    code = "rule_expression_error"

    def __init__(self, rule_id: str, expr: str, problem: str, position: int | None = None):
        self.rule_id, self.expr, self.problem, self.position = rule_id, expr, problem, position
        where = f"（第{position + 1}个字符处）" if position is not None else ""
        super().__init__(f"一致性规则“{rule_id}”有误：{problem}{where}。表达式：{expr}")


@dataclass(frozen=True)
class Num:
    value: int


@dataclass(frozen=True)
class Ref:
    path: tuple[str, ...]


@dataclass(frozen=True)
class Sum:
    terms: tuple[tuple[int, NumExpr], ...]  # (+1 | -1, term)


@dataclass(frozen=True)
class Compare:
    op: str
    left: NumExpr
    right: NumExpr


@dataclass(frozen=True)
class IsInteger:
    arg: NumExpr


@dataclass(frozen=True)
class And:
    parts: tuple[BoolExpr, ...]


NumExpr = Num | Ref | Sum
BoolExpr = Compare | IsInteger | And
Expr = NumExpr | BoolExpr

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(rf"(?P<num>\d+)|(?P<name>{_NAME}(?:\.{_NAME})*)|(?P<op>==|<=|>=|[+\-()])")
_FUNCTIONS = {"is_integer"}


def _is_bool(node: Expr) -> bool:
    return isinstance(node, (Compare, IsInteger, And))


class _Parser:
    def __init__(self, expr: str, rule_id: str):
        self.expr, self.rule_id = expr, rule_id
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(expr):
            if expr[pos].isspace():
                pos += 1
                continue
            m = _TOKEN.match(expr, pos)
            if m is None:
                raise self.error(f"无法识别的字符“{expr[pos]}”", pos)
            kind = m.lastgroup or "op"
            text = m.group()
            self.tokens.append(("and" if text == "and" else kind, text, pos))
            pos = m.end()
        self.i = 0

    def error(self, problem: str, pos: int | None = None) -> RuleExpressionError:
        if pos is None:
            pos = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.expr)
        return RuleExpressionError(self.rule_id, self.expr, problem, pos)

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise self.error("表达式不完整")
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.peek()
        if tok is None or tok[1] != text:
            raise self.error(f"此处应为“{text}”")
        self.i += 1

    def parse(self) -> BoolExpr:
        if not self.tokens:
            raise self.error("表达式为空", 0)
        node = self.conjunction()
        if self.peek() is not None:
            raise self.error(f"多余的内容“{self.peek()[1]}”")  # type: ignore[index]
        if not _is_bool(node):
            raise self.error("表达式应是一个判断（比较或 is_integer），而不是一个数", 0)
        return node  # type: ignore[return-value]

    def conjunction(self) -> Expr:
        start = self.peek()
        parts = [self.comparison()]
        while (tok := self.peek()) is not None and tok[0] == "and":
            self.i += 1
            parts.append(self.comparison())
        if len(parts) == 1:
            return parts[0]
        if not all(_is_bool(p) for p in parts):
            raise self.error("“and”两边都应是判断", start[2] if start else 0)
        return And(tuple(parts))  # type: ignore[arg-type]

    def comparison(self) -> Expr:
        left = self.sum()
        tok = self.peek()
        if tok is None or tok[1] not in ("==", "<=", ">="):
            return left
        self.i += 1
        right = self.sum()
        if _is_bool(left) or _is_bool(right):
            raise self.error(f"“{tok[1]}”两边都应是数", tok[2])
        return Compare(tok[1], left, right)  # type: ignore[arg-type]

    def sum(self) -> Expr:
        terms: list[tuple[int, Expr]] = [(1, self.atom())]
        while (tok := self.peek()) is not None and tok[1] in ("+", "-"):
            self.i += 1
            terms.append((1 if tok[1] == "+" else -1, self.atom()))
        if len(terms) == 1:
            return terms[0][1]
        if any(_is_bool(t) for _, t in terms):
            raise self.error("加减运算的各项都应是数")
        return Sum(tuple(terms))  # type: ignore[arg-type]

    def atom(self) -> Expr:
        kind, text, pos = self.take()
        if kind == "num":
            return Num(int(text))
        if text == "(":
            inner = self.conjunction()
            self.expect(")")
            return inner
        if kind == "name":
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                if text not in _FUNCTIONS:
                    raise self.error(f"未知的函数“{text}”（只支持 is_integer）", pos)
                self.i += 1
                arg = self.conjunction()
                self.expect(")")
                if _is_bool(arg):
                    raise self.error("is_integer 的参数应是数", pos)
                return IsInteger(arg)  # type: ignore[arg-type]
            return Ref(tuple(text.split(".")))
        raise self.error(f"此处应为数或名称，而不是“{text}”", pos)


@functools.lru_cache(maxsize=256)
def parse_expression(expr: str, rule_id: str = "?") -> BoolExpr:
    """Parse a rule expression; raise :class:`RuleExpressionError` (Chinese message) if invalid."""
    return _Parser(expr, rule_id).parse()


def refs(node: Expr) -> Iterator[Ref]:
    """Every cell reference in an expression, in order of appearance."""
    if isinstance(node, Ref):
        yield node
    elif isinstance(node, Sum):
        for _, t in node.terms:
            yield from refs(t)
    elif isinstance(node, Compare):
        yield from refs(node.left)
        yield from refs(node.right)
    elif isinstance(node, IsInteger):
        yield from refs(node.arg)
    elif isinstance(node, And):
        for p in node.parts:
            yield from refs(p)
