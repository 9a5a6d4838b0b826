"""The two coverages counted per region, kept current by triggers (see CoverageCount).

Statement-level triggers with transition tables: a COPY or a bulk insert of 10,000 enterprises shifts
the counts in one grouped upsert, not one per row. A change of coverage first locks the enterprises it
touches (FOR NO KEY UPDATE, in key order) and only then reads their coverages, in a statement of its
own: two transactions changing the same enterprise's coverages (an organization's and an instructor's)
therefore count one after the other, each seeing what the other committed. The counts are shifted by
deltas (`count + delta`), which concurrent upserts of the same region add up without losing one.

A TRUNCATE fires none of these: truncate the counts with the tables they count (as a test database's
flush does), or run REBUILD again."""
# ruff: noqa: S608 — the SQL is put together from this file's own constants only, no input reaches it.

import django.db.models.deletion
from django.db import migrations, models

ORG = "EXISTS (SELECT 1 FROM ratings_orgcoverage t WHERE t.enterprise_id = {e} AND t.ended_on IS NULL)"
INSTR = "EXISTS (SELECT 1 FROM ratings_instructorassignment t WHERE t.enterprise_id = {e} AND t.ended_on IS NULL)"
NO_ROWS = "(SELECT NULL::bigint AS id, NULL::bigint AS enterprise_id, NULL::date AS ended_on WHERE false)"

# Adds the rows of `deltas` (region_id, d_enterprises, d_org, d_work) to the counts, by region.
UPSERT = """
INSERT INTO ratings_coveragecount AS c (region_id, enterprises, organizational, work)
SELECT region_id, sum(d_enterprises), sum(d_org), sum(d_work) FROM ({deltas}) d
WHERE region_id IS NOT NULL GROUP BY region_id
HAVING sum(d_enterprises) <> 0 OR sum(d_org) <> 0 OR sum(d_work) <> 0
ON CONFLICT (region_id) DO UPDATE SET enterprises = c.enterprises + EXCLUDED.enterprises,
    organizational = c.organizational + EXCLUDED.organizational, work = c.work + EXCLUDED.work
"""

# An enterprise's part of the counts: (region_id, 1, covered by an organization, by an instructor only).
ENTERPRISE = """SELECT {rows}.region_id, {sign} AS d_enterprises, {sign} * ({org})::int AS d_org,
    {sign} * (({instr}) AND NOT ({org}))::int AS d_work FROM {rows}"""


def enterprise_part(rows: str, sign: int, where: str = "") -> str:
    e = f"{rows}.id"
    return ENTERPRISE.format(rows=rows, sign=sign, org=ORG.format(e=e), instr=INSTR.format(e=e)) + where


def function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
{body};
RETURN NULL;
END
$fn$;"""


def coverage_body(table: str, old: str, new: str) -> str:
    """A change of `table` (orgcoverage or instructorassignment): each touched enterprise's class before
    (its open rows of `table` with the statement's old rows in place of its new ones) and after."""
    other = "ratings_instructorassignment" if table == "ratings_orgcoverage" else "ratings_orgcoverage"
    touched = f"SELECT enterprise_id FROM {old} x UNION SELECT enterprise_id FROM {new} y"
    lock = (f"PERFORM 1 FROM portal_enterprise e WHERE e.id IN ({touched}) ORDER BY e.id FOR NO KEY UPDATE")
    flags = f"""SELECT e.region_id,
        EXISTS (SELECT 1 FROM {table} t WHERE t.enterprise_id = e.id AND t.ended_on IS NULL) AS after,
        (EXISTS (SELECT 1 FROM {table} t WHERE t.enterprise_id = e.id AND t.ended_on IS NULL
                 AND t.id NOT IN (SELECT id FROM {new} n))
         OR EXISTS (SELECT 1 FROM {old} o WHERE o.enterprise_id = e.id AND o.ended_on IS NULL)) AS before,
        EXISTS (SELECT 1 FROM {other} u WHERE u.enterprise_id = e.id AND u.ended_on IS NULL) AS other
        FROM portal_enterprise e WHERE e.id IN ({touched})"""
    if table == "ratings_orgcoverage":
        deltas = f"""SELECT region_id, 0 AS d_enterprises, after::int - before::int AS d_org,
            (other AND NOT after)::int - (other AND NOT before)::int AS d_work FROM ({flags}) f"""
    else:
        deltas = f"""SELECT region_id, 0 AS d_enterprises, 0 AS d_org,
            (after AND NOT other)::int - (before AND NOT other)::int AS d_work FROM ({flags}) f"""
    return lock + ";\n" + UPSERT.format(deltas=deltas)


FUNCTIONS = {
    "ratings_coverage_enterprise_insert": UPSERT.format(deltas=enterprise_part("new_rows", 1)),
    "ratings_coverage_enterprise_delete": UPSERT.format(deltas=enterprise_part("old_rows", -1)),
    # A move between regions: out of the old one, into the new one (the coverages stay as they are).
    "ratings_coverage_enterprise_update": UPSERT.format(deltas=(
        enterprise_part("old_rows", -1, " JOIN new_rows m USING (id) WHERE old_rows.region_id <> m.region_id")
        + " UNION ALL "
        + enterprise_part("new_rows", 1, " JOIN old_rows m USING (id) WHERE new_rows.region_id <> m.region_id"))),
}
TRIGGERS = [("portal_enterprise", "INSERT", "ratings_coverage_enterprise_insert"),
            ("portal_enterprise", "DELETE", "ratings_coverage_enterprise_delete"),
            ("portal_enterprise", "UPDATE", "ratings_coverage_enterprise_update")]
for table, short in (("ratings_orgcoverage", "org"), ("ratings_instructorassignment", "instructor")):
    for op, old, new in (("INSERT", NO_ROWS, "new_rows"), ("UPDATE", "old_rows", "new_rows"),
                         ("DELETE", "old_rows", NO_ROWS)):
        name = f"ratings_coverage_{short}_{op.lower()}"
        FUNCTIONS[name] = coverage_body(table, old, new)
        TRIGGERS.append((table, op, name))


def transition(op: str) -> str:
    return {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
            "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[op]


# The counts from scratch, from the enterprises and their coverages as they are.
REBUILD = """DELETE FROM ratings_coveragecount;
INSERT INTO ratings_coveragecount (region_id, enterprises, organizational, work)
SELECT region_id, count(*), count(*) FILTER (WHERE org), count(*) FILTER (WHERE instr AND NOT org)
FROM (SELECT e.region_id, {org} AS org, {instr} AS instr FROM portal_enterprise e) x GROUP BY region_id;""".format(
    org=ORG.format(e="e.id"), instr=INSTR.format(e="e.id"))

FORWARD = [function(name, body) for name, body in FUNCTIONS.items()] + [
    f"CREATE TRIGGER {name} AFTER {op} ON {table} REFERENCING {transition(op)} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {name}();" for table, op, name in TRIGGERS] + [REBUILD]
BACKWARD = [f"DROP TRIGGER IF EXISTS {name} ON {table};" for table, _op, name in TRIGGERS] + [
    f"DROP FUNCTION IF EXISTS {name}();" for name in FUNCTIONS]


def on_postgresql(statements):
    """The triggers are PostgreSQL's (PL/pgSQL, transition tables). The embedded mode (SQLite) keeps no
    counts: ratings.selectors counts live there (coverage_counts_maintained)."""
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0005_outbox'),
        ('ratings', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='CoverageCount',
            fields=[
                ('region', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='portal.region')),
                ('enterprises', models.IntegerField(default=0)),
                ('organizational', models.IntegerField(default=0)),
                ('work', models.IntegerField(default=0)),
            ],
            options={
                'verbose_name': '两个覆盖统计',
                'verbose_name_plural': '两个覆盖统计',
            },
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
