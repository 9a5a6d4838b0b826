"""Inserting many rows with PostgreSQL's COPY instead of INSERT: what a registry import of tens of
thousands of rows writes (people, enterprises, their audit rows).

`bulk_create` builds one INSERT … UNNEST of arrays per batch, and most of its time goes into Django
preparing each value and psycopg quoting the arrays; COPY streams the rows as they are. COPY returns no
ids, so the ids are taken from the table's sequence first (in the order of the rows: the audit log's
chain is walked by id) and written with the rows, and the rows come back saved, as from bulk_create.

The rows are model instances, or plain dicts of attribute names to values: building a model instance
costs more than writing its row, so a caller writing tens of thousands of rows passes dicts (a field
left out takes its default, as a new instance would).

Elsewhere than PostgreSQL (the embedded SQLite mode) it is bulk_create."""

from __future__ import annotations

from django.db import connection
from django.db.models import DateTimeField, JSONField
from django.utils import timezone

BATCH = 1000  # the SQLite fallback's batch


def reserve_ids(model, count: int) -> list[int]:
    """`count` ids from the table's sequence, ascending (as the sequence gave them)."""
    opts = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [opts.db_table, opts.pk.column, count])
        return sorted(row[0] for row in cursor.fetchall())


def copy_insert(model, objs: list) -> list:
    """Insert `objs` (unsaved instances of `model` without ids, or dicts of attribute names to values)
    in one COPY; they come back with ids (a dict gets its primary key's attribute name set). Fields set
    on insert (auto_now, auto_now_add) are set as bulk_create would set them."""
    if not objs:
        return objs
    as_dicts = isinstance(objs[0], dict)
    if connection.vendor != "postgresql":
        if not as_dicts:
            return model.objects.bulk_create(objs, batch_size=BATCH)
        saved = model.objects.bulk_create([model(**values) for values in objs], batch_size=BATCH)
        for values, obj in zip(objs, saved, strict=True):
            values.update((f.attname, getattr(obj, f.attname)) for f in model._meta.concrete_fields)
        return objs
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
    ids = reserve_ids(model, len(objs))
    attnames = [f.attname for f in fields]
    if as_dicts:
        # The defaults a new instance would take, once for all rows; then each row as a tuple.
        stamps = [(f.attname, f.auto_now, now if isinstance(f, DateTimeField) else today) for f in on_insert]
        # A callable default (a uuid, the time) is asked per row, as each new instance would ask it.
        per_row = [f for f in fields if f not in on_insert and f.has_default() and callable(f.default)]
        defaults = {f.attname: f.get_default() for f in fields if f not in on_insert and f not in per_row}
        for values, pk_value in zip(objs, ids, strict=True):
            for attname, default in defaults.items():
                values.setdefault(attname, default)
            for field in per_row:
                if field.attname not in values:
                    values[field.attname] = field.get_default()
            for attname, always, stamp in stamps:
                if always or values.get(attname) is None:
                    values[attname] = stamp
            values[pk.attname] = pk_value
        rows = ([values[pk.attname], *(values[a] if a not in prepared else
                                        opts.get_field(a).get_db_prep_save(values[a], connection)
                                        for a in attnames)] for values in objs)
    else:
        rows = _instance_rows(objs, ids, pk, fields, on_insert, prepared, now, today)
    with connection.cursor() as cursor, cursor.copy(f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    if not as_dicts:
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias
    return objs


def _instance_rows(objs, ids, pk, fields, on_insert, prepared, now, today):
    for obj, pk_value in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, pk_value)
        for field in on_insert:
            if field.auto_now or getattr(obj, field.attname) is None:
                setattr(obj, field.attname, now if isinstance(field, DateTimeField) else today)
        row = [pk_value]
        for field in fields:
            value = getattr(obj, field.attname)
            row.append(field.get_db_prep_save(value, connection) if field.attname in prepared else value)
        yield row


def copy_update(model, objs: list, fields: list[str]) -> int:
    """Write `fields` of saved instances `objs`, as bulk_update does, in two statements whatever their
    number: COPY of their values into a temporary table, then one UPDATE … FROM it. (bulk_update
    writes a CASE over every row of a batch for each field, which grows with the square of the batch.)
    Returns the rows updated."""
    if not objs:
        return 0
    if connection.vendor != "postgresql":
        return model.objects.bulk_update(objs, fields, batch_size=BATCH)
    opts = model._meta
    pk = opts.pk
    targets = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, scratch = quote(opts.db_table), quote(f"bulk_update_{opts.db_table}")
    columns = [quote(f.column) for f in [pk, *targets]]
    prepared = {f.attname for f in targets if isinstance(f, JSONField)}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{scratch}")
        # The scratch table takes the columns' own types from the table itself.
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT {', '.join(columns)} FROM {table} "  # noqa: S608
                       "WITH NO DATA")  # (names from the model's own options, quoted)
        with cursor.copy(f"COPY {scratch} ({', '.join(columns)}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([obj.pk, *(f.get_db_prep_save(getattr(obj, f.attname), connection)
                                          if f.attname in prepared else getattr(obj, f.attname) for f in targets)])
        assignments = ", ".join(f"{column} = s.{column}" for column in columns[1:])
        cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {scratch} AS s "  # noqa: S608 - as above
                       f"WHERE t.{columns[0]} = s.{columns[0]}")
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {scratch}")
    return updated
