"""Errors and warnings that a build reports to the newsroom.

Every problem with input is a `ContentError` that knows the file, the line (when it can), the
field and what is allowed. The build collects them all instead of stopping at the first, so one
run shows every broken article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One error or warning about one input file."""

    path: str
    message: str
    line: int | None = None
    field: str | None = None

    def format(self, kind: str = "error") -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f" [{self.field}]" if self.field else ""
        return f"{where}: {kind}{what}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


class ContentError(Exception):
    """Bad input in one file: raised by readers, collected by the build."""

    def __init__(
        self, path: str | Path, message: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.problem = Problem(str(path), message, line, field)
        super().__init__(self.problem.format())

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None, str | None]]:
        # Picklable, so an error raised in a build worker reaches the parent intact.
        p = self.problem
        return (type(self), (p.path, p.message, p.line, p.field))


class ContentErrors(ContentError):
    """Several problems in one file, raised together (a page with two broken shortcodes)."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.path, first.message, first.line, first.field)
        self.problems = list(problems)

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:  # type: ignore[override]
        return (type(self), (self.problems,))


class ConfigError(ContentError):
    """Bad site configuration (site.toml or a command-line flag)."""


class BuildError(Exception):
    """A build that cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        self.summary = summary or f"build failed: {len(problems)} error(s)"
        lines = [p.format() for p in self.problems]
        if summary:
            lines.append(summary)
        super().__init__("\n".join(lines))


@dataclass
class Report:
    """Mutable collector for one stage; frozen results flow on, this only gathers problems."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, exc: ContentError) -> None:
        self.errors.append(exc.problem)

    def warn(self, path: str | Path, message: str, line: int | None = None,
             field: str | None = None) -> None:
        self.warnings.append(Problem(str(path), message, line, field))

    def raise_if_errors(self) -> None:
        if self.errors:
            n = len({p.path for p in self.errors})
            noun = "file" if n == 1 else "files"
            raise BuildError(self.errors, f"build failed: {len(self.errors)} error(s) in {n} {noun}")
