"""What every reader produces (`SourceDocument`) and the decoding every reader starts from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ContentError
from .fields import Fields

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class SourceDocument:
    """One article as read from disk: validated fields and a Markdown body, nothing rendered."""

    path: str  # relative to content/, with forward slashes: "world/some-story.md"
    fields: Fields
    body: str  # Markdown (plain-text wire copy is converted to Markdown by its reader)
    body_line: int = 1  # line of the file on which the body starts
    kind: str = "markdown"  # "markdown" or "plaintext"

    @property
    def folder(self) -> str:
        """The first folder under content/ ("" for a file at the top level)."""
        return self.path.split("/", 1)[0] if "/" in self.path else ""

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def decode(rel: str, data: bytes) -> str:
    """UTF-8 text with BOM removed and line endings normalised; bad bytes name their offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(rel, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset "
                                f"{exc.start} ({exc.reason}); save the file as UTF-8", line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Control characters (scraper debris) are invalid in HTML and XML: drop them here, once.
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text
