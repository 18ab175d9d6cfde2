"""Files in the repository, read and written without following a link or leaving the repository.

Every file in a pull request may be hostile, and a symbolic link is a file too: committed as
`letter.pdf -> /proc/self/environ`, a plain `open()` would publish the build machine's secrets,
and a plain write to `letter.md.tmp -> ~/.bashrc` would overwrite a coordinator's file. So:

- reads open with O_NOFOLLOW and O_NONBLOCK, then check that what was opened is a regular file
  within a size limit (a named pipe or /dev/zero is named as what it is, and never read);
- writes go to a fresh temporary file (mkstemp: O_CREAT|O_EXCL, never through a link) in the
  target's own folder, are flushed to disk, then renamed into place, so a killed command leaves
  either the old file or the new one, and at worst a `.NAME.*.tmp` that `letters check` names;
- a path given on the command line must lie inside its base folder without passing through a
  link (`inside`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import subprocess
import tempfile
from pathlib import Path

from .errors import LetterError

LINK_TIP = (
    "commit the file itself, not a symbolic link: `git rm --cached PATH`, copy the real file "
    "there, and commit it"
)
SPECIAL_TIP = "replace it with an ordinary file"
LEFTOVER_SUFFIX = ".tmp"
_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # 0 on Windows: links are then refused by lstat first
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def kind(mode: int) -> str:
    """What a file of this mode is, in words ("a named pipe"); "a file" for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "a file")


def link_problem(path: Path) -> str:
    """ "is a symbolic link (to '…')", with the link's target shown safely."""
    try:
        target = os.readlink(path)
    except OSError:
        return "is a symbolic link"
    shown = repr(target if len(target) <= 80 else target[:80] + "…")
    return f"is a symbolic link (to {shown}); nothing is read through it"


def shown_in(path: Path, base: Path) -> str:
    """The path as a person knows it: relative to the folder that holds base (the repository,
    for base letters/), else as given."""
    lexical = Path(os.path.normpath(Path(path).absolute()))
    top = Path(os.path.normpath(Path(base).absolute())).parent
    return lexical.relative_to(top).as_posix() if lexical.is_relative_to(top) else str(path)


def size(count: int) -> str:
    """A file size in megabytes, to three figures: "60 MB", "1.05 MB"."""
    return f"{count / 1024 / 1024:.3g} MB"


def inside(path: Path, base: Path, shown: str | None = None) -> Path:
    """The absolute path, if it lies under base without passing through a symbolic link.

    `base` itself may be reached through links (a checkout under /tmp on macOS); nothing under
    it may be one, except the final component, which the reader or writer then refuses.
    """
    name = shown or str(path)
    lexical = Path(os.path.normpath(Path(path).absolute()))
    top = Path(os.path.normpath(Path(base).absolute()))
    if not lexical.is_relative_to(top):
        where = shown_in(base, base)
        raise LetterError(name, f"is outside {where}/", f"give a path under {where}/")
    here = top
    for part in lexical.relative_to(top).parts[:-1]:
        here = here / part
        if here.is_symlink():
            raise LetterError(shown_in(here, base), link_problem(here), LINK_TIP)
    given = Path(path).absolute()
    if given.name in ("", ".", ".."):
        real = Path(os.path.realpath(given))
    else:
        real = Path(os.path.realpath(given.parent)) / given.name
    if real != Path(os.path.realpath(top)) / lexical.relative_to(top):  # `..` after a link
        raise LetterError(name, "passes through a symbolic link", LINK_TIP)
    return lexical


def read_bytes(path: Path, limit: int, shown: str | None = None, too_big_tip: str = "") -> bytes:
    """A regular file's bytes, opened without following a link; LetterError names what it is."""
    name = shown or str(path)
    if not _NOFOLLOW and Path(path).is_symlink():
        raise LetterError(name, link_problem(Path(path)), LINK_TIP)
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        raise LetterError(name, "does not exist", "check the path") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP or Path(path).is_symlink():
            raise LetterError(name, link_problem(Path(path)), LINK_TIP) from None
        raise LetterError(name, f"could not be opened ({exc.strerror})", "check the path") from None
    with os.fdopen(fd, "rb", closefd=True) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            what = kind(info.st_mode)
            raise LetterError(name, f"is not a regular file (it is {what})", SPECIAL_TIP)
        if info.st_size > limit:
            raise LetterError(
                name,
                f"is {size(info.st_size)}, over the {size(limit)} limit",
                too_big_tip or "a letter's files are far smaller: is it the right file?",
            )
        data = handle.read(limit + 1)
    if len(data) > limit:  # it grew while we read it
        raise LetterError(name, f"is over the {size(limit)} limit", too_big_tip)
    return data


def read_text(path: Path, limit: int, shown: str | None = None) -> str:
    """A regular file's text, as read_bytes; it must be UTF-8 (a BOM is allowed)."""
    name = shown or str(path)
    data = read_bytes(path, limit, name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LetterError(
            name,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} on line {line})",
            "save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
        ) from None


def write_bytes(path: Path, data: bytes, base: Path) -> None:
    """Write a file under base atomically; refuse a link as the target or on the way to it."""
    target = inside(path, base)
    name = shown_in(target, base)
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        mode = 0o644
    else:
        if stat.S_ISLNK(info.st_mode):
            raise LetterError(name, link_problem(target), LINK_TIP)
        if not stat.S_ISREG(info.st_mode):
            raise LetterError(name, f"is {kind(info.st_mode)}, not a file", SPECIAL_TIP)
        mode = stat.S_IMODE(info.st_mode)
    if not target.parent.is_dir() or target.parent.is_symlink():
        raise LetterError(shown_in(target.parent, base), "is not a folder", "create it first")
    fd, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=LEFTOVER_SUFFIX, dir=target.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if hasattr(os, "fchmod"):  # mkstemp made it 0600; give it the old file's mode
                os.fchmod(handle.fileno(), mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def write_text(path: Path, text: str, base: Path) -> None:
    write_bytes(path, text.encode("utf-8"), base)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def leftovers(folder: Path, name: str) -> list[Path]:
    """Temporary files that an interrupted write of `name` left in folder (never links)."""
    prefix = f".{name}."
    return sorted(
        path
        for path in folder.glob(f"{prefix}*{LEFTOVER_SUFFIX}")
        if path.is_file() and not path.is_symlink()
    )


def copy_checked(source: Path, destination: Path, sha256: str, limit: int) -> None:
    """Copy a file that was checked as having this SHA-256, never through a link; LetterError
    if it is no longer that file."""
    data = read_bytes(source, limit)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise LetterError(
            source, "changed after it was checked", "run the build again from a clean checkout"
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    with open(destination, "wb") as handle:
        handle.write(data)


def committed_links(root: Path) -> list[str]:
    """Paths that git records as symbolic links (mode 120000) in root's checkout; [] when root
    is not the top of a git checkout. LetterError when git is there but cannot list the files.

    This catches a link even where the checkout wrote it as a plain file (core.symlinks=false).
    """
    if not (root / ".git").exists():
        return []
    try:
        listed = subprocess.run(  # noqa: S603 (fixed arguments; root is the repository)
            ["git", "-C", str(root), "ls-files", "--stage", "-z"],  # noqa: S607 (git from PATH)
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or str(exc).encode()
        raise LetterError(
            root / ".git",
            "could not be read to look for committed symbolic links: "
            + detail.decode("utf-8", "replace").strip().splitlines()[0],
            "install git, or mark the checkout safe: `git config --global --add "
            "safe.directory PATH`",
        ) from None
    links = []
    for entry in listed.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        if meta.startswith(b"120000 "):
            links.append(name.decode("utf-8", "replace"))
    return sorted(links)
