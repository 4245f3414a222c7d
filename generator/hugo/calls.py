"""What a shortcode is given and gives back: the tag as written (`Call`), the body it is in
(`Body`, for line numbers), how a name renders (`Shortcode`) and what it sees (`Context`).
Shared by the parser (shortcodes.py), the built-ins (builtins.py) and a site's own (custom.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import ContentError, Problem
from ..model import PageRef
from ..sources.document import SourceDocument

FRAGMENT = "/zbsq{:04d}qz"  # a {{< >}} output's place in the Markdown (starts with "/": links
REF = "/zbsr{:04d}rz"  # keep it as it is, see articles.anchor_summary)


@dataclass(frozen=True)
class Call:
    """One shortcode tag as written."""

    name: str
    markdown: bool  # {{% %}}: its output is Markdown
    start: int  # offsets of the whole tag in the body
    end: int
    line: int
    closing: bool = False  # {{< /name >}}
    self_closed: bool = False  # {{< name />}}
    named: dict[str, str] = field(default_factory=dict)
    positional: tuple[str, ...] = ()
    literal: str | None = None  # {{</* name */>}}: the shortcode written as text

    def get(self, key: str | int, default: str = "") -> str:
        """A parameter by name, or by position (a name also finds position 0 when the call is
        positional only if `key` is an int)."""
        if isinstance(key, int):
            return self.positional[key] if key < len(self.positional) else default
        return self.named.get(key, default)

    def arg(self, name: str, position: int, default: str = "") -> str:
        """`name=` if given by name, else the parameter at `position` (Hugo's built-ins accept
        both forms)."""
        return self.named[name] if name in self.named else self.get(position, default)

    @property
    def params(self) -> dict[str, str] | list[str]:
        return dict(self.named) if self.named else list(self.positional)

    @property
    def tag(self) -> str:
        return f"{{{{{'%' if self.markdown else '<'} {self.name} {'%' if self.markdown else '>'}}}}}"


class Body:
    """The text being expanded, with what every error needs: the file and the line numbers."""

    def __init__(self, text: str, path: str, first_line: int) -> None:
        self.text = text
        self.path = path
        self.first_line = first_line
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return self.first_line + bisect.bisect_left(self._newlines, pos)

    def error(self, pos: int, message: str) -> ContentError:
        return ContentError(self.path, message, self.line(pos), "shortcode")


Handler = Callable[["Context", Call, str], str]


@dataclass(frozen=True)
class Shortcode:
    """How one shortcode name is rendered: a built-in or a site's Jinja template."""

    render: Handler
    inner: bool  # takes content between an opening and a closing tag
    raw_inner: bool = False  # its inner content is code: nested shortcodes are not expanded
    ref: bool = False  # its output is a page-reference placeholder, never a fragment


class Context:
    """What a shortcode sees: the page, the site, and where its outputs are collected."""

    def __init__(self, doc: SourceDocument, config: Config, page_url: str = "") -> None:
        self.doc = doc
        self.config = config
        self.page_url = page_url
        self.body = Body(doc.body, doc.path, doc.body_line)
        self.fragments: list[str] = []
        self.refs: list[PageRef] = []
        self.errors: list[Problem] = []
        self.registry: dict[str, Shortcode] = {}  # name -> shortcode: set by shortcodes.expand

    def lookup(self, name: str) -> Shortcode | None:
        return self.registry.get(name)

    def add_ref(self, target: str, absolute: bool, line: int) -> str:
        token = REF.format(len(self.refs))
        self.refs.append(PageRef(token, target, absolute, line))
        return token

    def markdownify(self, text: str, inline: bool = False) -> str:
        """Markdown to HTML, as Hugo's `markdownify`: one paragraph loses its <p>."""
        from ..markdown import to_html

        html = to_html(text)[0].strip()
        if inline or (html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1):
            return html[3:-4] if html.startswith("<p>") and html.endswith("</p>") else html
        return html


def param_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(param_value(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
