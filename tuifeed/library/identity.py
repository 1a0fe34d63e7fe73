"""A clip's identity: a hash of the file's head, tail and size, so it survives moves and renames."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

CHUNK = 64 * 1024
"""Bytes read from each end of the file; files up to twice this size are hashed whole."""


def content_hash(path: Path) -> str:
    """A 32-hex-digit BLAKE2b of the file's size, first and last 64 KiB: the clip id of new files.

    Opened without blocking and checked once open: a FIFO swapped in after the scan raises OSError.
    """
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        size = info.st_size
        digest = hashlib.blake2b(size.to_bytes(8, "little"), digest_size=16)
        if size <= 2 * CHUNK:
            digest.update(file.read())
        else:
            digest.update(file.read(CHUNK))
            file.seek(-CHUNK, os.SEEK_END)
            digest.update(file.read(CHUNK))
    return digest.hexdigest()
