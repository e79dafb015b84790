"""The exchange format, pure: lay out a fetched row in the columns the mapping file gives (in its order),
as staff or as the public sees it, and write rows as JSON lines or CSV (UTF-8).

Which field fills each column is data (`credit/exchange.toml`, read by `graph.exchange`). A cell is text
(dates ISO, amounts the decimal text stored, never a float) or empty. The public export leaves the
columns marked `public = false` empty and abbreviates natural persons' names (the holder when it is a
person, the legal representative always): the masking function is the API's, given by the caller.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, Literal, TextIO

from graph.exchange import HolderKind, KindFormat

Syntax = Literal["jsonl", "csv"]
Cells = dict[str, str | None]


def text(value: Any) -> str | None:
    """A stored value as exchange text: ISO dates and times, lists joined by `;`, None when empty."""
    native = getattr(value, "to_native", None)
    if callable(native):  # a driver date or time
        value = native()
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(t for t in (text(v) for v in value) if t is not None)
    return str(value)


def holder_kind(fmt: KindFormat, subject: Mapping[str, Any]) -> str:
    """The 行政相对人类别 of a holder: a natural person, an individual business (by its credit code), or
    an organisation."""
    if subject.get("person"):
        return fmt.holder_kinds[HolderKind.PERSON]
    code = subject.get("credit_code") or ""
    prefix = fmt.individual_business_prefix
    if prefix and code.startswith(prefix):
        return fmt.holder_kinds[HolderKind.INDIVIDUAL_BUSINESS]
    return fmt.holder_kinds[HolderKind.COMPANY]


def cells(
    fmt: KindFormat,
    groups: Mapping[str, Mapping[str, Any]],
    *,
    names: Mapping[str, str] | None = None,
    mask: Callable[[str], str] | None = None,
) -> Cells:
    """One row in the format's columns. `groups`: the field groups (`subject`, `record`, ...) by name;
    `names`: behaviour code -> the name the format carries; `mask`: given, the public view."""
    out: Cells = {}
    subject = groups.get("subject", {})
    for column in fmt.field:
        group, prop = column.field.split(".", 1)
        if mask is not None and not column.public:
            out[column.column] = None
            continue
        if column.field == "subject.kind":
            value: Any = holder_kind(fmt, subject)
        elif column.field == "record.behaviour_code" and names is not None:
            code = groups.get(group, {}).get(prop)
            value = names.get(code, code) if isinstance(code, str) else code
        else:
            value = groups.get(group, {}).get(prop)
        cell = text(value)
        personal = column.field == "subject.legal_rep" or (column.field == "subject.name" and subject.get("person"))
        if mask is not None and cell is not None and personal:
            cell = mask(cell)
        out[column.column] = cell
    return out


def write(rows: Iterable[Cells], columns: list[str], syntax: Syntax, out: TextIO) -> int:
    """Write rows in `syntax` (a CSV header first); how many rows were written."""
    count = 0
    if syntax == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
            count += 1
        return count
    for row in rows:
        out.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
        count += 1
    return count
