"""Safe user expressions: a small, restricted Python syntax compiled to Polars.

Used wherever a user writes a rule in a spec file: indicator outcomes and
reference populations (LNOB), scheme eligibility (simulator). The text is
parsed with :mod:`ast` and only the constructs listed below are translated;
nothing is ever passed to ``eval``. Anything else is an
:class:`~sp2lnob.errors.ExpressionError` that says what is not allowed and where.

Allowed
    column names (must exist), numbers, strings, ``True``/``False``/``None``;
    ``and``, ``or``, ``not``; ``== != < <= > >=`` (chains such as
    ``18 <= age < 65`` included); ``in`` / ``not in`` a literal list;
    ``+ - * / // % **``; ``a if cond else b``; and the functions
    ``between(x, lo, hi)`` (inclusive), ``isnull(x)``, ``notnull(x)``,
    ``abs``, ``min``, ``max`` (element-wise over arguments), ``log``, ``exp``,
    ``sqrt``, ``round``, ``floor``, ``ceil``, ``coalesce(x, default)``.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from functools import reduce

import polars as pl

from sp2lnob.errors import ExpressionError, did_you_mean

MAX_LENGTH = 2_000
MAX_NODES = 500

_BINOPS: dict[type, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.FloorDiv: lambda a, b: a // b,
    ast.Mod: lambda a, b: a % b,
    ast.Pow: lambda a, b: a**b,
}

_COMPARE: dict[type, Callable[[pl.Expr, pl.Expr], pl.Expr]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


def _fn_between(x: pl.Expr, lo: pl.Expr, hi: pl.Expr) -> pl.Expr:
    return (x >= lo) & (x <= hi)


_FUNCTIONS: dict[str, tuple[int | tuple[int, int], Callable[..., pl.Expr]]] = {
    # name: (number of arguments or (min, max), builder)
    "between": (3, _fn_between),
    "isnull": (1, lambda x: x.is_null()),
    "notnull": (1, lambda x: x.is_not_null()),
    "abs": (1, lambda x: x.abs()),
    "log": (1, lambda x: x.log()),
    "exp": (1, lambda x: x.exp()),
    "sqrt": (1, lambda x: x.sqrt()),
    "floor": (1, lambda x: x.floor()),
    "ceil": (1, lambda x: x.ceil()),
    "round": ((1, 2), lambda x, d=None: x.round(0 if d is None else _literal_int(d))),
    "min": ((2, 16), lambda *xs: pl.min_horizontal(*xs)),
    "max": ((2, 16), lambda *xs: pl.max_horizontal(*xs)),
    "coalesce": ((2, 16), lambda *xs: pl.coalesce(*xs)),
}

ALLOWED_FUNCTIONS = tuple(sorted(_FUNCTIONS))


def _literal_int(expr: pl.Expr) -> int:
    # round()'s digits must be a literal; we keep the value on the expression.
    value = getattr(expr, "_sp2lnob_literal", None)
    if not isinstance(value, int):
        raise ExpressionError("round(x, digits) needs a whole-number literal for digits")
    return value


def referenced_names(text: str, *, where: str | None = None) -> set[str]:
    """Column names an expression refers to (functions excluded)."""
    tree = _parse(text, where)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    calls = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return names - calls - {"True", "False", "None"}


def compile_expression(text: str, columns: Collection[str], *, where: str | None = None) -> pl.Expr:
    """Compile ``text`` to a Polars expression over ``columns``.

    Raises :class:`ExpressionError` for a syntax error, a construct that is not
    allowed, an unknown function or an unknown column (with the closest names).
    """
    tree = _parse(text, where)
    return _Compiler(text, frozenset(columns), where).visit(tree.body)


def _parse(text: str, where: str | None) -> ast.Expression:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("an expression must be a non-empty string", where=where, got=repr(text))
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            "expression is too long", where=where, expected=f"at most {MAX_LENGTH} characters", got=len(text)
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        hint = "use == to compare, 'and'/'or'/'not' to combine"
        raise ExpressionError(
            "expression is not valid syntax",
            where=where,
            got=f"{text!r} (column {exc.offset})" if exc.offset else repr(text),
            hint=hint,
        ) from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ExpressionError("expression is too complex", where=where, expected=f"at most {MAX_NODES} nodes")
    return tree


class _Compiler:
    def __init__(self, text: str, columns: frozenset[str], where: str | None) -> None:
        self.text = text
        self.columns = columns
        self.where = where

    def fail(self, node: ast.AST, what: str, hint: str | None = None) -> ExpressionError:
        segment = ast.get_source_segment(self.text.strip(), node) or self.text
        return ExpressionError(what, where=self.where, got=segment, hint=hint)

    def visit(self, node: ast.AST) -> pl.Expr:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise self.fail(
                node,
                f"{type(node).__name__} is not allowed in an expression",
                hint="allowed: column names, numbers, strings, comparisons, and/or/not, "
                "arithmetic, 'in [...]', 'a if c else b', and " + ", ".join(ALLOWED_FUNCTIONS),
            )
        return method(node)

    def visit_Constant(self, node: ast.Constant) -> pl.Expr:
        if node.value is not None and not isinstance(node.value, (bool, int, float, str)):
            raise self.fail(node, "only numbers, strings, True, False and None are allowed as literals")
        expr = pl.lit(node.value)
        expr._sp2lnob_literal = node.value  # type: ignore[attr-defined]
        return expr

    def visit_Name(self, node: ast.Name) -> pl.Expr:
        if node.id not in self.columns:
            raise self.fail(
                node, f"unknown variable {node.id!r}", hint=did_you_mean(node.id, self.columns)
            )
        return pl.col(node.id)

    def visit_BoolOp(self, node: ast.BoolOp) -> pl.Expr:
        parts = [self.visit(v) for v in node.values]
        if isinstance(node.op, ast.And):
            return reduce(lambda a, b: a & b, parts)
        return reduce(lambda a, b: a | b, parts)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> pl.Expr:
        operand = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            return ~operand
        if isinstance(node.op, ast.USub):
            if isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float)):
                return self.visit_Constant(ast.Constant(-node.operand.value))
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail(node, f"operator {type(node.op).__name__} is not allowed")

    def visit_BinOp(self, node: ast.BinOp) -> pl.Expr:
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise self.fail(node, f"operator {type(node.op).__name__} is not allowed")
        return op(self.visit(node.left), self.visit(node.right))

    def visit_Compare(self, node: ast.Compare) -> pl.Expr:
        parts: list[pl.Expr] = []
        left_node = node.left
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            left = self.visit(left_node)
            if isinstance(op, (ast.In, ast.NotIn)):
                values = self._literal_list(right_node)
                expr = left.is_in(values)
                parts.append(~expr if isinstance(op, ast.NotIn) else expr)
            else:
                fn = _COMPARE.get(type(op))
                if fn is None:
                    raise self.fail(node, f"comparison {type(op).__name__} is not allowed", hint="use == or !=")
                parts.append(fn(left, self.visit(right_node)))
            left_node = right_node
        return reduce(lambda a, b: a & b, parts)

    def _literal_list(self, node: ast.AST) -> list:
        if not isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            raise self.fail(node, "'in' needs a literal list such as [1, 2, 3]")
        values: list[bool | int | float | str] = []
        for elt in node.elts:
            if (
                isinstance(elt, ast.UnaryOp)
                and isinstance(elt.op, ast.USub)
                and isinstance(elt.operand, ast.Constant)
                and isinstance(elt.operand.value, (int, float))
                and not isinstance(elt.operand.value, bool)
            ):
                values.append(-elt.operand.value)
            elif isinstance(elt, ast.Constant) and isinstance(elt.value, (bool, int, float, str)):
                values.append(elt.value)
            else:
                raise self.fail(elt, "'in' lists may hold only numbers and strings")
        return values

    def visit_IfExp(self, node: ast.IfExp) -> pl.Expr:
        return pl.when(self.visit(node.test)).then(self.visit(node.body)).otherwise(self.visit(node.orelse))

    def visit_Call(self, node: ast.Call) -> pl.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(node, "only plain function calls are allowed", hint="e.g. between(age, 0, 17)")
        name = node.func.id
        spec = _FUNCTIONS.get(name)
        if spec is None:
            raise self.fail(
                node,
                f"unknown function {name!r}",
                hint=did_you_mean(name, _FUNCTIONS) or "allowed: " + ", ".join(ALLOWED_FUNCTIONS),
            )
        if node.keywords:
            raise self.fail(node, f"{name}() takes positional arguments only")
        arity, build = spec
        lo, hi = (arity, arity) if isinstance(arity, int) else arity
        if not lo <= len(node.args) <= hi:
            expected = str(lo) if lo == hi else f"{lo} to {hi}"
            raise self.fail(node, f"{name}() takes {expected} arguments, got {len(node.args)}")
        return build(*(self.visit(a) for a in node.args))
