"""The registry of input formats: FORMAT name (as the CLI takes it) -> a reader of one input path.

`csv` and `jsonl` are the canonical layout (docs/input-format.md). The real-format adapters register
themselves in `READERS` below, one line each. Formats whose text encoding the user may choose
(`--encoding`) also have an entry in `WITH_ENCODING`; the others carry their own (XML declarations,
JSON) and ignore the option.
"""

from __future__ import annotations

from collections.abc import Callable

from loaders.adapters.cn_penalty import CnPenaltyReader
from loaders.adapters.ftm import read_ftm
from loaders.adapters.tipo import read_tipo
from loaders.adapters.uspto import read_uspto
from loaders.canonical import CanonicalReader
from loaders.records import Reader

READERS: dict[str, Reader] = {
    "csv": CanonicalReader("csv"),
    "jsonl": CanonicalReader("jsonl"),
}

# --- real public formats (H2) ----------------------------------------------------------------------
READERS["uspto-xml"] = read_uspto
READERS["tipo-xml"] = read_tipo
READERS["ftm"] = read_ftm
READERS["cn-penalty"] = CnPenaltyReader()  # the exchange format (docs/exchange.md), UTF-8
# --------------------------------------------------------------------------------------------------

WITH_ENCODING: dict[str, Callable[[str], Reader]] = {
    "csv": lambda encoding: CanonicalReader("csv", encoding=encoding),
    "jsonl": lambda encoding: CanonicalReader("jsonl", encoding=encoding),
}


class UnknownFormatError(LookupError):
    """A FORMAT name that no reader is registered for."""


def reader_for(name: str, encoding: str = "auto") -> Reader:
    """The reader registered for `name`, set up for `encoding`; a clear error for unknown names."""
    if name not in READERS:
        raise UnknownFormatError(f"unknown format {name!r}; known formats: {', '.join(sorted(READERS))}")
    if encoding != "auto" and name in WITH_ENCODING:
        return WITH_ENCODING[name](encoding)
    return READERS[name]
