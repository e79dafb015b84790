"""Keyed hashes: the one place that turns personal data into opaque identifiers.

Natural persons and contact points get uids that carry no name, ID number, phone, email or address:
`<prefix>:h.<20 hex>`, an HMAC-SHA256 of the identity under the server secret. The same secret keys
audit actor ids and the public pseudonyms of contact points, each under its own purpose, so one never
reveals another. The secret is `IPCREDIT_SECRET`, or a random one made once and kept in
`IPCREDIT_SECRET_FILE` (mode 600); it must stay the same for the life of a graph, since loads derive
uids from it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

from graph.settings import Settings, get_settings

OPAQUE = re.compile(r"^[a-z][a-z0-9-]*:h\.[0-9a-f]{20}$")
# uid prefixes whose rest is personal data in graphs loaded before uids were opaque
PERSONAL_PREFIXES = ("uspto-person", "uspto-agent", "tipo-person", "tipo-agent", "phone", "email", "address")


@lru_cache(maxsize=4)
def _secret_of(secret: str, secret_file: Path) -> bytes:
    if secret:
        return secret.encode()
    path = secret_file.resolve()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        made = secrets.token_hex(32).encode()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        with os.fdopen(fd, "wb") as out:
            out.write(made)
        return made


def server_secret(settings: Settings | None = None) -> bytes:
    settings = settings or get_settings()
    return _secret_of(settings.secret.get_secret_value(), settings.secret_file)


def keyed(purpose: str, text: str, settings: Settings | None = None) -> str:
    """HMAC-SHA256 (hex) of `text` under the server secret, separated by `purpose`."""
    return hmac.new(server_secret(settings), f"{purpose}\0{text}".encode(), hashlib.sha256).hexdigest()


def opaque_uid(prefix: str, identity: str, settings: Settings | None = None) -> str:
    """`prefix:h.<20 hex>` for an identity that is personal data (a person's name within its record, a phone)."""
    return f"{prefix}:h.{keyed('uid', identity, settings)[:20]}"


def is_opaque(uid: str) -> bool:
    return bool(OPAQUE.match(uid))


def migrated_uid(uid: str, settings: Settings | None = None) -> str | None:
    """The opaque uid for a legacy uid that embeds personal data (`phone:0108…`), or None when it needs none."""
    prefix, sep, rest = uid.partition(":")
    if not sep or prefix not in PERSONAL_PREFIXES or is_opaque(uid):
        return None
    return opaque_uid(prefix, rest, settings)


def pseudonym(uid: str, settings: Settings | None = None) -> str:
    """What the public sees for a contact point: its kind and a short keyed hash (`phone:•••7f3a`)."""
    prefix = uid.split(":", 1)[0]
    return f"{prefix}:•••{keyed('public', uid, settings)[:6]}"


def actor_id(key: str, settings: Settings | None = None) -> str:
    """An API key's id in the audit trail: keyed, so it cannot be confirmed from a guessed key."""
    return "key-" + keyed("actor", key, settings)[:16]
