"""The one row of the legacy tokens' cut-off, with no date yet, so that the admin site lists it for
change (its add is closed once it exists) and `deprecated_since` is the day keys arrived."""

from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("apikeys", "LegacyTokenPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("apikeys", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
