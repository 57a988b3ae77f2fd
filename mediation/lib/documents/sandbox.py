"""Admin-edited document templates, rendered in a sandbox.

Why Django's engine and not jinja2's SandboxedEnvironment: the templates already exist in
Django syntax, and Django's language cannot call methods with arguments or reach attributes
that start with "_". What made the old letters unsafe was the context (model instances with
related managers, users, tokens), not the syntax. So the sandbox is two walls:

1. The context is plain data only — dicts, lists, str, numbers, Decimal, dates, bool, None —
   built field by field by the area that owns the document (``ensure_plain`` refuses anything
   else before rendering). There is nothing behind a value to walk to.
2. A dedicated ``Engine`` whose only tags and filters are those of ``library`` (no include,
   extends, load, debug, ssi, url…; no loaders; autoescape off so the output is plain text).

At save, ``check_source`` compiles the template and also walks every variable against a
*specimen* context of the same shape, so ``{{ user.password }}`` or ``{{ employer.cases }}``
is refused with its line number instead of silently printing nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, Node, NodeList, Variable, VariableDoesNotExist
from django.template.defaulttags import FirstOfNode, ForNode, IfNode, WithNode
from django.utils.translation import gettext as _

PLAIN_SCALARS = (str, int, float, Decimal, bool, datetime.date, type(None))
DATE_PARTS = {"year", "month", "day"}
MAX_SOURCE_CHARS = 100_000


class SandboxEngine(Engine):
    # Engine always prepends these (defaulttags with include/load/debug…); the sandbox has none.
    default_builtins: list[str] = []


_ENGINE: SandboxEngine | None = None


def engine() -> SandboxEngine:
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = SandboxEngine(
            dirs=[],
            app_dirs=False,
            loaders=[],
            libraries={},
            autoescape=False,
            debug=True,
            string_if_invalid="",
            builtins=["mediation.lib.documents.library"],
        )
    return _ENGINE


class RenderError(Exception):
    """The template cannot be rendered (it was forced into the database past the check)."""


def ensure_plain(value: Any, path: str = "context") -> None:
    """Refuse anything but plain data: a model instance or manager must never reach a template."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: non-string key {key!r}")
            ensure_plain(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            ensure_plain(item, f"{path}.{i}")
    elif not isinstance(value, PLAIN_SCALARS):
        raise TypeError(f"{path}: {type(value).__name__} is not plain data")


def _line(exc: TemplateSyntaxError) -> int | None:
    info = getattr(exc, "template_debug", None) or {}
    return info.get("line")


def _syntax_message(exc: Exception) -> str:
    line = _line(exc) if isinstance(exc, TemplateSyntaxError) else None
    text = str(exc)
    if "Invalid block tag" in text or "Invalid filter" in text:
        what = text.split("'")[1] if "'" in text else text
        text = _("“%(what)s”不在文书模板允许的标签和过滤器之内") % {"what": what}
    if line:
        return _("模板第 %(line)s 行有语法错误：%(error)s") % {"line": line, "error": text}
    return _("模板有语法错误：%(error)s") % {"error": text}


def compile_source(source: str):
    if len(source) > MAX_SOURCE_CHARS:
        raise ValidationError(
            _("模板过长（上限 %(n)d 字）。") % {"n": MAX_SOURCE_CHARS}, code="template_size"
        )
    try:
        return engine().from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(_syntax_message(exc), code="template_syntax") from exc
    except (RecursionError, ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise ValidationError(_syntax_message(exc), code="template_syntax") from exc


# ---------------------------------------------------------------- variable walk

FORLOOP = {
    "counter": 1,
    "counter0": 0,
    "revcounter": 1,
    "revcounter0": 0,
    "first": True,
    "last": True,
}


class _Unknown(Exception):
    def __init__(self, name: str):
        self.name = name


def _resolve(var: Variable, scope: dict) -> Any:
    if var.lookups is None:  # a literal
        return var.literal
    root, *rest = var.lookups
    if root not in scope:
        raise _Unknown(".".join(var.lookups))
    value = scope[root]
    for part in rest:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list | tuple) and part.isdigit():
            value = value[0] if value else None
        elif isinstance(value, datetime.date) and part in DATE_PARTS:
            value = 1
        else:
            raise _Unknown(".".join(var.lookups))
    return value


def _check_expression(expr: FilterExpression | Any, scope: dict) -> Any:
    if not isinstance(expr, FilterExpression):
        return None
    value = _resolve(expr.var, scope) if isinstance(expr.var, Variable) else expr.var
    for _func, args in expr.filters:
        for lookup, arg in args:
            if lookup and isinstance(arg, Variable):
                _resolve(arg, scope)
    return value


def _check_condition(cond: Any, scope: dict) -> None:
    if cond is None:
        return
    if isinstance(getattr(cond, "value", None), FilterExpression):
        _check_expression(cond.value, scope)
    for side in ("first", "second"):
        if getattr(cond, side, None) is not None:
            _check_condition(getattr(cond, side), scope)


def _walk(nodelist: NodeList | list[Node], scope: dict, errors: list[str]) -> None:
    for node in nodelist:
        line = getattr(getattr(node, "token", None), "lineno", None)
        try:
            if isinstance(node, ForNode):
                seq = _check_expression(node.sequence, scope)
                item = seq[0] if isinstance(seq, list | tuple) and seq else None
                inner = dict(scope)
                inner["forloop"] = dict(FORLOOP, parentloop=scope.get("forloop", {}))
                if len(node.loopvars) == 1:
                    inner[node.loopvars[0]] = item
                else:
                    for i, name in enumerate(node.loopvars):
                        inner[name] = (
                            item[i] if isinstance(item, list | tuple) and len(item) > i else None
                        )
                _walk(node.nodelist_loop, inner, errors)
                _walk(node.nodelist_empty, scope, errors)
                continue
            if isinstance(node, IfNode):
                for cond, body in node.conditions_nodelists:
                    _check_condition(cond, scope)
                    _walk(body, scope, errors)
                continue
            if isinstance(node, WithNode):
                inner = dict(scope)
                for name, expr in node.extra_context.items():
                    inner[name] = _check_expression(expr, scope)
                _walk(node.nodelist, inner, errors)
                continue
            if isinstance(node, FirstOfNode):
                for expr in node.vars:
                    _check_expression(expr, scope)
                continue
            if hasattr(node, "filter_expression"):
                _check_expression(node.filter_expression, scope)
        except _Unknown as unknown:
            errors.append(
                _("模板第 %(line)s 行：不能使用“%(name)s”，只能使用模板说明中列出的字段。")
                % {"line": line or "?", "name": unknown.name}
            )


def check_source(source: str, specimen: dict) -> None:
    """Refuse a template outside the sandbox: bad syntax, a tag or filter not allowed, or a
    variable the context does not offer. Every message names its line. Never raises anything
    but ValidationError."""
    try:
        template = compile_source(source)
        errors: list[str] = []
        _walk(template.nodelist, specimen, errors)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 — the admin must get a message, never a 500
        raise ValidationError(
            _("模板无法解析：%(e)s") % {"e": exc.__class__.__name__}, code="template"
        ) from exc
    if errors:
        raise ValidationError(errors, code="template_field")


def render(source: str, context: dict) -> str:
    """Render `source` against a plain context; lines are stripped, blank lines dropped."""
    ensure_plain(context)
    try:
        template = compile_source(source)
        text = template.render(Context(context, autoescape=False))
    except ValidationError as exc:
        raise RenderError(
            _("文书模板有错误，请在后台修改模板：%(e)s") % {"e": "；".join(exc.messages)}
        ) from exc
    except (
        TemplateSyntaxError,
        VariableDoesNotExist,
        RecursionError,
        TypeError,
        ValueError,
    ) as exc:
        raise RenderError(_("文书模板有错误，请在后台修改模板：%(e)s") % {"e": exc}) from exc
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip())


def describe(specimen: dict, prefix: str = "") -> list[str]:
    """The field names a template may use, for the admin's help text."""
    names = []
    for key, value in specimen.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            names.extend(describe(value, f"{name}."))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            names.append(f"{name}[]")
            names.extend(describe(value[0], f"{name}[]."))
        else:
            names.append(name)
    return names
