"""The Markdown reader: YAML front matter (via python-frontmatter's splitter) plus a Markdown body."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..config import Config
from ..errors import ContentError, Report
from .document import SourceDocument
from .fast_yaml import parse_flat
from .fields import coerce_fields, near_misses

_HANDLER = YAMLHandler()
MAX_DEPTH = 20


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loading, with timestamps left as text: `fields.date` parses them itself, so an
    impossible unquoted date (2025-02-30) gets the same field-and-line message as a quoted one."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _too_deep(value: object) -> bool:
    """Nesting deeper than any front matter needs (iterative, so it cannot itself overflow)."""
    stack = [(value, 0)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > 100_000:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def key_line_finder(block: str, first_line: int):
    """A function giving the file line of a top-level key in a YAML block starting at first_line."""
    lines = block.split("\n")

    def line_of(key: str) -> int | None:
        for n, line in enumerate(lines):
            if line.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
                return first_line + n
        return None

    return line_of


def load_yaml(rel: str, block: str, first_line: int) -> object:
    """Parse a YAML block; a syntax error names the file line it is on. Flat front matter, what
    almost every article has, takes `fast_yaml.parse_flat` (a sixth of PyYAML's time)."""
    flat = parse_flat(block)
    if flat is not None:
        return flat
    try:
        data = yaml.load(block, Loader=_Loader) or {}
        if isinstance(data, dict):
            line_of = key_line_finder(block, first_line)
            for key, value in data.items():
                if _too_deep(value):
                    raise ContentError(rel, f"nested more than {MAX_DEPTH} levels deep, or too "
                                            "large (YAML aliases?)", line_of(str(key)), str(key))
        return data
    except yaml.MarkedYAMLError as exc:
        # The context mark is where the broken construct starts (the field's line); the problem
        # mark is where the parser gave up, often a line later.
        mark = exc.context_mark or exc.problem_mark
        line = first_line + mark.line if mark else first_line
        what = f"{exc.context}, {exc.problem}" if exc.context else str(exc.problem or exc)
        raise ContentError(rel, f"malformed YAML: {what}", line) from None
    except yaml.YAMLError as exc:
        raise ContentError(rel, f"malformed YAML: {exc}", first_line) from None
    except RecursionError:
        raise ContentError(rel, "front matter nested too deeply", first_line) from None
    except (ValueError, TypeError) as exc:
        # PyYAML's own timestamp parsing raises ValueError for impossible dates (2025-02-30).
        raise ContentError(rel, f"malformed YAML value: {exc}", first_line) from None


def toml_front_matter(rel: str, text: str) -> tuple[dict[str, Any], str, int]:
    """`+++` TOML front matter (Hugo's other form): the table, the body and its first line."""
    end = re.search(r"^\+\+\+[ \t]*$", text[3:], re.M)
    if not text.startswith("+++") or end is None or text[3:4] not in ("\n", "\r", " ", "\t"):
        raise ContentError(rel, "the TOML front matter starting on line 1 is never closed: add a "
                                "line with only '+++' after the last field", 1)
    block = text[3: 3 + end.start()]
    body = text[3 + end.end():].lstrip("\n") if text[3 + end.end():].startswith("\n") \
        else text[3 + end.end():]
    try:
        data = tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+)", str(exc))
        raise ContentError(rel, f"malformed TOML front matter: {exc}",
                           int(at.group(1)) if at else 1) from None
    return data, body, text.count("\n", 0, len(text) - len(body)) + 1


def _toml_line_finder(block_text: str):
    lines = block_text.split("\n")

    def line_of(key: str) -> int | None:
        for n, line in enumerate(lines):
            if re.match(rf"\s*['\"]?{re.escape(key)}['\"]?\s*=", line):
                return n + 1
        return None

    return line_of


def read_markdown(rel: str, text: str, config: Config, report: Report) -> SourceDocument | None:
    if text.startswith("+++"):
        data, body, body_line = toml_front_matter(rel, text)
        return _finish(rel, data, body, body_line, _toml_line_finder(text), config, report)
    if text.startswith("---"):
        try:
            block, body = _HANDLER.split(text)
        except ValueError:
            raise ContentError(rel, "the front matter starting on line 1 is never closed: add a "
                                    "line with only '---' after the last field", 1) from None
        block = block[1:] if block.startswith("\n") else block
        body_line = text.count("\n", 0, len(text) - len(body)) + 1
    else:
        block, body, body_line = "", text, 1
    raw = load_yaml(rel, block, 2) if block.strip() else {}
    return _finish(rel, raw, body, body_line, key_line_finder(block, 2), config, report)


def _finish(rel: str, raw: Any, body: str, body_line: int, line_of: Any, config: Config,
            report: Report) -> SourceDocument | None:
    if isinstance(raw, dict) and not raw.get("title"):
        # Markdown without a title field: take the first "# Heading" as the headline.
        first = body.lstrip("\n").split("\n", 1)
        m = _H1.match(first[0]) if first else None
        if m:
            raw = {**raw, "title": m.group(1)}
            body = first[1] if len(first) > 1 else ""
    if config.hugo_rules and isinstance(raw, dict):
        from ..hugo.content import front_matter

        raw, notes = front_matter(rel, raw)
        report.warnings.extend(notes)
    errors: list[ContentError] = []
    fields = coerce_fields(rel, raw, line_of, config.tz, errors)  # type: ignore[arg-type]
    for exc in errors:
        report.error(exc)
    if isinstance(raw, dict):
        for key, suggestion in near_misses(raw):
            report.warn(rel, f"unknown field {key!r} is kept as a custom parameter; did you mean "
                             f"{suggestion!r}?", line_of(key), key)
    if errors:
        return None
    return SourceDocument(path=rel, fields=fields, body=body, body_line=body_line)
