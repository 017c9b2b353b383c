"""One complete output set per run: files are written into a hidden staging folder and swapped in together.

A run never leaves a mixed, partial or lost set: until `commit()` the target folder is untouched (a full
disk, Ctrl-C, SIGTERM or a crash leaves the earlier outputs as they were, and a new folder is not even
created); `commit()` moves every earlier output of the command aside (also those this run does not make,
e.g. annotated.mp4 under --no-video), moves the new files in with result.json last, and only then deletes
the old ones; if a move fails the old set is put back. The caller keeps signals from interrupting
`commit()` (see ankle_cv/interrupts.py).
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ankle_cv.errors import OutputError
from ankle_cv.io.path_text import path_text

STAGING_PREFIX = ".ankle_cv-staging-"
LAST = "result.json"  # moved in last: a result.json means the files beside it belong to it


def reason_of(exc: OSError, path: Path | None = None) -> str:
    """The OS's words for a failure (disk full says so); with the path, which part of it is in the way or missing."""
    if exc.errno == errno.ENOSPC:
        return "No space left on device: the disk is full"
    if path is not None and exc.errno in (errno.ENOTDIR, errno.ENOENT):
        return path_problem(Path(path)) or exc.strerror or str(exc)
    return exc.strerror or str(exc)


def path_problem(path: Path) -> str | None:
    """Why nothing can be made at `path` for what lies above it: a file where a folder must be ('Not a directory' says
    too little), or the folder it would go in is missing; None when its folder is there."""
    parent = path.absolute().parent
    above = parent
    while not above.exists() and above != above.parent:
        above = above.parent
    if not above.is_dir():
        return f"{path_text(above)} is a file, not a folder"
    return None if above == parent else f"the folder {path_text(parent)} does not exist"


def _not_writable_reason(folder: Path) -> str:
    """Why a folder cannot be written, in the OS's words: a read-only disk says so (os.access gives no reason; a read-only
    disk was reported as "Permission denied" here and as "Read-only file system" where the folder existed)."""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return os.strerror(errno.EROFS)
    except (OSError, AttributeError):  # statvfs: not on Windows
        pass
    return os.strerror(errno.EACCES)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (false when either is missing)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def discard_abandoned(folder: Path) -> int:
    """Remove the staging folders under `folder` whose runs were stopped before they could (a batch's killed workers)."""
    found = [p for p in Path(folder).rglob(STAGING_PREFIX + "*") if p.is_dir()]
    for staging in found:
        shutil.rmtree(staging, ignore_errors=True)
    return len(found)


class OutputSet:
    """The outputs of one run for one folder: checked at once, written aside, swapped in whole."""

    def __init__(self, target: Path, names: tuple[str, ...], force: bool, inputs: Iterable[Path] = ()) -> None:
        """Check the folder and make the staging folder now, before the slow part; nothing visible is created."""
        self.target = Path(target)
        self.names = names
        self.staging: Path | None = None
        self._inside = False  # staging inside the (existing) target rather than beside it
        if self.target.exists() and not self.target.is_dir():
            raise OutputError(f"{self.target}: cannot create the output folder (a file has that name)")
        existing = [n for n in names if (self.target / n).exists() or (self.target / n).is_symlink()]
        for item in inputs:
            clash = next((n for n in names if _same_file(self.target / n, Path(item))), None)
            if clash is not None:
                raise OutputError(f"{self.target / clash}: is the input itself ({item}); it would be overwritten: "
                                  "choose another --out folder")
        if existing and not force:
            where = "the current folder" if str(self.target) in ("", ".") else f"{self.target}:"  # not ".: already ..."
            raise OutputError(f"{where} already holds {', '.join(existing)}; use --force to overwrite "
                              "or --out for another folder")
        self._open()

    def _open(self) -> None:
        """The staging folder: inside the target when it exists (same disk), else beside it (renamed into place)."""
        self._inside = self.target.is_dir()
        where = self.target if self._inside else self._nearest_parent()
        try:
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=where))
        except OSError as exc:
            what = "the output folder is not writable" if self._inside else "cannot create the output folder"
            if exc.errno == errno.ENOENT or exc.errno == errno.ENOTDIR:
                what = "cannot create the output folder"
            raise OutputError(f"{self.target}: {what} ({reason_of(exc)})") from None
        os.chmod(self.staging, 0o777 & ~_umask())  # mkdtemp makes 0700; the folder becomes the output folder

    def _nearest_parent(self) -> Path:
        """The target's parent, which must exist: parents are created only at commit (none left after a refusal)."""
        parent = self.target.absolute().parent
        missing = []
        while not parent.exists():
            missing.append(parent)
            parent = parent.parent
        if not parent.is_dir():
            raise OutputError(f"{self.target}: cannot create the output folder ({path_text(parent)} is a file, not a folder)")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"{self.target}: cannot create the output folder ({_not_writable_reason(parent)})")
        return parent

    @property
    def folder(self) -> Path:
        """The staging folder this run writes into."""
        assert self.staging is not None, "the output set was committed or discarded"
        return self.staging

    def path(self, name: str) -> Path:
        """Where this run writes `name` now (in the staging folder)."""
        assert self.staging is not None, "the output set was committed or discarded"
        return self.staging / name

    def final(self, name: str) -> Path:
        """Where `name` will be once committed."""
        return self.target / name

    def discard(self) -> None:
        """Drop what this run wrote; the folder stays as it was (or absent)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def commit(self) -> tuple[Path, ...]:
        """Swap the new set in (old outputs of this command removed); returns the final paths of the new files."""
        assert self.staging is not None, "the output set was committed or discarded"
        made = sorted((p.name for p in self.staging.iterdir() if not p.name.startswith(".")),
                      key=lambda n: (n == LAST, n))
        for stray in self.staging.iterdir():  # temporary files of atomic writers are never part of the set
            if stray.name.startswith("."):
                stray.unlink(missing_ok=True) if not stray.is_dir() else shutil.rmtree(stray, ignore_errors=True)
        try:
            if not self._inside:
                self._commit_new_folder()
            else:
                self._commit_into_folder(made)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.target}: the outputs could not be put in place ({reason_of(exc)}); "
                              "the earlier outputs are unchanged") from None
        self.staging = None
        return tuple(self.target / n for n in made)

    def _commit_new_folder(self) -> None:
        """The target did not exist: create its parents and rename the staging folder to it (one atomic step)."""
        assert self.staging is not None
        self.target.absolute().parent.mkdir(parents=True, exist_ok=True)
        if self.target.is_dir():  # made meanwhile by someone else: fall back to moving the files in
            inner = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.target))
            for item in self.staging.iterdir():
                shutil.move(str(item), inner / item.name)
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging, self._inside = inner, True
            self._commit_into_folder(sorted((p.name for p in inner.iterdir()), key=lambda n: (n == LAST, n)))
            return
        os.rename(self.staging, self.target)

    def _commit_into_folder(self, made: list[str]) -> None:
        """Old outputs aside, new ones in (result.json last), then the old ones deleted; undone on failure."""
        assert self.staging is not None
        aside = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + "old-", dir=self.target))
        moved_old: list[str] = []
        moved_new: list[str] = []
        try:
            for name in sorted(self.names, key=lambda n: n != LAST):  # ours only (a report beside an analysis keeps
                # its result.json); result.json first out: never beside a mix
                if (self.target / name).exists() or (self.target / name).is_symlink():
                    os.rename(self.target / name, aside / name)
                    moved_old.append(name)
            for name in made:
                os.rename(self.staging / name, self.target / name)
                moved_new.append(name)
        except OSError:
            for name in reversed(moved_new):
                os.rename(self.target / name, self.staging / name)
            for name in reversed(moved_old):
                os.rename(aside / name, self.target / name)
            shutil.rmtree(aside, ignore_errors=True)
            raise
        shutil.rmtree(aside, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)


def _umask() -> int:
    """The process umask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
