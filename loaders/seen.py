"""What a load has seen so far: a short digest of each record's identity -> a small value (its content
digest and where it stood), so a repeat is told apart from a conflict however large the input.

Why here: the transactional pipeline and the bulk importer both keep the first of a record given twice
in one input and must name that first one in the reject of the second.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


def short(identity: str) -> bytes:
    """An 8-byte digest of a record's identity (uid, or link ends, type and key)."""
    return hashlib.blake2b(identity.encode(), digest_size=8).digest()


class Seen:
    """Short digests of the records seen so far (identity -> value: content digest and reference).

    The first `MEMORY_KEYS` stay in a dict (fast); past that, new ones go to an SQLite file with a
    bounded page cache, so memory stays flat however large the input (SQLite costs ~30 us a record).
    """

    MEMORY_KEYS = 500_000  # about 100 MB with the references
    CACHE_KIB = 32 * 1024  # SQLite's page cache

    def __init__(self, path: Path) -> None:
        self._path = path
        self._memory: dict[bytes, bytes] = {}
        self._db: sqlite3.Connection | None = None

    def add(self, key: bytes, value: bytes) -> bytes | None:
        """Remember `key` -> `value`; returns the value an earlier record had, or None if `key` is new."""
        earlier = self._memory.get(key)
        if earlier is not None:
            return earlier
        if self._db is None:
            if len(self._memory) < self.MEMORY_KEYS:
                self._memory[key] = value
                return None
            self._db = self._open()
        if self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?)", (key, value)).rowcount:
            return None
        row = self._db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
        return bytes(row[0])

    def __contains__(self, key: bytes) -> bool:
        if key in self._memory:
            return True
        if self._db is None:
            return False
        return self._db.execute("SELECT 1 FROM seen WHERE key = ?", (key,)).fetchone() is not None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._path, isolation_level=None)
        db.executescript(
            f"PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -{self.CACHE_KIB};"
            "CREATE TABLE seen (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID; BEGIN;"
        )
        return db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
