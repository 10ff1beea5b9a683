"""The one way Accord creates and reads a file holding a secret (the linkage key, the content key,
the ledger's signing key): created with mode 0600 and never over another file; read only when no
one but its owner can read it. Each caller keeps its own format and its own error type; messages
name the file, never the secret.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from accord.errors import AccordError

OWNER_ONLY = 0o600


def create_secret(path: Path, data: bytes, error: type[AccordError], what: str) -> None:
    """Create `path` holding `data`, mode 0600; `error` naming `what` when anything is already
    there (never overwritten) or the file cannot be created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL makes "never overwrite" atomic; the mode is set at creation, never widened.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
    except FileExistsError:
        raise error(f"{path}: already exists; refusing to overwrite a {what}") from None
    except OSError as err:
        raise error(f"{path}: cannot create the {what} ({err.strerror})") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, OWNER_ONLY)  # the umask can only have narrowed the mode; make it exact


def read_secret(path: Path, error: type[AccordError], what: str, hint: str = "") -> bytes:
    """The bytes of `path`; `error` naming `what` when it is missing, unreadable, or readable by
    anyone but its owner (a key others can read is a key others may have copied)."""
    try:
        with path.open("rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                raise error(f"{path}: the {what} can be read by other users (mode {stat.S_IMODE(mode):o}); "
                            f"make it its owner's alone (chmod 600 {path}) and check who copied it")
            return handle.read()
    except FileNotFoundError:
        raise error(f"{path}: no {what} here{hint}") from None
    except IsADirectoryError:
        raise error(f"{path}: a directory, not a {what}") from None
    except OSError as err:
        raise error(f"{path}: cannot read the {what} ({err.strerror})") from None
