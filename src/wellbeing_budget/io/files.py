"""Files on disk: atomic writes, names as messages show them, and a pause of the cyclic
garbage collector for bulk loading. Shared by every floor that reads or writes a file."""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem, ValidationError, WellbeingBudgetError

__all__ = [
    "csv_text",
    "display_name",
    "neutralise",
    "paused_gc",
    "read_small_text",
    "write_text_atomic",
]

if TYPE_CHECKING:
    import pandas as pd

#: What a spreadsheet reads as the start of a formula (CSV injection): ``=``, ``+``, ``-``,
#: ``@``, tab and carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, made plain text by a leading ``'``.

    >>> neutralise("=SUM(A1:A9)")
    "'=SUM(A1:A9)"
    >>> neutralise("Mental health"), neutralise(-3.5)
    ('Mental health', -3.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(frame: pd.DataFrame, *, index: bool = True) -> str:
    """A table as CSV, text cells (and labels) neutralised (:func:`neutralise`), numbers to
    ten significant digits, rows ended by CRLF."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(c) for c in safe.columns]
    if index:
        safe.index = safe.index.map(neutralise)
    # CRLF line ends (RFC 4180, as Excel writes): pandas quotes a cell holding a line feed but
    # not one holding a lone carriage return, which a reader takes for the end of the row;
    # with "\r\n" as the line end, every cell holding either is quoted.
    return safe.to_csv(index=index, float_format="%.10g", lineterminator="\r\n")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Bulk loading creates hundreds of thousands of objects and no reference cycles; the
    collector's repeated passes over them cost more than the loading itself (measured: 1.0 of
    1.9 s for 50,000 impacts). Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def display_name(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def write_text_atomic(path: str | os.PathLike[str], text: str | bytes) -> Path:
    """Write a file so that readers see the old content or the new one, never a half file.

    Only a regular file is replaced: a folder, a link, a device or a pipe of that name is
    left alone and refused. A failure is a :class:`WellbeingBudgetError` saying why, and
    leaves no temporary file behind.
    """
    target = Path(path)
    try:
        status = target.lstat()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise WellbeingBudgetError(f"cannot write {target}: {exc.strerror or exc}") from None
    else:
        if not stat.S_ISREG(status.st_mode):
            kind = (
                "a folder"
                if stat.S_ISDIR(status.st_mode)
                else "a link"
                if stat.S_ISLNK(status.st_mode)
                else "not a regular file"
            )
            raise WellbeingBudgetError(
                f"cannot write {target}: it is {kind}; name a new or a regular file"
            )
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, data)
    except OSError as exc:
        raise WellbeingBudgetError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _replace(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private; give it the mode a plain write would have given.
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_small_text(
    file: Path,
    name: str,
    max_bytes: int,
    kind: str,
    error: type[ValidationError] = ValidationError,
) -> str:
    """The UTF-8 text of ``file``, a regular file of at most ``max_bytes`` (a device, a FIFO
    or a huge file named by mistake is refused before it is read, never read forever). Every
    failure is one located problem of ``error``; ``kind`` says what the file should be
    ("a limits file is a CSV file")."""
    cannot = f"{name} cannot be read"
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            raise error([Problem(f"not a regular file: {kind}", (), name)], summary=cannot)
        if info.st_size > max_bytes:
            message = f"file is {info.st_size:,} bytes, more than the limit of {max_bytes:,}"
            raise error([Problem(message, (), name)], summary=f"{name} is too large")
        raw = file.read_bytes()[: max_bytes + 1]
    except OSError as exc:
        problem = Problem(f"cannot read file: {exc.strerror or type(exc).__name__}", (), name)
        raise error([problem], summary=cannot) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problem = Problem(f"not UTF-8 text: {kind}", (), name, line)
        raise error([problem], summary=cannot) from None
