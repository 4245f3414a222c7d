"""What an import did, for the person who ran it: written, skipped and why, what needs a look."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Note:
    """One line of the report about one item (an article file, or the export when `where` is "")."""

    where: str
    message: str

    def format(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ImportReport:
    """Collected while an import is planned; printed at the end. Deterministic (no clock, no
    absolute paths), so the same export gives the same report."""

    written: list[str] = field(default_factory=list)  # files, relative to the site folder
    skipped: list[Note] = field(default_factory=list)  # items not imported, and why
    review: list[Note] = field(default_factory=list)  # imported, but a person should look
    info: list[Note] = field(default_factory=list)  # what was done that is worth knowing

    def skip(self, where: str, message: str) -> None:
        self.skipped.append(Note(where, message))

    def look(self, where: str, message: str) -> None:
        self.review.append(Note(where, message))

    def note(self, where: str, message: str) -> None:
        self.info.append(Note(where, message))

    def needs_look(self, path: str) -> bool:
        """Whether the report already points a person at this file."""
        return any(n.where == path for n in self.review)

    def format(self, articles: int) -> str:
        lines = [f"import: {articles} article(s) written, {len(self.written) - articles} other "
                 f"file(s) written, {len(self.skipped)} item(s) skipped, "
                 f"{len(self.review)} thing(s) to look at"]
        for title, notes in (("skipped", self.skipped), ("needs a human look", self.review),
                             ("notes", self.info)):
            if notes:
                lines.append(f"{title}:")
                lines += [f"  {n.format()}" for n in notes]
        return "\n".join(lines)
