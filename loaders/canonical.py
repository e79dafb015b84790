"""The canonical format (docs/input-format.md): one CSV or JSON-lines file per kind, streamed row by row.

Every row becomes validated `Node`/`Link` models or one `Reject` saying why; nothing is dropped silently.
Rows are validated in batches (`VALIDATION_BATCH` rows): each converter first checks what it can without
a model and plans the records of its row, then one `TypeAdapter(list[Model])` call validates the planned
records of each model in the batch at once; when such a call fails, that model's records are validated
one by one to find the rows at fault, each rejected with its own reason and line as before.
Files are read line by line (memory flat in file size). Bytes that are not valid in the file's encoding
are kept as surrogates while parsing and the row holding them is rejected, so one bad line never stops
a file.

Credit codes and uids: a company (or agency) row whose credit code is valid gets the uid
`uscc:<CODE>` whatever uid the row gave; the given uid is remembered for the rest of the dataset so
ties, contacts, IP links and violations that name it still reach the company. A `uscc:` uid whose code
fails the GB 32100-2015 check, or that disagrees with the row's `credit_code`, is rejected with that
reason; a valid `uscc:` uid with no `credit_code` fills it in. Persons never take a `uscc:` uid.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import TypeAdapter, ValidationError

from graph.model import LINK_MODELS, NODE_MODELS, Link, Node, Record, validate_uscc
from graph.schema import SUBJECT_KINDS
from loaders.records import Item, Reject, error_reason

Syntax = Literal["csv", "jsonl"]

# The files of the canonical layout, in the order a folder is read: nodes before the links to them.
FILES: tuple[str, ...] = ("subjects", "patents", "trademarks", "violations", "contacts", "ties", "ip_links")
ENCODINGS: tuple[str, ...] = ("auto", "utf-8", "utf-8-sig", "gb18030")
LIST_FIELDS = frozenset({"aliases", "classes"})
TIE_KINDS = frozenset({"legal_rep", "shareholder", "officer", "branch", "agent_of", "family"})
CONTACT_LINKS = {"address": "located_at", "phone": "uses_phone", "email": "uses_email"}
_SURROGATE = re.compile("[\udc80-\udcff]")
_SCAN_BYTES = 1 << 20
VALIDATION_BATCH = 500  # rows validated together (memory: a batch of rows and their records)

Cut = tuple[int, Any, str | None]  # a cut row: (first line, fields or raw text, problem)

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # enormous fields are rejected by validation, not by csv


class CanonicalInputError(ValueError):
    """A path that is not in the canonical layout (unknown file name, missing path, wrong suffix)."""


def detect_encoding(path: Path) -> str:
    """UTF-8 with BOM, UTF-8, or GB18030 (which covers GBK), from a scan of the whole file: a GB18030
    file whose first rows are ASCII only shows its encoding where its Chinese rows begin."""
    with path.open("rb") as fh:
        head = fh.read(len(codecs.BOM_UTF8))
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        decoders = {encoding: codecs.getincrementaldecoder(encoding)("replace") for encoding in ("utf-8", "gb18030")}
        errors = dict.fromkeys(decoders, 0)
        block = head
        while True:
            final = not block
            for encoding, decoder in decoders.items():
                errors[encoding] += decoder.decode(block, final=final).count("\ufffd")
            if final:
                break
            block = fh.read(_SCAN_BYTES)
    # the encoding under which the fewest bytes fail; UTF-8 wins ties. Rows holding the bytes that
    # still fail are rejected one by one.
    return min(errors, key=lambda encoding: errors[encoding])


class Remap:
    """Uids that a dataset gave companies before their credit code replaced them, for later rows."""

    def __init__(self) -> None:
        self._to: dict[str, str] = {}

    def add(self, given: str, uid: str) -> None:
        if given != uid:
            self._to[given] = uid

    def __call__(self, uid: Any) -> Any:
        return self._to.get(uid, uid) if isinstance(uid, str) else uid

    def given(self) -> dict[str, str]:
        """The replaced uids so far (given -> credit-code uid), to hand to another process."""
        return dict(self._to)

    def extend(self, given: dict[str, str]) -> None:
        self._to.update(given)


class CanonicalReader:
    """A reader for the canonical CSV or JSON-lines layout: a `<kind>.<ext>` file or a dataset folder."""

    def __init__(
        self, syntax: Syntax, *, encoding: str = "auto", source: str | None = None, batch: int = VALIDATION_BATCH
    ) -> None:
        if encoding not in ENCODINGS:
            raise CanonicalInputError(f"unknown encoding {encoding!r}; choose one of {', '.join(ENCODINGS)}")
        self.syntax = syntax
        self.encoding = encoding
        self.source = source or syntax
        self.batch = batch  # rows validated together (1: one row at a time)

    def __call__(self, path: Path) -> Iterator[Item]:
        remap = Remap()
        for file, kind in self.files(path):
            yield from self.read_file(file, kind, remap)

    def files(self, path: Path) -> list[tuple[Path, str]]:
        """The files to read under `path`, in layout order, each with its file kind."""
        suffix = f".{self.syntax}"
        if path.is_dir():
            found = [(path / f"{kind}{suffix}", kind) for kind in FILES if (path / f"{kind}{suffix}").is_file()]
            if not found:
                raise CanonicalInputError(
                    f"{path}: no canonical {self.syntax} files (expected some of "
                    f"{', '.join(k + suffix for k in FILES)})"
                )
            return found
        if not path.is_file():
            raise CanonicalInputError(f"{path}: no such file or folder")
        if path.suffix != suffix or path.stem not in FILES:
            raise CanonicalInputError(
                f"{path}: a canonical {self.syntax} file is named <kind>{suffix} with kind one of {', '.join(FILES)}"
            )
        return [(path, path.stem)]

    def read_file(self, file: Path, kind: str, remap: Remap) -> Iterator[Item]:
        encoding, rows = self.rows(file)
        batch: list[Cut] = []
        for cut in rows:
            batch.append(cut)
            if len(batch) == self.batch:
                yield from self.convert(file, kind, encoding, batch, remap)
                batch = []
        yield from self.convert(file, kind, encoding, batch, remap)

    def rows(self, file: Path) -> tuple[str, Iterator[Cut]]:
        """The file's encoding and its cut rows: (first line, fields or raw text, problem). Cutting is
        sequential (a quoted field may span lines); `convert` may then run on the rows anywhere."""
        encoding = detect_encoding(file) if self.encoding == "auto" else self.encoding
        return encoding, self._csv_rows(file, encoding) if self.syntax == "csv" else self._jsonl_rows(file, encoding)

    def convert(self, file: Path, kind: str, encoding: str, cuts: Sequence[Cut], remap: Remap) -> list[Item]:
        """The items of cut rows of a `kind` file, in row order: each row's validated records, or the one
        reject that says why not. Rows are validated `self.batch` at a time (see the module docstring)."""
        out: list[Item] = []
        for start in range(0, len(cuts), self.batch):
            out.extend(self._convert_batch(file, kind, encoding, cuts[start : start + self.batch], remap))
        return out

    def _convert_batch(self, file: Path, kind: str, encoding: str, cuts: Sequence[Cut], remap: Remap) -> list[Item]:
        plans = [self._plan(file, kind, encoding, cut, remap) for cut in cuts]
        heads = iter(_validate([plan.head for plan in plans if isinstance(plan, _Plan)]))
        staged: list[Reject | _Staged] = []
        for cut, plan in zip(cuts, plans, strict=True):
            if isinstance(plan, Reject):
                staged.append(plan)
                continue
            head = next(heads)
            try:
                if isinstance(head, ValidationError):
                    raise head
                staged.append(_Staged(head, plan.then(head) if plan.then is not None else []))
            except ValueError as exc:  # the head's validation error, or what its links need (a subject)
                staged.append(self._row_reject(file, kind, cut, error_reason(exc)))
        follows = iter(_validate([spec for done in staged if isinstance(done, _Staged) for spec in done.follow]))
        out: list[Item] = []
        for cut, done in zip(cuts, staged, strict=True):
            if isinstance(done, Reject):
                out.append(done)
                continue
            records = [next(follows) for _ in done.follow]
            failed = next((r for r in records if isinstance(r, ValidationError)), None)
            if failed is not None:
                out.append(self._row_reject(file, kind, cut, error_reason(failed)))
            else:
                out.extend([done.head, *(r for r in records if not isinstance(r, ValidationError))])
        return out

    def _plan(self, file: Path, kind: str, encoding: str, cut: Cut, remap: Remap) -> Reject | _Plan:
        """The records one row will make, checked as far as they can be without a model, or its reject."""
        line, row, problem = cut
        if problem is None:
            problem = _bad_bytes(row, encoding)
        if problem is not None:
            return self._row_reject(file, kind, cut, problem)
        assert isinstance(row, dict)
        try:
            return _CONVERTERS[kind](_clean(row), {"source": self.source, "source_ref": f"{file}:{line}"}, remap)
        except ValueError as exc:
            return self._row_reject(file, kind, cut, error_reason(exc))

    def _row_reject(self, file: Path, kind: str, cut: Cut, reason: str) -> Reject:
        line, row, _ = cut
        return self._reject(file, str(line), _row_kind(kind, row), reason, row)

    def _reject(self, file: Path, ref: str, kind: str, reason: str, raw: Any) -> Reject:
        return Reject(source=self.source, file=str(file), ref=ref, kind=kind, reason=reason, raw=raw)

    @staticmethod
    def _csv_rows(file: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
        with file.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
            lines = _Lines(fh)
            first = next(lines, None)
            if first is None:
                return  # an empty file: nothing to load
            try:
                header = _parse_row(first[1])
            except csv.Error as exc:
                yield 1, first[1].rstrip("\r\n"), f"unreadable CSV header: {exc}"
                return
            header = [h.strip().lstrip("\ufeff") for h in header]
            for line, fields, problem in _csv_records(lines, len(header)):
                if problem is not None:
                    yield line, fields, problem
                elif len(fields) != len(header):
                    yield (
                        line,
                        fields,
                        f"malformed CSV row: {len(fields)} fields where the header has {len(header)}"
                        + (" (truncated row?)" if len(fields) < len(header) else ""),
                    )
                else:
                    yield line, dict(zip(header, fields, strict=True)), None

    @staticmethod
    def _jsonl_rows(file: Path, encoding: str) -> Iterator[tuple[int, Any, str | None]]:
        with file.open(encoding=encoding, errors="surrogateescape", newline="") as fh:
            for number, line in enumerate(fh, start=1):
                text = line.strip()
                if not text:
                    continue
                try:
                    row = json.loads(text)
                except ValueError as exc:
                    yield number, text, f"malformed JSON: {exc}"
                    continue
                if not isinstance(row, dict):
                    yield number, row, f"a JSON-lines record must be an object, got {type(row).__name__}"
                    continue
                yield number, row, None


# --- cutting a CSV file into rows ------------------------------------------------------------------
#
# A quoted field may span lines, so a row is the lines up to the one that closes its last quote. A quote
# that is never closed would swallow every row after it; evidence that it is broken: a following line
# that is a whole row by itself (the header's field count, its quotes balanced), a field count that
# breaks, a parse error or the end of the file. Then only its first line is rejected (with its own line
# number and text) and reading resumes at the next line.


class _Lines:
    """The physical lines of a file, numbered, with lines pushed back to be read again."""

    def __init__(self, fh: Iterable[str]) -> None:
        self._lines = enumerate(fh, start=1)
        self._back: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return self

    def __next__(self) -> tuple[int, str]:
        return self._back.pop() if self._back else next(self._lines)

    def push(self, lines: list[tuple[int, str]]) -> None:
        self._back.extend(reversed(lines))


def _parse_row(text: str) -> list[str]:
    """The fields of exactly one CSV row (csv.Error when it is not one row)."""
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if len(rows) != 1:
        raise csv.Error(f"{len(rows)} rows where one was expected")
    return rows[0]


def _whole_row(text: str, width: int) -> bool:
    if text.count('"') % 2:
        return False
    try:
        return len(_parse_row(text)) == width
    except csv.Error:
        return False


def _csv_records(lines: _Lines, width: int) -> Iterator[tuple[int, Any, str | None]]:
    """(first line, fields or raw text, problem) of every data row; blank lines are skipped."""
    for number, text in lines:
        if not text.strip():
            continue
        taken = [(number, text)]
        quotes = text.count('"')
        broken: str | None = None
        while quotes % 2:
            following = next(lines, None)
            if following is None:
                broken = "a quoted field is never closed (end of file)"
                break
            if _whole_row(following[1], width):
                broken = f"a quoted field is never closed (line {following[0]} is a row of its own)"
                taken.append(following)
                break
            taken.append(following)
            quotes += following[1].count('"')
        if broken is None:
            try:
                fields = _parse_row("".join(t for _, t in taken))
            except csv.Error as exc:
                broken = f"malformed CSV: {exc}"
            else:
                if len(taken) == 1 or len(fields) == width:
                    yield number, fields, None
                    continue
                broken = f"a quoted field runs over {len(taken)} lines into a row of {len(fields)} fields"
        yield number, text.rstrip("\r\n"), f"malformed CSV row: {broken}"
        lines.push(taken[1:])  # resume at the next line


# --- converting one row ----------------------------------------------------------------------------


def _bad_bytes(row: Any, encoding: str) -> str | None:
    texts = row.values() if isinstance(row, dict) else row if isinstance(row, list) else [row]
    if _SURROGATE.search("".join(value for value in texts if isinstance(value, str))):
        return f"bytes that are not valid {encoding} (wrong encoding? choose one with --encoding)"
    return None


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """Drop empty cells (unknown), split `|`-separated list cells."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key in LIST_FIELDS and isinstance(value, str):
            value = [part.strip() for part in value.split("|") if part.strip()]
        out[key] = value
    return out


_FILE_KINDS = {"patents": "patent", "trademarks": "trademark", "violations": "violation"}
_ROW_KINDS = {"subjects": SUBJECT_KINDS, "contacts": frozenset(CONTACT_LINKS), "ties": TIE_KINDS}


def _row_kind(file_kind: str, row: Any) -> str:
    """The node or link kind a rejected row was meant to be, when the row says so; else its file's."""
    kind = row.get("kind") if isinstance(row, dict) else None
    if isinstance(kind, str) and kind in _ROW_KINDS.get(file_kind, ()):
        return kind
    return _FILE_KINDS.get(file_kind, file_kind)


def _kind_of(row: dict[str, Any], allowed: frozenset[str] | set[str], what: str) -> str:
    kind = row.pop("kind", None)
    if kind not in allowed:
        raise ValueError(f"{what} kind must be one of {', '.join(sorted(allowed))}, got {kind!r}")
    return str(kind)


Spec = tuple[type[Node] | type[Link], dict[str, Any]]  # a record to validate: its model and its fields


class _Plan(NamedTuple):
    """What one row makes: its first record and, once that one is valid, the links that follow from it."""

    head: Spec
    then: Callable[[Any], list[Spec]] | None = None


Converter = Callable[[dict[str, Any], dict[str, str], "Remap"], _Plan]  # a cleaned row -> its plan


class _Staged(NamedTuple):
    """A row whose first record is valid, with the links still to validate."""

    head: Node | Link
    follow: list[Spec]


@cache
def _adapter(model: type[Record]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _validate(specs: list[Spec]) -> list[Node | Link | ValidationError]:
    """The records of `specs` in order, validated with one call per model; when that call fails, that
    model's records are validated one by one, so each gets its own outcome (the record or its error)."""
    out: list[Node | Link | ValidationError | None] = [None] * len(specs)
    groups: dict[type[Node] | type[Link], list[int]] = {}
    for at, (model, _) in enumerate(specs):
        groups.setdefault(model, []).append(at)
    for model, ats in groups.items():
        try:
            records = _adapter(model).validate_python([specs[at][1] for at in ats])
        except ValidationError:
            for at in ats:
                try:
                    out[at] = model.model_validate(specs[at][1])
                except ValidationError as exc:
                    out[at] = exc
            continue
        for at, record in zip(ats, records, strict=True):
            out[at] = record
    return [record for record in out if record is not None]


def _subject(row: dict[str, Any], prov: dict[str, str], remap: Remap) -> _Plan:
    kind = _kind_of(row, SUBJECT_KINDS, "subject")
    uid = row.get("uid")
    given = uid
    if kind in ("company", "agency"):
        code = row.get("credit_code")
        if isinstance(uid, str) and uid.startswith("uscc:"):
            uid_code = validate_uscc(uid.removeprefix("uscc:"))
            if code is not None and validate_uscc(str(code)) != uid_code:
                raise ValueError(f"uid {uid} and credit_code {code} name different companies")
            row["credit_code"] = uid_code
            row["uid"] = f"uscc:{uid_code}"
        elif code is not None:
            row["uid"] = f"uscc:{validate_uscc(str(code))}"
    elif isinstance(uid, str) and uid.startswith("uscc:"):
        raise ValueError(f"a {kind} cannot have a credit-code uid ({uid}); uscc: uids are for companies")

    def then(node: Node) -> list[Spec]:
        if isinstance(given, str):
            remap.add(given, node.uid)
        return []

    return _Plan((NODE_MODELS[kind], {**row, **prov}), then)


def _plain_node(kind: str) -> Converter:
    def convert(row: dict[str, Any], prov: dict[str, str], remap: Remap) -> _Plan:
        return _Plan((NODE_MODELS[kind], {**row, **prov}))

    return convert


def _right(row: dict[str, Any], required: bool) -> tuple[str, str] | None:
    patent, trademark = row.pop("patent_uid", None), row.pop("trademark_uid", None)
    if patent is not None and trademark is not None:
        raise ValueError("give patent_uid or trademark_uid, not both")
    if patent is not None:
        return "patent", str(patent)
    if trademark is not None:
        return "trademark", str(trademark)
    if required:
        raise ValueError("patent_uid or trademark_uid is required")
    return None


def _link(kind: str, start: Any, end: Any, extra: dict[str, Any], prov: dict[str, str], remap: Remap) -> Spec:
    return LINK_MODELS[kind], {**extra, "start_uid": remap(start), "end_uid": remap(end), **prov}


def _violation(row: dict[str, Any], prov: dict[str, str], remap: Remap) -> _Plan:
    subject = row.pop("subject_uid", None)
    right = _right(row, required=False)

    def then(node: Node) -> list[Spec]:
        if subject is None:
            raise ValueError("subject_uid (who committed it) is required")
        links = [_link("committed", subject, node.uid, {}, prov, remap)]
        if right is not None:
            links.append(_link(f"concerns_{right[0]}", node.uid, right[1], {}, prov, remap))
        return links

    return _Plan((NODE_MODELS["violation"], {**row, **prov}), then)


def _contact(row: dict[str, Any], prov: dict[str, str], remap: Remap) -> _Plan:
    kind = _kind_of(row, set(CONTACT_LINKS), "contact")
    subject = row.pop("subject_uid", None)
    link_fields: dict[str, Any] = {k: row.pop(k) for k in ("since", "until") if k in row}

    def then(node: Node) -> list[Spec]:
        if subject is None:
            raise ValueError("subject_uid is required")
        return [_link(CONTACT_LINKS[kind], subject, node.uid, link_fields, prov, remap)]

    return _Plan((NODE_MODELS[kind], {**row, **prov}), then)


def _tie(row: dict[str, Any], prov: dict[str, str], remap: Remap) -> _Plan:
    kind = _kind_of(row, TIE_KINDS, "tie")
    start, end = row.pop("start_uid", None), row.pop("end_uid", None)
    return _Plan(_link(kind, start, end, row, prov, remap))


def _ip_link(row: dict[str, Any], prov: dict[str, str], remap: Remap) -> _Plan:
    kind = _kind_of(row, {"applicant", "inventor", "represents"}, "ip_link")
    subject = row.pop("subject_uid", None)
    right = _right(row, required=True)
    assert right is not None
    if kind == "inventor" and right[0] != "patent":
        raise ValueError("an inventor is of a patent, not a trademark")
    link_kind = "inventor" if kind == "inventor" else f"{kind}_{right[0]}"
    return _Plan(_link(link_kind, subject, right[1], row, prov, remap))


_CONVERTERS: dict[str, Converter] = {
    "subjects": _subject,
    "patents": _plain_node("patent"),
    "trademarks": _plain_node("trademark"),
    "violations": _violation,
    "contacts": _contact,
    "ties": _tie,
    "ip_links": _ip_link,
}

__all__ = ["CanonicalInputError", "CanonicalReader", "Node", "detect_encoding"]
