"""The files a server-side load may read: regular files inside the import folder, judged after every
link is followed, so no spelling of a path (`..`, an absolute path, a symlink or a chain of them) reaches
outside, and no device, FIFO or socket (which would block or never end) nor an oversize file is read.

Why here: `POST /load` takes paths from a caller; the readers then open what they are given. Only the
resolved paths returned below are handed to them. A folder is judged entry by entry (the readers do not
descend into sub-folders), so a folder holding one escaping link is refused whole.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class RefusedPathError(ValueError):
    """A path a server-side load may not read; the message names the path as given, never its target."""


def confined(given: str, root: Path, max_bytes: int) -> Path:
    """`given` (relative to `root`, or absolute) resolved, if it and everything a reader would open of it
    lie inside `root` and are regular files (or a folder of them) of at most `max_bytes` each."""
    try:
        base = root.resolve(strict=True)
    except OSError as exc:
        raise RefusedPathError("the import folder (IPCREDIT_IMPORT_DIR) does not exist") from exc
    if "\0" in given:
        raise RefusedPathError(f"{given!r}: not a path")
    real = _inside(base / given, base, given)
    if real.is_dir():
        for entry in sorted(real.iterdir()):
            shown = f"{given}/{entry.name}"
            if not (inner := _inside(entry, base, shown)).is_dir():  # sub-folders are not read
                _check_file(inner, shown, max_bytes)
    else:
        _check_file(real, given, max_bytes)
    return real


def _inside(path: Path, base: Path, shown: str) -> Path:
    """`path` with every link followed, refused unless it exists inside `base` (judged before existence,
    so the answer says nothing of what lies outside)."""
    real = Path(os.path.realpath(path))  # follows every link that exists, `..` after links
    if not real.is_relative_to(base):
        raise RefusedPathError(f"{shown!r}: outside the import folder")
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError as exc:
        raise RefusedPathError(f"{shown!r}: no such file or folder in the import folder") from exc
    except (OSError, RuntimeError) as exc:  # a link loop, a component that is not a folder
        raise RefusedPathError(f"{shown!r}: cannot be resolved ({type(exc).__name__})") from exc
    if not real.is_relative_to(base):  # a link changed between the two looks
        raise RefusedPathError(f"{shown!r}: outside the import folder")
    return real


def _check_file(real: Path, shown: str, max_bytes: int) -> None:
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        raise RefusedPathError(f"{shown!r}: not a regular file (a device, FIFO or socket is never read)")
    if info.st_size > max_bytes:
        raise RefusedPathError(f"{shown!r}: {info.st_size} bytes, over IPCREDIT_IMPORT_MAX_BYTES ({max_bytes})")
