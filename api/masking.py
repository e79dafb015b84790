"""Masking of personal identifiers for the public role.

Public callers see levels, scores and chains, but not the data that identifies a natural person:
ID numbers, birth dates, phone numbers and email addresses are masked wherever they appear (as
properties, as contact-point nodes, and inside contact-point uids such as `phone:01088881234`).
Person names are shown abbreviated (`张**`, `J*** S****`): credit publication names dishonest
companies in full, while natural persons are identified only as far as a chain needs to be read.
Company names, credit codes and addresses of companies stay visible: they are public registry data.
Investigators and above see everything.
"""

from __future__ import annotations

import re
from typing import Any

from api.auth import Role

MASK = "***"
SECRET_KEYS = frozenset({"id_number", "birth_date", "phone", "email", "phones", "emails"})
CONTACT_PREFIXES = ("phone:", "email:")
_PERSON_MARKERS = frozenset({"Person", "Agent", "person", "agent"})
_CONTACT_MARKERS = frozenset({"Phone", "Email", "phone", "email"})
_WORD = re.compile(r"\S+")


def mask_name(name: str) -> str:
    """First character of each word kept, the rest starred: `张三丰` -> `张**`, `John Smith` -> `J*** S****`."""
    return _WORD.sub(lambda m: m.group(0)[0] + "*" * (len(m.group(0)) - 1), name)


def mask_contact_uid(uid: str) -> str:
    prefix = uid.split(":", 1)[0]
    return f"{prefix}:{MASK}"


def _markers(node: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for key in ("_labels", "labels"):
        value = node.get(key)
        if isinstance(value, list):
            found.update(str(v) for v in value)
    for key in ("kind", "type"):
        value = node.get(key)
        if isinstance(value, str):
            found.add(value)
    return found


def mask(value: Any, role: Role, persons: frozenset[str] = frozenset()) -> Any:
    """`value` (JSON-like) with personal identifiers masked when `role` is public; else unchanged.

    `persons` are uids known to be natural persons: a dict about one of them (by `uid`) has its name
    abbreviated even without labels, and so has an `offender_name` next to such an `offender_uid`.
    """
    if role > Role.PUBLIC:
        return value
    return _mask(value, frozenset(), persons)


def _mask(value: Any, inherited: frozenset[str], persons: frozenset[str]) -> Any:
    if isinstance(value, dict):
        markers = _markers(value) | inherited
        person = bool(markers & _PERSON_MARKERS) or value.get("uid") in persons
        if value.get("offender_uid") in persons and isinstance(value.get("offender_name"), str):
            value = {**value, "offender_name": mask_name(value["offender_name"])}
        contact = bool(markers & _CONTACT_MARKERS)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in SECRET_KEYS and item is not None:
                out[key] = MASK
            elif person and key in ("name", "label", "aliases", "name_norm", "aliases_norm") and item is not None:
                out[key] = [mask_name(str(v)) for v in item] if isinstance(item, list) else mask_name(str(item))
            elif contact and key in ("value", "name", "label") and item is not None:
                out[key] = MASK
            elif key in ("properties", "props"):  # a node's properties: masked as the node is
                out[key] = _mask(item, frozenset(markers), persons)
            else:
                out[key] = _mask(item, frozenset(), persons)
        return out
    if isinstance(value, list):
        return [_mask(v, frozenset(), persons) for v in value]
    if isinstance(value, str) and value.startswith(CONTACT_PREFIXES):
        return mask_contact_uid(value)
    return value
