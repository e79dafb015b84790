"""What the public role may see: the final JSON of a response with personal data taken out.

Runs once, on the JSON a route produced (after models are dumped), for every route: the
`PublicMasking` middleware applies it to every JSON response of a public caller, and the pages apply
it to the data they render. It walks every nested object and list, and the JSON stored inside
strings (an assessment's `factors`). Covered:

- ID numbers, birth dates, phones, emails, addresses of persons: `***`;
- natural persons' names (by label or kind, or because their uid is a person's): abbreviated, `张**`;
- a contact point's value: a stable keyed pseudonym (`phone:•••7f3a`), so two phones stay two nodes;
  an address is shown only when no natural person is located at it (a company's registered office);
- uids that still embed personal data (graphs not yet migrated): the same pseudonym;
- free text that may name persons (violation descriptions, notes, objection reasons), the audit trail,
  objections and actors: withheld;
- `source_ref`: the file name and line only, never a server path;
- dishonesty records not published on the day (`queries/publication/_published.cypher`: never published,
  ended by repair, objection or revocation, or past their period): left out, with the ties that lead to
  them; the caller says which records the response holds and which of them are published.

Company names, credit codes, levels, scores and chains stay: public registry and credit data.
"""

from __future__ import annotations

import json
import re
from typing import Any

from graph.identity import PERSONAL_PREFIXES, is_opaque, pseudonym

MASK = "***"
SECRET_KEYS = frozenset({"id_number", "birth_date", "phone", "email", "phones", "emails", "address", "addresses"})
WITHHELD_KEYS = frozenset({"description", "reason", "objections", "audit", "actor", "by"})
_NAME_KEYS = frozenset({"name", "label", "aliases", "name_norm", "aliases_norm", "title"})
_PERSON_MARKERS = frozenset({"Person", "Agent", "person", "agent"})
_CONTACT_MARKERS = frozenset({"Phone", "Email", "Address", "phone", "email", "address"})
_LEGACY = re.compile(rf"^(?:{'|'.join(re.escape(p) for p in PERSONAL_PREFIXES)}):")
_CONTACT_PREFIXES = ("phone:", "email:", "address:")
# keys by which a dict is, or points at, a record: such dicts are left out when the record is withdrawn
_RECORD_REFS = ("uid", "id", "violation_uid", "target", "dst", "_end")
_WORD = re.compile(r"\S+")
_PATH = re.compile(r"^.*[/\\]")


def mask_name(name: str) -> str:
    """First character of each word kept, the rest starred: `张三丰` -> `张**`, `John Smith` -> `J*** S****`."""
    return _WORD.sub(lambda m: m.group(0)[0] + "*" * (len(m.group(0)) - 1), name)


def shown_uid(uid: str) -> str:
    """A uid as the public sees it: opaque ones as they are, ones embedding personal data as a pseudonym."""
    return pseudonym(uid) if _LEGACY.match(uid) and not is_opaque(uid) else uid


def _stored_json(value: str) -> Any:
    """The object or list a property holds as JSON text (assessment factors, a maintained evaluation), or None."""
    if value[:1] in ("{", "[") and value[-1:] in ("}", "]"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return None
        return parsed if isinstance(parsed, dict | list) else None
    return None


class PublicMask:
    """The masking of one response; `persons` are natural persons' uids, `private` the contact points
    tied to one (looked up once per response by `api.domain.public_view`)."""

    def __init__(self, persons: frozenset[str], private: frozenset[str], withdrawn: frozenset[str]) -> None:
        self.persons = persons
        self.private = private
        self.withdrawn = withdrawn

    def __call__(self, value: Any) -> Any:
        return self._value(value, frozenset())

    def _hidden_record(self, value: Any) -> bool:
        """A withdrawn record's uid, or an object that is or points at one (a list item to leave out)."""
        if not self.withdrawn:
            return False
        if isinstance(value, str):
            return value in self.withdrawn
        return isinstance(value, dict) and any(value.get(k) in self.withdrawn for k in _RECORD_REFS)

    def _value(self, value: Any, inherited: frozenset[str]) -> Any:
        if isinstance(value, dict):
            return self._object(value, inherited)
        if isinstance(value, list):
            return [self._value(v, frozenset()) for v in value if not self._hidden_record(v)]
        if isinstance(value, str):
            return self._string(value)
        return value

    def _string(self, value: str) -> Any:
        parsed = _stored_json(value)
        if parsed is not None:
            return json.dumps(self._value(parsed, frozenset()), ensure_ascii=False, sort_keys=True)
        return shown_uid(value)

    def _object(self, value: dict[str, Any], inherited: frozenset[str]) -> dict[str, Any]:
        markers = _markers(value) | inherited
        uid = value.get("uid") if isinstance(value.get("uid"), str) else value.get("id")
        person = bool(markers & _PERSON_MARKERS) or uid in self.persons
        known = uid if isinstance(uid, str) else ""
        contact = bool(markers & _CONTACT_MARKERS) or known.startswith(_CONTACT_PREFIXES)
        # a contact point is hidden unless it is an address no natural person is located at
        hidden = contact and not (known.startswith("address:") and known not in self.private)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if item is None:
                out[key] = None
            elif key in WITHHELD_KEYS:
                out[key] = [] if isinstance(item, list) else None
            elif key in SECRET_KEYS:
                out[key] = MASK
            elif key == "source_ref" and isinstance(item, str):
                out[key] = _PATH.sub("", item)
            elif contact and hidden and key in (*_NAME_KEYS, "value"):
                out[key] = pseudonym(known or str(item))
            elif person and key in _NAME_KEYS:
                out[key] = [mask_name(str(v)) for v in item] if isinstance(item, list) else mask_name(str(item))
            elif key.endswith("_name") and isinstance(item, str) and value.get(key[:-5] + "_uid") in self.persons:
                out[key] = mask_name(item)
            elif key in ("properties", "props"):  # a node's properties: masked as the node is
                out[key] = self._value(item, frozenset(markers))
            else:
                out[key] = self._value(item, frozenset())
        return out


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
