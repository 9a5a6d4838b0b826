"""An index on the appeals' history by time, for the figures as of a day: they read the appeals with a
step after that day (`liaison.selectors.appeals._appeal_states`: few for a recent day), which without it
scanned the whole history (85,000 steps at a province's scale, growing with every step).

It lives here, with the figures that need it, as SQL of its own: the liaison models were being changed
by other work when it was added. Declaring it on AppealEvent.at (db_index=True) instead takes a liaison
migration that adopts this index by name (SeparateDatabaseAndState) and this one's RunSQL made a no-op."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('liaison', '0003_department_members_and_leader_actions'),
        ('reports', '0004_certificate_file'),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS liaison_appealevent_at_idx ON liaison_appealevent (at);",
            "DROP INDEX IF EXISTS liaison_appealevent_at_idx;",
        ),
    ]
