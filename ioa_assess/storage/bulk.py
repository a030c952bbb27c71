"""Inserting many rows at once: one compiled statement, values converted once per column, then the
driver's executemany. Seeding ten times the national scale writes millions of rows, and building
parameters row by row through SQLAlchemy costs more than the database's own work."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table`."""
    if not rows:
        return
    dialect = connection.dialect
    keys = list(rows[0])
    # Exactly the given columns: the model's Python-side defaults for the others are not added, so
    # that rows written for an older schema (a migration's test data) still fit it.
    only = Table(
        table.name, MetaData(), *(Column(c.name, c.type, key=c.key) for c in table.c if c.key in keys)
    )
    compiled = only.insert().compile(dialect=dialect, column_keys=keys)
    processors = {
        key: table.c[key].type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-untyped-call]
        for key in keys
    }
    if compiled.positional:
        order = list(compiled.positiontup or [])
        get = itemgetter(*order)
        # Only columns that need converting (dates) are touched; their values repeat, so each
        # distinct value is converted once.
        converted = [(i, _memoized(processors[k])) for i, k in enumerate(order) if processors[k] is not None]
        params: list[Any] = []
        for row in rows:
            values = get(row)
            if converted:
                values = list(values) if isinstance(values, tuple) else [values]
                for i, convert in converted:
                    if values[i] is not None:
                        values[i] = convert(values[i])
                values = tuple(values)
            params.append(values if isinstance(values, tuple) else (values,))
    else:
        params = [
            {
                k: processors[k](v) if processors[k] is not None and v is not None else v
                for k, v in row.items()
            }  # type: ignore[misc]
            for row in rows
        ]
    connection.exec_driver_sql(compiled.string, params)  # type: ignore[arg-type]


def _memoized(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        if value not in seen:
            seen[value] = convert(value)
        return seen[value]

    return cached
