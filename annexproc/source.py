"""The user's file, read once: its bytes, their SHA-256 and one zip view of them.

Everything that looks at the input — sniffing, the zip's central directory, the cached-value scan,
the writers' openpyxl load — works from ``Source.data``. The file on disk is opened once, read in
chunks with the size cap enforced as the bytes arrive (a file growing while it is read cannot slip
past it) and hashed on the way; it is never opened again, and never for writing.
"""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from dataclasses import dataclass, field

from .errors import AnnexInputError

_CHUNK = 1 << 20


@dataclass
class Source:
    """One input file's bytes and what is known of them without parsing."""
    path: str
    data: bytes
    sha256: str
    _zip: zipfile.ZipFile | None = field(default=None, repr=False, compare=False)

    @property
    def zip(self) -> zipfile.ZipFile:
        """The bytes as a zip (central directory parsed once; raises zipfile.BadZipFile)."""
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zip

    def stream(self) -> io.BytesIO:
        """A fresh file-like view of the bytes (for readers that want a file: openpyxl, calamine)."""
        return io.BytesIO(self.data)

    @classmethod
    def of_bytes(cls, path: str, data: bytes) -> "Source":
        return cls(str(path), data, hashlib.sha256(data).hexdigest())


def read(path: str) -> Source:
    """Read ``path`` once, refusing a missing file, a folder or one past ``safety.MAX_FILE_BYTES``."""
    from .safety import MAX_FILE_BYTES, input_error, said, too_large

    path = str(path)
    if not os.path.exists(path):
        zh, en = said("reading.missing", path=path)   # NB: no file to name first: the path is the sentence
        raise AnnexInputError(zh, message_en=en, path=path)
    if not os.path.isfile(path):
        raise input_error(path, "reading.folder")
    h = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise too_large(path, max(size, os.path.getsize(path)))
                h.update(chunk)
                parts.append(chunk)
    except OSError as exc:
        raise input_error(path, "reading.unreadable", error=type(exc).__name__) from exc
    return Source(path, b"".join(parts), h.hexdigest())
