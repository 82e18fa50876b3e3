"""Turn a pydantic ``ValidationError`` into one readable :class:`SpecError`.

The location of each problem is written as a key path
(``asiatica.yaml: programmes[2].unit``); a misspelt key gets the closest
valid key at that place as a hint. No raw pydantic dump reaches the user.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from sp2lnob.errors import ErrorDetail, SpecError, did_you_mean


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, unions, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            out.extend(_models_in(arg))
        return out
    return []


def _container_item(annotation: Any) -> Any:
    """For list[X] / dict[K, X] (possibly Annotated / Optional), the item annotation X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _container_item(typing.get_args(annotation)[0])
    if origin in (list, tuple):
        return typing.get_args(annotation)[0]
    if origin is dict:
        return typing.get_args(annotation)[1]
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if typing.get_origin(arg) in (list, tuple, dict):
                return _container_item(arg)
    return None


def _walk(root: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, list[str]]:
    """The printable key path of ``loc`` and the valid keys of the innermost model."""
    parts: list[str] = []
    models: list[type[BaseModel]] = [root]
    annotation: Any = None
    for i, item in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(item, int):
            parts.append(f"[{item}]")
            annotation = _container_item(annotation)
            models = _models_in(annotation) if annotation is not None else []
            continue
        key = str(item)
        fields = {name: m for m in models for name in m.model_fields}
        if key in fields:
            parts.append(("." if parts else "") + key)
            annotation = fields[key].model_fields[key].annotation
            models = _models_in(annotation)
            continue
        # a discriminated-union tag (e.g. 'absolute'): pick that member, print nothing
        tagged = [m for m in models if _tag_of(m) == key]
        if tagged and not last:
            models = tagged
            continue
        parts.append(("." if parts else "") + key)
        if not models and annotation is not None:  # a dict key
            annotation = _container_item(annotation)
            models = _models_in(annotation)
    valid = sorted({name for m in models for name in m.model_fields})
    return "".join(parts), valid


def _tag_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("type")
    if field is None:
        return None
    args = typing.get_args(field.annotation)
    return str(args[0]) if len(args) == 1 else None


def _detail(err: Any, source: str, root: type[BaseModel]) -> ErrorDetail:
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    path, valid = _walk(root, loc)
    where = f"{source}: {path}" if path else source
    got = err.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        parent_path, parent_valid = _walk(root, loc[:-1])
        return ErrorDetail(
            what=f"unknown key {key!r}",
            where=where,
            expected=f"one of {', '.join(parent_valid)}" if parent_valid else None,
            got=key,
            hint=did_you_mean(key, parent_valid) or "remove it, or check the spec format in docs/survey-spec.md",
        )
    if kind == "missing":
        return ErrorDetail(what=f"missing required key {path.split('.')[-1]!r}", where=where)
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        return ErrorDetail(what=f"invalid value for {path}", where=where, expected=str(ctx.get("expected")), got=repr(got))
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        return ErrorDetail(
            what=f"unknown {ctx.get('discriminator', 'type')} {tag!r}",
            where=where,
            expected=", ".join(tags),
            got=repr(tag),
            hint=did_you_mean(str(tag), tags),
        )
    if kind == "union_tag_not_found":
        return ErrorDetail(what="missing key 'type'", where=where, expected="absolute, ppp, relative or quantile")
    if kind == "value_error":
        message = str(ctx.get("error", err.get("msg", "")))
        return ErrorDetail(what=message, where=where)
    expected = {
        "int_parsing": "an integer",
        "int_type": "an integer",
        "float_parsing": "a number",
        "float_type": "a number",
        "string_type": "text (a column or name)",
        "bool_parsing": "true or false",
        "bool_type": "true or false",
        "dict_type": "a mapping of keys",
        "model_type": "a mapping of keys",
        "list_type": "a list (items starting with '-')",
    }.get(kind)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        expected = str(err.get("msg", "")).replace("Input should be ", "")
    shown = got if not isinstance(got, (dict, list)) else type(got).__name__
    return ErrorDetail(
        what=f"invalid value for {path or 'the spec'}",
        where=where,
        expected=expected or str(err.get("msg", "")),
        got=repr(shown),
    )


def spec_error_from_validation(exc: ValidationError, source: str, root: type[BaseModel]) -> SpecError:
    details = [_detail(e, source, root) for e in exc.errors()]
    first = details[0]
    return SpecError(
        first.what if len(details) == 1 else f"{len(details)} problems in the survey spec: {first.what}, ...",
        where=first.where,
        expected=first.expected,
        got=first.got,
        hint=first.hint,
        details=details if len(details) > 1 else (),
    )
