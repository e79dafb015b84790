"""The only module that touches the Neo4j driver: connection, read and write transactions, batching.

Reads run as auto-commit queries in read access mode: one round trip instead of a transaction's three
(BEGIN, RUN and PULL, COMMIT), a cluster routes them to its readers, and the server itself refuses any
write in them, as it does in a read transaction; one whose error the driver calls retryable is run once
more. Reads that need one snapshot are written as one statement. Writes run in managed write
transactions, which the driver retries on transient errors (deadlocks, leader changes).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from types import TracebackType
from typing import Any, Self, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.graph import Node, Path, Relationship

from graph.settings import Settings, get_settings

Row = dict[str, Any]
Params = Mapping[str, Any]
T = TypeVar("T")


class NoDatabaseError(RuntimeError):
    """No Neo4j to talk to: neither `NEO4J_URI` is set nor a local instance running."""


class ResultTooLargeError(RuntimeError):
    """A capped read went past its byte limit (rows measured as compact JSON)."""

    def __init__(self, limit: int, rows: int) -> None:
        super().__init__(f"the result is over {limit} bytes after {rows} rows")
        self.limit = limit
        self.rows = rows


class BatchWriteError(RuntimeError):
    """A batch failed with a non-transient error after the driver's retries."""

    def __init__(self, batch_index: int, rows: list[Row], cause: Exception) -> None:
        super().__init__(f"batch {batch_index} ({len(rows)} rows) failed: {cause}")
        self.batch_index = batch_index
        self.rows = rows
        self.cause = cause


def resolve_uri(settings: Settings) -> str:
    """`NEO4J_URI` when set, else the running local instance's Bolt URI."""
    if settings.neo4j_uri:
        return settings.neo4j_uri
    from graph.local import LocalNeo4j  # local import: only needed without NEO4J_URI

    uri = LocalNeo4j(settings.local_data_dir, settings=settings).running_uri()
    if uri is None:
        raise NoDatabaseError(
            f"no Neo4j to use: set NEO4J_URI, or start the local one with `ipcredit db start` "
            f"(looked for it in {settings.local_data_dir})"
        )
    return uri


def plain(value: Any) -> Any:
    """Driver values as plain JSON-friendly Python: dates as ISO strings, graph objects as dicts."""
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return {
            "_type": value.type,
            "_start": start.get("uid") if start is not None else None,
            "_end": end.get("uid") if end is not None else None,
            **{k: plain(v) for k, v in value.items()},
        }
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time Date, DateTime, Time, Duration
        return value.iso_format()
    return value


def _rows(result: neo4j.Result, limit: int | None = None, max_bytes: int | None = None) -> list[Row]:
    records = result if limit is None else islice(result, limit)
    rows = ({key: plain(value) for key, value in zip(record.keys(), record, strict=True)} for record in records)
    return list(rows) if max_bytes is None else _within(rows, max_bytes)


def _within(rows: Iterable[Row], max_bytes: int) -> list[Row]:
    kept: list[Row] = []
    size = 0
    for row in rows:
        size += len(json.dumps(row, ensure_ascii=False, default=str).encode())
        if size > max_bytes:
            raise ResultTooLargeError(max_bytes, len(kept))
        kept.append(row)
    return kept


class Tx:
    """One open write transaction, handed to a unit of work (`Store.in_write_transaction`)."""

    def __init__(self, tx: ManagedTransaction) -> None:
        self._tx = tx

    def run(self, query: str, params: Params | None = None) -> list[Row]:
        return _rows(self._tx.run(query, dict(params or {})))


class Store:
    """A driver plus the database name; use as a context manager or call `close()`."""

    def __init__(self, driver: Driver, database: str) -> None:
        self.driver = driver
        self.database = database

    @classmethod
    def connect(cls, settings: Settings | None = None, uri: str | None = None, **driver_config: Any) -> Self:
        """Open a driver; `driver_config` passes driver options (the API uses short timeouts to fail fast)."""
        settings = settings or get_settings()
        password = settings.neo4j_password.get_secret_value()
        driver = GraphDatabase.driver(
            uri or resolve_uri(settings),
            auth=(settings.neo4j_user, password) if password else None,
            notifications_min_severity="OFF",
            **driver_config,
        )
        return cls(driver, settings.neo4j_database)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()

    def verify(self) -> None:
        """Raise if the server cannot be reached."""
        self.driver.verify_connectivity()

    def read(self, query: str, params: Params | None = None, *, timeout: float | None = None) -> list[Row]:
        """Run a read query (auto-commit, read access mode) and return its rows as plain dicts."""
        rows, _ = self.read_capped(query, params, timeout=timeout, max_rows=None)
        return rows

    def read_capped(
        self,
        query: str,
        params: Params | None = None,
        *,
        timeout: float | None,
        max_rows: int | None,
        max_bytes: int | None = None,
    ) -> tuple[list[Row], bool]:
        """Like `read`, but stops after `max_rows` rows; the flag says whether rows were left over.

        With `max_bytes`, rows are measured as compact JSON while they stream in, and the read stops
        with `ResultTooLargeError` as soon as they pass the limit (the rest is never fetched).
        """

        cap = None if max_rows is None else max_rows + 1
        rows = self._auto_read(query, params, timeout, lambda result: _rows(result, cap, max_bytes))
        if max_rows is None:
            return rows, False
        return rows[:max_rows], len(rows) > max_rows

    def explain(self, query: str, params: Params | None = None, *, timeout: float | None) -> dict[str, Any] | None:
        """The server's plan for `query` (`EXPLAIN`, read access mode; nothing is executed)."""
        plan = self._auto_read("EXPLAIN\n" + query, params, timeout, lambda result: result.consume().plan)
        return dict(plan) if plan else None

    def _auto_read(
        self, query: str, params: Params | None, timeout: float | None, take: Callable[[neo4j.Result], T]
    ) -> T:
        """`take` of one auto-commit query in read access mode; a retryable error is tried once more."""

        def once() -> T:
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                return take(session.run(neo4j.Query(query, timeout=timeout), dict(params or {})))

        try:
            return once()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as exc:
            if not exc.is_retryable():
                raise
            return once()  # a reader gone or a leader change: once more, on a fresh connection

    def write(self, query: str, params: Params | None = None) -> list[Row]:
        """Run a write query in a managed write transaction and return its rows."""

        def work(tx: ManagedTransaction) -> list[Row]:
            return _rows(tx.run(query, dict(params or {})))

        with self.driver.session(database=self.database) as session:
            return session.execute_write(work)

    def in_write_transaction(self, work: Callable[[Tx], T]) -> T:
        """Run several statements as one write transaction (retried whole on transient errors, so `work`
        must only read and write through `Tx`); an exception from `work` rolls everything back."""
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: work(Tx(tx)))

    def run_autocommit(self, query: str, params: Params | None = None) -> None:
        """Run a statement that manages its own transactions (`CALL { … } IN TRANSACTIONS`)."""
        with self.driver.session(database=self.database) as session:
            session.run(query, dict(params or {})).consume()

    def write_batches(
        self,
        query: str,
        rows: Iterable[Row],
        *,
        batch_size: int | None = None,
        params: Params | None = None,
        on_batch: Callable[[int], None] | None = None,
    ) -> dict[str, int]:
        """Send `rows` as `$rows` in batches, one write transaction each, and add up what they return.

        The query may return one row of counts (e.g. `created`, `changed`); numeric columns are summed
        across batches. A batch that still fails after the driver's retries raises `BatchWriteError`
        carrying its rows, so the caller can report or bisect it.
        """
        size = batch_size or get_settings().batch_size
        totals: dict[str, int] = {}
        with self.driver.session(database=self.database) as session:
            for index, batch in enumerate(_chunks(rows, size)):
                try:
                    result = session.execute_write(_run_rows, query, {**(params or {}), "rows": batch})
                except neo4j.exceptions.Neo4jError as exc:
                    raise BatchWriteError(index, batch, exc) from exc
                for row in result:
                    for key, value in row.items():
                        if isinstance(value, int) and not isinstance(value, bool):
                            totals[key] = totals.get(key, 0) + value
                if on_batch is not None:
                    on_batch(len(batch))
        return totals


def _run_rows(tx: ManagedTransaction, query: str, params: dict[str, Any]) -> list[Row]:
    return _rows(tx.run(query, params))


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
