"""The recovery codes django-otp's StaticDevice kept in clear (otp_static_statictoken.token) become
hashed codes of the portal's own device, and the clear rows are deleted: a running portal keeps its
users' codes, and the database no longer holds one in clear.

The old tables are read by name, not through django-otp's models: the otp_static app is no longer
installed, so on an existing database its tables are still there (this reads them), and on a fresh one
they never were (nothing to do). No dependency on otp_static's migrations either way. The tables
themselves stay, empty: dropping them would leave django-otp's migration records claiming tables that
are gone.

Not reversible in substance: a hash does not give the code back (backwards, nothing is restored)."""

import base64
import hashlib
import os
from collections import defaultdict

from django.db import migrations

OLD_DEVICES = "otp_static_staticdevice"
OLD_TOKENS = "otp_static_statictoken"

# Frozen here as twofactor.rules had it when this ran: a later change there must not change what this
# migration wrote.
ITERATIONS = 20_000


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def _hash(code: str) -> str:
    normal = "".join(code.split()).replace("-", "").replace("_", "").lower()
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", normal.encode(), salt, ITERATIONS)
    return f"pbkdf2_sha256${ITERATIONS}${_b64(salt)}${_b64(digest)}"


def hash_clear_codes(apps, schema_editor):
    connection = schema_editor.connection
    if not {OLD_DEVICES, OLD_TOKENS} <= set(connection.introspection.table_names()):
        return
    device_model = apps.get_model("twofactor", "RecoveryCodeDevice")
    code_model = apps.get_model("twofactor", "RecoveryCode")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        present = {c.name for c in connection.introspection.get_table_description(cursor, OLD_DEVICES)}
        # The throttle's columns came with otp_static 0002, the timestamps with 0003.
        optional = [c for c in ("throttling_failure_timestamp", "throttling_failure_count", "created_at",
                                "last_used_at") if c in present]
        columns = ["id", "user_id", "name", "confirmed", *optional]
        cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(OLD_DEVICES)} "  # noqa: S608
                       f"ORDER BY {quote('id')}")
        devices = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        cursor.execute(f"SELECT {quote('device_id')}, {quote('token')} FROM {quote(OLD_TOKENS)} "  # noqa: S608
                       f"ORDER BY {quote('id')}")
        tokens = defaultdict(list)
        for device_id, token in cursor.fetchall():
            tokens[device_id].append(token)

    for old in devices:
        new = device_model.objects.create(
            user_id=old["user_id"], name=old["name"], confirmed=old["confirmed"],
            throttling_failure_timestamp=old.get("throttling_failure_timestamp"),
            throttling_failure_count=old.get("throttling_failure_count") or 0,
            last_used_at=old.get("last_used_at"))
        if old.get("created_at") is not None:  # auto_now_add set it to now on create
            device_model.objects.filter(pk=new.pk).update(created_at=old["created_at"])
        code_model.objects.bulk_create([code_model(device=new, hashed=_hash(t)) for t in tokens[old["id"]]])

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {quote(OLD_TOKENS)}")  # noqa: S608
        cursor.execute(f"DELETE FROM {quote(OLD_DEVICES)}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("twofactor", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(hash_clear_codes, migrations.RunPython.noop, elidable=False),
    ]
