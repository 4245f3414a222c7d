"""The writer: the only code that touches the output folder.

Guarantees, each tested:
- nothing is written outside the output folder, whatever a slug or url says;
- a file the generator did not write is never overwritten or deleted (the manifest
  `.broadsheet-manifest.json` records what it wrote, with each file's hash);
- a failed build leaves the previous output as it was: new bytes go to a staging folder first and
  are moved into place (one rename each) only when the whole site has rendered;
- a file whose bytes did not change is not rewritten, so watchers and deploys see real changes only;
- files an earlier build wrote and this one did not are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import BuildError, ContentError, Problem

MANIFEST = ".broadsheet-manifest.json"
STAGING = ".broadsheet-staging"
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(
    os, "O_BINARY", 0)


@dataclass(frozen=True)
class WriteReport:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]
    kept_foreign: tuple[str, ...]  # stale paths left alone because someone changed them


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def check_output_dir(output_dir: Path, site_dir: Path) -> Path:
    """Refuse output folders where a stale-file clean-up could hurt the site's own files."""
    out = output_dir.resolve()
    site = site_dir.resolve()
    reason = None
    if out == site:
        reason = "it is the site folder itself"
    elif out in site.parents:
        reason = "it holds the site folder"
    elif (out / "content").is_dir():
        reason = "it holds a content/ folder, so it looks like a site"
    elif out == Path(out.anchor) or out == Path.home().resolve():
        reason = "it is the file system root or the home folder"
    elif out.exists() and not out.is_dir():
        reason = "it is a file"
    if reason:
        raise BuildError([Problem(str(output_dir), f"refusing to use this as the output folder: "
                                                    f"{reason}; choose an empty or dedicated folder",
                                  field="output")])
    return out


def safe_relpath(rel: str) -> str:
    """A normalised relative path that cannot leave the output folder."""
    if "\\" not in rel and not rel.startswith(("/", "~")) and rel and "//" not in rel and all(
            part not in ("", ".", "..") for part in rel.split("/")):
        return rel  # already normal: what PurePosixPath would give back (17,000 pages a build)
    p = PurePosixPath(rel.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts or rel.startswith("~"):
        raise ContentError(rel, "output path leaves the output folder; refusing to write it")
    return p.as_posix()


class Writer:
    def __init__(self, output_dir: Path, site_dir: Path) -> None:
        self.root = check_output_dir(output_dir, site_dir)
        self.staging = self.root / STAGING
        self.old = self._load_manifest()
        self.new: dict[str, str] = {}
        self.pending: list[str] = []
        self.unchanged = 0
        # The folders of output files checked (`_inside`) and made in staging, as strings: the
        # per-page path work in `prepare` is os.path's, not pathlib's (a tenth of the render
        # stage when it was pathlib's)
        self._root = str(self.root)
        self._staging = str(self.staging)
        self._checked_dirs: set[str] = set()
        self._absent_dirs: set[str] = set()  # checked and found missing: all below is missing
        self._made_dirs: set[str] = set()
        self._staging_in = self._staging + os.sep

    def _load_manifest(self) -> dict[str, str]:
        try:
            data = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
            files = data.get("files", {})
            return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
        except (OSError, ValueError, AttributeError):
            return {}

    def _inside(self, rel: str, folder: str) -> None:
        """Refuse a target in `folder` when it is, or sits under, a symlink inside the output
        folder.

        One lstat per new folder: a folder is safe when its parent is safe and it is not a link
        (safe_relpath already ruled out '..'). The output root itself was resolved at start.
        """
        if not self._safe_dir(folder):
            raise ContentError(rel, "output path leads outside the output folder through a symlink")

    def _safe_dir(self, folder: str) -> bool:
        unchecked = []
        while folder != self._root and folder not in self._checked_dirs:
            unchecked.append(folder)
            folder = os.path.dirname(folder)
        # Below a folder that is not there, nothing is: no link to follow, no file to stat (on
        # a cold build, every page's own folder; see `prepare`). Never the staging folder,
        # which this writer makes.
        absent = folder in self._absent_dirs
        for path in reversed(unchecked):  # from the top down: a link above hides what is below
            if not absent:
                try:
                    mode = os.lstat(path).st_mode
                except FileNotFoundError:
                    absent = not (path == self._staging or path.startswith(self._staging_in))
                except (OSError, ValueError):
                    pass  # as os.path.islink: not a link; `prepare` says what is wrong
                else:
                    if stat.S_ISLNK(mode):
                        return False
            if absent:
                self._absent_dirs.add(path)
            self._checked_dirs.add(path)
        return True

    def write(self, rel: str, data: bytes) -> None:
        self.record(*self.prepare(rel, data))

    def prepare(self, rel: str, data: bytes) -> tuple[str, str, bool]:
        """Stage `data` unless the same bytes are already in place: (path, hash, staged).

        Touches only the staging folder, so render workers call it in parallel; the parent
        then `record`s each result.
        """
        rel = safe_relpath(rel)
        h = digest(data)
        target = os.path.join(self._root, rel)
        folder = os.path.dirname(target)
        self._inside(rel, folder)
        size: int | None = None
        if folder not in self._absent_dirs:  # else nothing is there to stat
            try:
                size = os.stat(target).st_size
            except FileNotFoundError:
                pass
            except OSError as exc:  # e.g. a name longer than the file system allows
                raise ContentError(rel, f"cannot write this output file: {exc.strerror}") from None
        if size is not None:
            if self.old.get(rel) == h and size == len(data):
                return rel, h, False
            if rel not in self.old:
                if os.path.isfile(target) and digest(Path(target).read_bytes()) == h:
                    return rel, h, False  # identical bytes already there: adopt them
                raise ContentError(rel, f"{target} exists and was not written by Broadsheet; move "
                                        "it away or empty the output folder (it is never overwritten)")
        staged = os.path.join(self._staging, rel)
        try:
            staged_folder = os.path.dirname(staged)
            if staged_folder not in self._made_dirs:
                self._make_dir(staged_folder)
            # os.open/os.write, not open(): no file object, buffer or fstat for bytes written
            # whole (17,000 pages a build)
            fd = os.open(staged, _WRITE_FLAGS, 0o666)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as exc:
            raise ContentError(rel, f"cannot write this output file: {exc.strerror}") from None
        return rel, h, True

    def _make_dir(self, folder: str) -> None:
        if os.path.dirname(folder) in self._made_dirs:
            try:
                os.mkdir(folder)  # a page's own folder, in one already made: one system call
                self._made_dirs.add(folder)
                return
            except FileExistsError:
                pass  # made on the way to a deeper one (or not a folder: makedirs says so)
        os.makedirs(folder, exist_ok=True)
        while folder != self._root and folder not in self._made_dirs:  # and those it made
            self._made_dirs.add(folder)
            folder = os.path.dirname(folder)

    def holds(self, rel: str, h: str, size: int) -> bool:
        """Whether `rel` is in place with the bytes of hash `h` and length `size`, as this
        writer's last build left it: what `prepare` checks before skipping a file, for a maker
        that knows a file's hash without making its bytes (the search index's kept chunks)."""
        if self.old.get(rel) != h:
            return False
        try:
            return os.stat(os.path.join(self._root, rel)).st_size == size
        except OSError:
            return False

    def record(self, rel: str, h: str, staged: bool) -> None:
        if rel in self.new:
            raise ContentError(rel, "two outputs of this build write the same file")
        self.new[rel] = h
        if staged:
            self.pending.append(rel)
        else:
            self.unchanged += 1

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteReport:
        """Move staged files into place, remove stale files of earlier builds, save the manifest."""
        self.root.mkdir(parents=True, exist_ok=True)
        if self.pending:
            self._move(self.staging, self.root)
        removed, kept = [], []
        for rel, h in sorted(self.old.items()):
            if rel in self.new:
                continue
            target = self.root / rel
            try:
                if target.is_file() and not target.is_symlink() and digest(target.read_bytes()) == h:
                    target.unlink()
                    removed.append(rel)
                    self._prune(target.parent)
                elif target.exists():
                    kept.append(rel)
            except OSError:
                kept.append(rel)
        if self.new != self.old or kept:
            manifest = {"generator": "broadsheet", "files": dict(sorted(self.new.items()))}
            tmp = self.root / (MANIFEST + ".tmp")
            tmp.write_text(json.dumps(manifest, indent=0), encoding="utf-8")
            os.replace(tmp, self.root / MANIFEST)
        shutil.rmtree(self.staging, ignore_errors=True)
        return WriteReport(tuple(self.pending), self.unchanged, tuple(removed), tuple(kept))

    def _move(self, staged: Path, target: Path) -> None:
        """Move the staged tree into place. A folder the output does not have yet moves whole
        (one rename, not one per file: a cold build of 10,000 articles makes ~17,000 folders);
        into an existing one, file by file. Every file's final path was checked in prepare()."""
        with os.scandir(staged) as entries:
            for entry in entries:
                into = target / entry.name
                if entry.is_dir(follow_symlinks=False) and os.path.lexists(into):
                    self._move(Path(entry.path), into)
                else:
                    os.replace(entry.path, into)

    def _prune(self, folder: Path) -> None:
        """Remove folders emptied by the clean-up, up to (not including) the output folder."""
        while folder != self.root and self.root in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent
