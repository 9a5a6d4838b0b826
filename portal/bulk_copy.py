"""Inserting many rows with PostgreSQL's COPY instead of INSERT: what a registry import of tens of
thousands of rows writes (people, enterprises, their audit rows).

`bulk_create` builds one INSERT … UNNEST of arrays per batch, and most of its time goes into Django
preparing each value and psycopg quoting the arrays; COPY streams the rows as they are. COPY returns no
ids, so the ids are taken from the table's sequence first (in the order of the objects: the audit log's
chain is walked by id) and written with the rows, and the objects come back saved, as from bulk_create.

Elsewhere than PostgreSQL (the embedded SQLite mode) it is bulk_create."""

from __future__ import annotations

from django.db import connection
from django.db.models import DateTimeField, JSONField
from django.utils import timezone

BATCH = 1000  # the SQLite fallback's batch


def copy_insert(model, objs: list) -> list:
    """Insert `objs` (unsaved instances of `model`, without ids) in one COPY; they come back with ids.
    Fields set on insert (auto_now, auto_now_add) are set as bulk_create would set them."""
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=BATCH)
    opts = model._meta
    pk = opts.pk
    fields = [f for f in opts.concrete_fields if f is not pk]
    on_insert = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    # Values psycopg cannot write as they are (JSON) go through the field's own preparation.
    prepared = {f.attname for f in fields if isinstance(f, JSONField)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [pk, *fields])
    # One moment for the whole statement, as the rows go in together (bulk_create asks the clock per row).
    now, today = timezone.now(), timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [opts.db_table, pk.column, len(objs)])
        ids = sorted(row[0] for row in cursor.fetchall())
        attnames = [f.attname for f in fields]
        with cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
            for obj, pk_value in zip(objs, ids, strict=True):
                setattr(obj, pk.attname, pk_value)
                for field in on_insert:
                    if field.auto_now or getattr(obj, field.attname) is None:
                        setattr(obj, field.attname, now if isinstance(field, DateTimeField) else today)
                row = [pk_value]
                for field, attname in zip(fields, attnames, strict=True):
                    value = getattr(obj, attname)
                    row.append(field.get_db_prep_save(value, connection) if attname in prepared else value)
                copy.write_row(row)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs
