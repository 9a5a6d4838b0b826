"""Demo data of the reports app: nothing of its own to invent — the dashboards' summary copy of the
ratings is built from what the other apps' steps made, so that the demo's dashboards are fast at once
(otherwise the periodic task builds it within a quarter of an hour)."""

from __future__ import annotations

from django.db import connection

from portal.demo import SeedContext, register_step


@register_step(name="reports.rating_facts", label="看板统计副本")
def seed_rating_facts(ctx: SeedContext) -> None:
    from .figures.summary import rating_facts_refresh

    ctx.count("看板星级统计副本", rating_facts_refresh().rows)
    if connection.vendor == "postgresql":
        # Freshly loaded tables have no planner statistics until autovacuum gets to them; planned blind,
        # the dashboards' history lookups start from the wrong table and take seconds. The last step of
        # the demo gathers them, as a live database has them. Its own tables only, by name: a bare ANALYZE
        # also takes the cluster's shared catalogs (pg_authid, pg_database), and holds them until the
        # seeding transaction ends, so that every other database's ANALYZE waits for it (two test
        # workers seeding at once took turns for whole tests).
        tables = [connection.ops.quote_name(name) for name in connection.introspection.table_names()]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
