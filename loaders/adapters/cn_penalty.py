"""`cn-penalty`: penalty records in the exchange format (docs/exchange.md, the 双公示 field set), JSON
lines or CSV, UTF-8 with or without a BOM: what `ipcredit export penalties` writes, read back.

Every row must hold every column of the mapping (`credit/exchange.toml`) and no other; 违法行为类型 must be
a behaviour of `credit/behaviours.toml` (its code or its 中文 name); an organisation's 统一社会信用代码 must
pass its GB 32100-2015 check. A row that fails is rejected with every reason and its line; nothing is
dropped silently. A row becomes:

- the holder: a company `uscc:<code>` (法人及非法人组织, 个体工商户) or a natural person (自然人, a keyed
  hash of the name and decision number: one person per decision, never merged on a name alone);
  written only when the graph does not hold it yet (a registry's richer node is left as it is);
- its legal representative (法定代表人), the same way, tied to the company (`LEGAL_REP_OF`);
- the record, uid `cn-penalty:<holder>:<decision number>:<behaviour code>`, every column stored as
  given (amounts as the decimal text given, never a float); 公示截止期 is kept as
  `source_published_until` (ipcredit's own publication period is the register's).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.exchange import HolderKind, behaviour_vocabulary, exchange_format
from graph.model import Committed, Company, LegalRep, Person, Violation, person_uid, validate_uscc
from loaders.canonical import CanonicalInputError, CanonicalReader
from loaders.records import Item, Reject

SOURCE = "cn-penalty"
SUFFIXES = (".jsonl", ".csv")
PERSON_PREFIX = "cn-penalty-person"
_SURROGATE = re.compile("[\udc80-\udcff]")
# the record fields a row fills beyond the holder's; 公示截止期 is the sending platform's
_AS_RECORD = {"publication.published_until": "source_published_until"}


class CnPenaltyReader:
    """A reader of exchange-format penalty files (one file, or a folder of `.jsonl`/`.csv` files)."""

    def files(self, path: Path) -> list[Path]:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in SUFFIXES)
            if not found:
                raise CanonicalInputError(f"{path}: no .jsonl or .csv penalty files")
            return found
        if not path.is_file():
            raise CanonicalInputError(f"{path}: no such file or folder")
        if path.suffix not in SUFFIXES:
            raise CanonicalInputError(f"{path}: a penalty file ends in .jsonl or .csv")
        return [path]

    def __call__(self, path: Path) -> Iterator[Item]:
        for file in self.files(path):
            rows = _csv_rows(file) if file.suffix == ".csv" else _jsonl_rows(file)
            for line, row, problem in rows:
                if problem is None and isinstance(row, dict):
                    problem = _bad_text(row)
                if problem is not None:
                    yield _reject(file, line, problem, row)
                    continue
                try:
                    yield from convert(row, f"{file}:{line}")
                except (ValidationError, ValueError) as exc:
                    yield _reject(file, line, _reason(exc), row)


def _csv_rows(file: Path) -> Iterator[tuple[int, Any, str | None]]:
    """The canonical reader's CSV cutting (quoted fields over lines, broken rows alone), UTF-8 ± BOM."""
    _, rows = CanonicalReader("csv", encoding="utf-8-sig").rows(file)
    return rows


def _jsonl_rows(file: Path) -> Iterator[tuple[int, Any, str | None]]:
    """JSON lines, UTF-8 ± BOM; numbers read as exact decimals (an amount keeps every digit)."""
    with file.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        for number, line in enumerate(fh, start=1):
            raw = line.strip()
            if not raw:
                continue
            try:
                row = json.loads(raw, parse_float=Decimal)
            except ValueError as exc:
                yield number, raw, f"malformed JSON: {exc}"
                continue
            if not isinstance(row, dict):
                yield number, row, f"a JSON-lines record must be an object, got {type(row).__name__}"
                continue
            yield number, row, None


def _bad_text(row: dict[str, Any]) -> str | None:
    if any(isinstance(v, str) and _SURROGATE.search(v) for v in [*row.keys(), *row.values()]):
        return "bytes that are not valid UTF-8 (the exchange format is UTF-8)"
    return None


def _given(value: Any) -> Any:
    """A cell as given; empty text is no value."""
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def convert(row: dict[str, Any], source_ref: str) -> list[Item]:
    """The holder, its legal representative, the record and its tie from one row (ValueError: why not)."""
    fmt = exchange_format().penalties
    columns = fmt.columns
    problems = []
    missing = [c for c in columns if c not in row]
    unknown = [str(k) for k in row if k not in columns]
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    fields = {c.field: _given(row.get(c.column)) for c in fmt.field}
    kinds = {label: kind for kind, label in fmt.holder_kinds.items()}
    kind_text = fields["subject.kind"]
    holder_kind = kinds.get(kind_text) if isinstance(kind_text, str) else None
    if holder_kind is None and not missing:
        problems.append(f"{fmt.column_of('subject.kind')} must be one of {', '.join(kinds)}, got {kind_text!r}")
    given_behaviour = fields["record.behaviour_code"]
    behaviour = behaviour_vocabulary().get(given_behaviour) if isinstance(given_behaviour, str) else None
    if behaviour is None and not missing:
        problems.append(
            f"unknown {fmt.column_of('record.behaviour_code')} {given_behaviour!r}: not a behaviour of "
            "credit/behaviours.toml by name or code"
        )
    name, code, doc = fields["subject.name"], fields["subject.credit_code"], fields["record.doc_number"]
    for field in ("subject.name", "record.doc_number", "record.decided_on"):
        if fields[field] is None and not missing:
            problems.append(f"{fmt.column_of(field)} is required")
    if holder_kind is HolderKind.PERSON and code is not None:
        problems.append(f"a natural person (自然人) carries no {fmt.column_of('subject.credit_code')}")
    if holder_kind is HolderKind.PERSON and fields["subject.legal_rep"] is not None:
        problems.append(f"a natural person (自然人) has no {fmt.column_of('subject.legal_rep')}")
    if holder_kind in (HolderKind.COMPANY, HolderKind.INDIVIDUAL_BUSINESS):
        if code is None:
            problems.append(f"{fmt.column_of('subject.credit_code')} is required for an organisation")
        else:
            try:
                code = validate_uscc(str(code))
            except ValueError as exc:
                problems.append(f"{fmt.column_of('subject.credit_code')}: {exc}")
    if problems:
        raise ValueError("; ".join(problems))
    assert behaviour is not None and isinstance(name, str) and isinstance(doc, str)
    prov = {"source": SOURCE, "source_ref": source_ref}
    items: list[Item] = []
    if holder_kind is HolderKind.PERSON:
        holder_uid = person_uid(PERSON_PREFIX, name, doc)
        items.append(Person.model_validate({"uid": holder_uid, "name": name, "if_absent": True, **prov}))
        key = holder_uid.split(":", 1)[1]
    else:
        holder_uid, key = f"uscc:{code}", str(code)
        company = {"uid": holder_uid, "name": name, "credit_code": code, "if_absent": True, **prov}
        items.append(Company.model_validate(company))
        rep = fields["subject.legal_rep"]
        if rep is not None:
            rep_uid = person_uid(PERSON_PREFIX, str(code), str(rep))
            items.append(Person.model_validate({"uid": rep_uid, "name": rep, "if_absent": True, **prov}))
            items.append(LegalRep.model_validate({"start_uid": rep_uid, "end_uid": holder_uid, **prov}))
    record: dict[str, Any] = {"behaviour_code": behaviour}
    for field, value in fields.items():
        group, prop = field.split(".", 1)
        if value is None or field == "record.behaviour_code" or group == "subject":
            continue
        record[_AS_RECORD.get(field, prop)] = value
    uid = f"cn-penalty:{key}:{doc}:{behaviour}"
    try:
        items.append(Violation.model_validate({**record, "uid": uid, **prov}))
    except ValidationError as exc:  # say which column, not which field
        raise ValueError(_reason(exc, _columns_of_fields())) from exc
    items.append(Committed.model_validate({"start_uid": holder_uid, "end_uid": uid, **prov}))
    return items


def _columns_of_fields() -> dict[str, str]:
    """Record field -> its column, to name columns in reasons."""
    fmt = exchange_format().penalties
    out = {c.field.split(".", 1)[1]: c.column for c in fmt.field}
    return out | {record: fmt.column_of(field) for field, record in _AS_RECORD.items()}


def _reason(exc: Exception, columns: dict[str, str] | None = None) -> str:
    if isinstance(exc, ValidationError):
        named = columns or {}
        return "; ".join(
            f"{named.get(str(e['loc'][0]), '.'.join(str(p) for p in e['loc'])) if e['loc'] else 'record'}: {e['msg']}"
            for e in exc.errors()
        )
    return str(exc)


def _reject(file: Path, line: int, reason: str, raw: Any) -> Reject:
    return Reject(source=SOURCE, file=str(file), ref=str(line), kind="violation", reason=reason, raw=_plain(raw))


def _plain(raw: Any) -> Any:
    """The raw row as JSON can hold it (exact decimals as their text)."""
    if isinstance(raw, dict):
        return {str(k): _plain(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_plain(v) for v in raw]
    return str(raw) if isinstance(raw, Decimal) else raw
