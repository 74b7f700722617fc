"""Inserting many new records fast: COPY on PostgreSQL, one multi-row INSERT … RETURNING per batch elsewhere.

Django's bulk_create compiles every value of every row through the field
machinery; at 100,000 rows that is most of an import's time. Here each field
gets one converter chosen once: plain columns (text, numbers, booleans,
foreign keys) pass through as they are, dates and decimals use the backend's
adapter, and any other field (encrypted ID numbers, normalised phones) goes
through its own `pre_save` and `get_db_prep_save` exactly as Django would.
The new primary keys are set on the instances, as bulk_create does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router

_PLAIN = frozenset(
    {
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.BooleanField,
        models.ForeignKey,
    }
)
_MAX_PARAMS = 30_000  # under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters


def _converter(field: models.Field, connection) -> Callable[[models.Model], Any]:
    attname = field.attname
    kind = type(field)
    # Only the exact classes are plain: a subclass may prepare its value (encryption …).
    if kind in _PLAIN:
        return lambda obj: getattr(obj, attname)
    if kind is models.DateField:
        adapt = connection.ops.adapt_datefield_value
        return lambda obj: adapt(getattr(obj, attname))
    if kind is models.DecimalField:
        adapt = connection.ops.adapt_decimalfield_value
        digits, places = field.max_digits, field.decimal_places
        return lambda obj: adapt(getattr(obj, attname), digits, places)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def fast_insert(model: type[models.Model], instances: Sequence[models.Model], batch_size: int = 1000) -> None:
    """Insert new instances (no primary key yet) and set their primary keys."""
    if not instances:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    converters = [_converter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(batch_size, _MAX_PARAMS // len(fields)))
    pk = meta.pk
    if connection.vendor == "postgresql":
        _copy_insert(connection, meta, fields, converters, instances)
        return
    with connection.cursor() as cursor:
        for start in range(0, len(instances), size):
            batch = instances[start : start + size]
            params: list[Any] = []
            for obj in batch:
                params.extend(convert(obj) for convert in converters)
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "
                f"{', '.join([placeholder] * len(batch))} RETURNING {quote(pk.column)}"
            )
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
            # Rows come back in the order given (bulk_create relies on the same on both backends).
            for obj, new_id in zip(batch, ids, strict=True):
                setattr(obj, pk.attname, new_id)
                obj._state.adding = False
                obj._state.db = connection.alias


def _copy_insert(connection, meta, fields, converters, instances) -> None:
    """PostgreSQL: take the new keys from the table's sequence, then COPY the rows in.

    COPY moves rows several times faster than INSERT but returns nothing, so the
    primary keys are drawn from the sequence first and written with the rows.
    """
    quote = connection.ops.quote_name
    pk = meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(instances)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(f.column) for f in [pk, *fields])
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, new_id in zip(instances, ids, strict=True):
                copy.write_row([new_id, *(convert(obj) for convert in converters)])
                setattr(obj, pk.attname, new_id)
                obj._state.adding = False
                obj._state.db = connection.alias


def fast_update(model: type[models.Model], instances: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """Write the named fields of existing instances: one prepared UPDATE run for every row.

    Django's bulk_update builds one CASE expression per field per batch, which
    grows slow past a few thousand rows; executemany of a single statement
    (pipelined by psycopg, prepared once by sqlite3) stays linear.
    """
    if not instances or not field_names:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    converters = [_converter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*(convert(obj) for convert in converters), obj.pk] for obj in instances])
