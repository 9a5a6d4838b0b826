"""`manage.py seed_demo`: the demo world is complete, valid, deterministic, all-or-nothing.

A full city run takes about three seconds here; most tests use the hidden `--enterprises` option for a
smaller run of the same world (towns, stations, banks and accounts are the same at any size) and one
test checks the real defaults.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from portal.choices import (
    EnterpriseKind,
    InstitutionKind,
    PersonLink,
    RegionKind,
    Role,
    StationHost,
    StationLevel,
)
from portal.demo import DEMO_PASSWORD, demo_accounts_table
from portal.demo import context as demo_context
from portal.demo import runner as demo_runner
from portal.demo.context import SeedContext, Step, register_step, registered_steps
from portal.models import (
    AuditLog,
    Branch,
    Enterprise,
    EnterprisePerson,
    Institution,
    Park,
    Person,
    Region,
    RoleAssignment,
    ServiceStation,
)
from portal.rules import check_id_number, check_mobile, check_region_code, check_uscc

pytestmark = pytest.mark.django_db

SMALL = 600


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def registry_counts() -> dict:
    models = (AuditLog, Region, Park, Institution, Branch, ServiceStation, Enterprise, Person, EnterprisePerson, RoleAssignment)
    return {m.__name__: m.objects.count() for m in models} | {"User": get_user_model().objects.count()}


def snapshot() -> dict:
    """The seeded data by natural keys (ids differ between runs, the data must not)."""
    return {
        "regions": list(Region.objects.order_by("code").values_list("code", "name", "kind", "parent__code")),
        "stations": list(ServiceStation.objects.order_by("code").values_list("code", "name", "level", "region__code")),
        "branches": list(Branch.objects.order_by("institution__code", "name").values_list("name", "region__code")),
        "enterprises": list(
            Enterprise.objects.order_by("uscc").values_list(
                "uscc", "name", "kind", "industry", "region__code", "park__code", "is_key", "employees",
                "registered_capital", "founded_on", "address", "legal_representative__id_number",
                "legal_representative__name", "contact__name",
            )
        ),
        "people": sorted(Person.objects.values_list("name", "id_number", "mobile", "is_new_generation")),
        "accounts": list(
            RoleAssignment.objects.order_by("user__username").values_list(
                "user__username", "role", "region__code", "station__code", "institution__code", "enterprise__uscc"
            )
        ),
    }


def test_default_city_run_makes_the_whole_city_with_its_stations_institutions_and_accounts():
    # Given an empty database
    # When the command runs with its defaults
    out = seed()

    # Then the city has 15 towns and streets, about 150 villages and communities, and two parks
    city = Region.objects.get(level="city")
    assert (city.code, city.name) == ("510799000000", "星湖市")
    towns = Region.objects.filter(level="town")
    assert towns.filter(kind=RegionKind.TOWN).count() == 10
    assert towns.filter(kind=RegionKind.STREET).count() == 5
    assert 130 <= Region.objects.filter(level="village").count() <= 170
    assert sorted(Park.objects.values_list("name", flat=True)) == ["三星湖智能传感产业园", "星湖经济技术开发区"]
    # and exactly 120 stations: the city's, one per town, one per park, the rest in villages
    stations = ServiceStation.objects.all()
    assert stations.count() == 120
    assert stations.filter(host=StationHost.SERVICE_CENTRE, region=city).count() == 1
    assert stations.filter(level=StationLevel.TOWN).count() == 15
    assert set(stations.filter(level=StationLevel.TOWN).values_list("region__level", flat=True)) == {"town"}
    park_stations = stations.filter(host=StationHost.PARK)
    assert park_stations.count() == 2
    assert all(s.park_id and s.region_id == city.pk for s in park_stations)
    assert stations.filter(level=StationLevel.VILLAGE, region__level="village").count() == 102
    # and five banks and five insurers, each with one to three branches in towns
    assert Institution.objects.filter(kind=InstitutionKind.BANK).count() == 5
    assert Institution.objects.filter(kind=InstitutionKind.INSURER).count() == 5
    for institution in Institution.objects.all():
        branches = institution.branches.all()
        assert 1 <= len(branches) <= 3
        assert {b.region.level for b in branches} == {"town"}
    # and 3,000 enterprises
    assert Enterprise.objects.count() == 3000
    # and the ten demo accounts with their roles and scopes
    first_town = Region.objects.get(name="东湖镇")
    accounts = {a.user.username: a for a in RoleAssignment.objects.select_related("user", "institution")}
    assert {name: a.role for name, a in accounts.items()} == {
        "admin": Role.ADMIN, "orgstaff": Role.ORG_STAFF, "townstaff": Role.TOWN_STAFF,
        "station": Role.STATION_OPERATOR, "bank": Role.BANK_OFFICER, "bank2": Role.BANK_OFFICER,
        "insurer": Role.INSURER_OFFICER, "enterprise": Role.ENTERPRISE_USER, "cadre": Role.CADRE,
        "leader": Role.LEADER,
    }
    assert accounts["townstaff"].region == first_town
    assert accounts["station"].station.region == first_town
    assert accounts["station"].station.level == StationLevel.TOWN
    assert accounts["bank"].institution.kind == accounts["bank2"].institution.kind == InstitutionKind.BANK
    assert accounts["bank"].institution != accounts["bank2"].institution
    assert accounts["insurer"].institution.kind == InstitutionKind.INSURER
    enterprise = accounts["enterprise"].enterprise
    assert enterprise.is_key
    assert enterprise.region.code.startswith(first_town.prefix)
    for name in ("admin", "orgstaff", "cadre", "leader"):
        assert accounts[name].scope is None
    # and the run is in the audit log
    assert AuditLog.objects.get(action="demo.seed").after["seed"] == 2026
    # and the output names the password and the accounts
    assert DEMO_PASSWORD in out
    assert "townstaff" in out
    assert "星湖市东湖镇" in out


def test_admin_account_is_staff_with_model_permissions_but_not_superuser(client):
    # Given a seeded database
    seed("--enterprises", "50")

    # When we look at the admin account
    admin = get_user_model().objects.get(username="admin")

    # Then it is staff with exactly the account, role and audit-log permissions
    assert admin.is_staff
    assert not admin.is_superuser
    perms = {f"{p.content_type.app_label}.{p.codename}" for p in admin.user_permissions.select_related("content_type")}
    assert perms == {
        "auth.add_user", "auth.change_user", "auth.view_user", "auth.delete_user",
        "portal.add_roleassignment", "portal.change_roleassignment", "portal.view_roleassignment",
        "portal.delete_roleassignment", "portal.view_auditlog", "portal.view_auditarchive",
        "axes.view_accessattempt", "axes.delete_accessattempt",  # the locked accounts, and unlocking one
        # who manages each institution's API keys, the legacy tokens' cut-off, and the keys (read only)
        "apikeys.add_keyadministrator", "apikeys.view_keyadministrator", "apikeys.delete_keyadministrator",
        "apikeys.view_legacytokenpolicy", "apikeys.change_legacytokenpolicy", "apikeys.view_institutionapikey",
        "apikeys.view_serviceaccount",
    }
    # and with them it manages accounts and roles and reads the audit log in the admin site
    client.post(reverse("login"), {"username": "admin", "password": DEMO_PASSWORD})
    for url in ("/admin/auth/user/", f"/admin/auth/user/{admin.pk}/change/", "/admin/portal/roleassignment/",
                "/admin/portal/auditlog/"):
        assert client.get(url).status_code == 200, url
    # and nobody else is staff
    assert list(get_user_model().objects.filter(is_staff=True).values_list("username", flat=True)) == ["admin"]
    assert all(u.last_name and u.first_name for u in get_user_model().objects.all())


def test_every_demo_account_logs_in_with_the_published_password(client):
    # Given a seeded database
    seed("--enterprises", "50")

    for username in ("admin", "orgstaff", "townstaff", "station", "bank", "bank2", "insurer", "enterprise",
                     "cadre", "leader"):
        # When the user logs in through the login page (axes needs a request, so not client.login)
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})

        # Then the login succeeds as that user
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username=username).pk)
        client.logout()


def test_demo_scopes_reach_the_first_towns_key_enterprise():
    # Given a seeded database
    seed("--enterprises", str(SMALL))
    users = {u.username: u for u in get_user_model().objects.all()}
    enterprise = RoleAssignment.objects.get(user__username="enterprise").enterprise

    # Then the town staff, the station operator and the enterprise user all see the enterprise's record
    for username in ("townstaff", "station", "enterprise", "orgstaff"):
        assert Enterprise.objects.restrict(users[username]).filter(pk=enterprise.pk).exists(), username
    # and the enterprise user sees nothing else
    assert list(Enterprise.objects.restrict(users["enterprise"])) == [enterprise]


def test_credit_codes_id_numbers_and_mobiles_are_valid_and_unique():
    # Given a seeded database
    seed("--enterprises", str(SMALL))

    # Then every credit code passes GB 32100 and no two are the same
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert len(codes) == SMALL
    assert [c for c in codes if not check_uscc(c).ok] == []
    assert len(set(codes)) == len(codes)
    # and the registration-type digits follow the kind: 91 company, 93 cooperative, 92 family farm
    prefixes = {EnterpriseKind.PRIVATE: "91", EnterpriseKind.COOPERATIVE: "93", EnterpriseKind.FAMILY_FARM: "92"}
    assert all(uscc[:2] == prefixes[kind] for uscc, kind in Enterprise.objects.values_list("uscc", "kind"))
    # and every ID number passes GB 11643 (place valid in the year of birth), every mobile is a mobile
    numbers = [n for n in Person.objects.values_list("id_number", flat=True) if n]
    assert [n for n in numbers if not check_id_number(n).ok] == []
    assert len(set(numbers)) == len(numbers)
    assert [m for m in Person.objects.values_list("mobile", flat=True) if not check_mobile(m).ok] == []
    # and births span the generations, not only the late 1980s and 1990s
    years = {int(n[6:10]) for n in numbers}
    assert min(years) < 1965
    assert max(years) > 1990


def test_every_region_code_fits_its_level_and_parent():
    # Given a seeded database
    seed("--enterprises", "50")

    # Then every code passes the registry's own check against its parent
    problems = [
        (r.code, problem)
        for r in Region.objects.select_related("parent")
        if (problem := check_region_code(
            r.code, r.level, r.parent.code if r.parent else None, r.parent.level if r.parent else None
        ))
    ]
    assert problems == []
    # and villages sit under towns, communities under streets
    villages = Region.objects.filter(level="village").select_related("parent")
    assert {(v.parent.kind, v.kind) for v in villages} == {
        (RegionKind.TOWN, RegionKind.VILLAGE), (RegionKind.STREET, RegionKind.COMMUNITY)
    }


def test_enterprises_have_the_expected_mix_and_people():
    # Given a seeded database of 600 enterprises
    seed("--enterprises", str(SMALL))
    enterprises = Enterprise.objects.select_related("region__parent", "park__region")

    # Then most are private, with cooperatives and family farms in villages under towns
    kinds = [e.kind for e in enterprises]
    assert kinds.count(EnterpriseKind.PRIVATE) / SMALL > 0.7
    assert kinds.count(EnterpriseKind.COOPERATIVE) > 0
    assert kinds.count(EnterpriseKind.FAMILY_FARM) > 0
    for e in enterprises:
        if e.kind != EnterpriseKind.PRIVATE:
            assert (e.region.kind, e.industry) == (RegionKind.VILLAGE, "A"), e.name
            assert e.name.endswith("专业合作社" if e.kind == EnterpriseKind.COOPERATIVE else "家庭农场")
        assert e.name.startswith("星湖市")
        assert e.registered_capital > 0
        assert e.registered_capital.as_tuple().exponent == -2
        assert e.region.level in ("village", "town", "city")
    # and about 15% are in a park, registered in the park's town or at the city
    in_park = [e for e in enterprises if e.park_id]
    assert 0.10 <= len(in_park) / SMALL <= 0.20
    for e in in_park:
        assert e.region.level == "city" or e.region.code.startswith(e.park.region.prefix)
    # and about 5% are key enterprises
    assert 0.03 <= sum(e.is_key for e in enterprises) / SMALL <= 0.08
    # and each has a legal representative linked as such; about half name a contact
    legal_links = set(EnterprisePerson.objects.filter(link=PersonLink.LEGAL_REPRESENTATIVE)
                      .values_list("enterprise_id", "person_id"))
    assert {(e.pk, e.legal_representative_id) for e in enterprises} == legal_links
    with_contact = [e for e in enterprises if e.contact_id]
    assert 0.4 <= len(with_contact) / SMALL <= 0.65
    assert EnterprisePerson.objects.filter(link=PersonLink.CONTACT).count() == len(with_contact)
    # and about one entrepreneur in ten is new-generation
    entrepreneurs = Person.objects.filter(enterprise_links__link=PersonLink.ENTREPRENEUR).distinct()
    share = entrepreneurs.filter(is_new_generation=True).count() / entrepreneurs.count()
    assert 0.05 <= share <= 0.15
    assert not Person.objects.filter(is_new_generation=True).exclude(pk__in=entrepreneurs).exists()


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    # Given a run with seed 7, rolled back after we look at it
    with transaction.atomic():
        seed("--enterprises", "300", "--seed", "7")
        first = snapshot()
        transaction.set_rollback(True)
    assert Enterprise.objects.count() == 0

    # When the same seed runs again on the empty database
    with transaction.atomic():
        seed("--enterprises", "300", "--seed", "7")
        second = snapshot()
        transaction.set_rollback(True)

    # Then everything is the same
    assert second == first
    assert len(first["enterprises"]) == 300

    # When another seed runs
    seed("--enterprises", "300", "--seed", "8")

    # Then the enterprises differ
    assert snapshot()["enterprises"] != first["enterprises"]


def test_if_empty_does_nothing_the_second_time_but_prints_the_accounts():
    # Given a seeded database
    seed("--enterprises", "100")
    before = registry_counts()

    # When the command runs again with --if-empty
    out = seed("--if-empty", "--enterprises", "100")

    # Then nothing was added, and the accounts are printed all the same
    assert registry_counts() == before
    assert "--if-empty" in out
    assert "bank2" in out
    assert DEMO_PASSWORD in out


def test_refuses_a_database_that_already_has_registry_data():
    # Given a seeded database
    seed("--enterprises", "100")
    before = registry_counts()

    # When the command runs again without --if-empty
    with pytest.raises(CommandError, match="已有登记数据"):
        seed("--enterprises", "100")

    # Then nothing changed
    assert registry_counts() == before


def test_refuses_when_a_demo_username_is_taken():
    # Given an empty registry but a user called "admin"
    get_user_model().objects.create_user(username="admin", password="x-Unrelated-2026")

    # When the command runs
    with pytest.raises(CommandError, match="admin"):
        seed("--enterprises", "50")

    # Then nothing was written
    assert Region.objects.count() == 0


def test_a_failing_step_leaves_nothing_behind(monkeypatch):
    # Given a later step that fails after portal's steps have written everything
    def boom(ctx):
        assert Enterprise.objects.count() == 50
        raise RuntimeError("step failed")

    steps = demo_runner.discover_steps() + [Step(name="tests.boom", func=boom)]
    monkeypatch.setattr(demo_runner, "discover_steps", lambda: steps)

    # When the command runs
    with pytest.raises(RuntimeError, match="step failed"):
        seed("--enterprises", "50")

    # Then the whole run was rolled back
    assert registry_counts() == dict.fromkeys(registry_counts(), 0)


def test_a_later_apps_step_runs_after_portals_with_the_context(monkeypatch):
    # Given the step list as it stands (every app's demo module imported first, so that the copy is
    # complete and the real list is intact afterwards), and a step a later app registers
    monkeypatch.setattr(demo_context, "_STEPS", list(demo_runner.discover_steps()))
    seen = {}

    def seed_ratings(ctx: SeedContext):
        seen["enterprises"] = len(ctx.enterprises)
        seen["first_town"] = ctx.first_town.name
        seen["draw"] = ctx.rng.random()
        ctx.count("星级党组织", 7)

    register_step(seed_ratings, name="tests.later_app", label="评星定级")
    register_step(seed_ratings, name="tests.later_app", label="评星定级")  # a second import: no duplicate

    # When the command runs
    out = seed("--enterprises", "40")

    # Then the step ran once, last, with portal's objects on the context and its own generator
    names = [s.name for s in registered_steps()]
    assert names[-1] == "tests.later_app"
    assert names.count("tests.later_app") == 1
    assert names[:5] == ["portal.regions", "portal.institutions", "portal.stations", "portal.enterprises",
                         "portal.accounts"]
    assert seen == {"enterprises": 40, "first_town": "东湖镇", "draw": demo_context.step_rng(2026, "tests.later_app").random()}
    assert "星级党组织" in out


def test_register_step_after_puts_the_step_in_place(monkeypatch):
    # Given the registered steps
    monkeypatch.setattr(demo_context, "_STEPS", list(demo_runner.discover_steps()))

    # When a step is registered after the enterprises
    register_step(lambda ctx: None, name="tests.after_enterprises", after="portal.enterprises")

    # Then it runs between the enterprises and the accounts
    names = [s.name for s in registered_steps()]
    assert names[names.index("portal.enterprises") + 1] == "tests.after_enterprises"
    with pytest.raises(ValueError, match="not registered"):
        register_step(lambda ctx: None, name="x.y", after="no.such.step")


def test_accounts_table_reads_the_database():
    # Given an empty database, then a seeded one
    assert demo_accounts_table() == "（数据库中没有演示账号）"
    seed("--enterprises", "50")

    # When the table is made
    table = demo_accounts_table()

    # Then it has a header, a rule and one line per account, with roles in Chinese
    lines = table.splitlines()
    assert len(lines) == 2 + 10
    assert lines[0].split() == ["用户名", "姓名", "角色", "范围", "密码"]
    assert lines[2].split()[:3] == ["admin", "孙立伟", "系统管理员"]
    assert "银行客户经理" in table
    assert "中国农业银行星湖支行" in table
