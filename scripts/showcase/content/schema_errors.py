"""Turn pydantic validation errors into Chinese problems at the right line and column."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from showcase import hints
from showcase.content import yamlstrict
from showcase.content.yamlstrict import Document, Loc
from showcase.hints import did_you_mean
from showcase.problems import ContentError, Problem

M = typing.TypeVar("M", bound=BaseModel)
# The slug rule in words; also the web editor's message for its slug field (showcase.editor).
SLUG_RULE = "只能用小写字母、数字和连字符（-），2–63 个字符，以字母或数字开头。"


def dotted(loc: Loc) -> str:
    """("figures", 2, "value") -> "figures[2].value" (0-based, as JSON paths; the line number is beside it)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _resolve(model: type[BaseModel], loc: Loc) -> tuple[type[BaseModel] | None, str | None]:
    """The model that holds the last key of `loc`, and that field's Chinese title."""
    current: type[BaseModel] | None = model
    title: str | None = None
    for i, part in enumerate(loc):
        if isinstance(part, int) or current is None:
            continue
        field = current.model_fields.get(part)
        if field is None:
            return current, None
        title = field.title
        if i < len(loc) - 1:
            current = _model_of(field.annotation)
    return current, title


def _describe_type(value: Any) -> str:
    if isinstance(value, dict):
        return "一组键值（映射）"
    if isinstance(value, list):
        return "一个列表"
    if value is None:
        return "空值"
    return f"“{value}”"


# What a value of the wrong shape should have been, by pydantic's error type.
_EXPECTED = {
    "string_type": "一段文字",
    "model_type": "一组“键: 值”",
    "model_attributes_type": "一组“键: 值”",
    "dict_type": "一组“键: 值”",
    "list_type": "一个列表（每项以“- ”开头）",
}


def translate(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    """Every error of `error` (from validating `doc` against `model`) as a Chinese problem."""
    return translate_errors(error.errors(include_url=False), doc, model)


def translate_errors(errors: list[ErrorDetails], doc: Document, model: type[BaseModel]) -> list[Problem]:
    """`errors` (pydantic's, from validating `doc` against `model`) as Chinese problems."""
    problems: list[Problem] = []
    for err in errors:
        loc: Loc = tuple(err["loc"])
        holder, title = _resolve(model, loc)
        name = dotted(loc) or "（整个文件）"
        label = f"{name}（{title}）" if title else name
        code, message = _explain(err, name, label, holder)
        if code == "UNKNOWN_KEY":
            pos = doc.key_pos(loc)
        elif code == "MISSING":
            pos = doc.pos(loc[:-1])  # the mapping that lacks the key
        else:
            pos = doc.pos(loc)
        problems.append(Problem(doc.path, pos.line, pos.col, code, message))
    return problems


def _explain(err: ErrorDetails, name: str, label: str, holder: type[BaseModel] | None) -> tuple[str, str]:
    """Code and Chinese message for one pydantic error at the field `name` (`label` with its title)."""
    loc = err["loc"]
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = list(holder.model_fields) if holder else []
        hint = did_you_mean(
            str(loc[-1]), allowed, cutoff=hints.KEYS, otherwise=f"可用的键：{'、'.join(allowed)}。"
        )
        return "UNKNOWN_KEY", f"未知的键“{name}”，它的内容不会被使用：{hint}"
    if kind == "missing":
        parent = dotted(loc[:-1])
        where = f"在“{parent}”下" if parent else ""
        return "MISSING", f"缺少必填项 {label}：请{where}补上这一项。"
    if kind in _EXPECTED:
        return "TYPE", f"{label} 应为{_EXPECTED[kind]}，现在是{_describe_type(value)}。"
    if kind == "string_too_short":
        return "EMPTY", f"{label} 不能为空。"
    if kind == "string_too_long":
        return "TOO_LONG", f"{label} 太长了：最多 {ctx.get('max_length')} 个字，现在 {len(str(value))} 个字。"
    if kind == "too_long":
        return "TOO_LONG", f"{label} 项数太多：最多 {ctx.get('max_length')} 项。"
    if kind == "too_short":
        return "TOO_SHORT", f"{label} 至少要有 {ctx.get('min_length')} 项。"
    if kind == "literal_error":
        options = "、".join(
            o.strip(" '") for o in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")
        )
        return "CHOICE", f"{label} 只能是 {options} 之一，现在是{_describe_type(value)}。"
    if kind == "string_pattern_mismatch":
        if loc[-1] == "slug":
            return (
                "FORMAT",
                f"{label}“{value}”不合规：{SLUG_RULE}",
            )
        if loc[-1] == "url":
            return "FORMAT", f"{label}“{value}”不是允许的链接：只能以 http:// 或 https:// 开头。"
        return "FORMAT", f"{label}“{value}”格式不对。"
    if kind.startswith(("date_", "number_")):
        return ("DATE" if kind.startswith("date_") else "NUMBER"), f"{label}：{err['msg']}"
    return "SCHEMA", f"{label} 的值有误（{err['msg']}）。"


def validated(doc: Document, model: type[M]) -> M:
    """`doc`'s data as `model`; ContentError lists every problem, at its line and column."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as e:
        raise ContentError(translate(e, doc, model)) from None


def load_validated(path: str, raw: bytes, model: type[M]) -> tuple[Document, M]:
    """A YAML file (strict loader) validated against `model`; ContentError lists every problem."""
    doc = yamlstrict.load(path, raw)
    return doc, validated(doc, model)
