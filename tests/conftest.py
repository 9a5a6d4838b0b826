"""Fixtures shared by every app's tests.

`world` is a small registry with two towns, so that every role exists twice where its scope can
differ: the "right role, other scope" case of the access helper needs the second one."""

import os
from types import SimpleNamespace

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from portal.choices import InstitutionKind, Role, StationHost, StationLevel

from .factories import (
    EnterpriseFactory,
    InstitutionFactory,
    ParkFactory,
    PersonFactory,
    StationFactory,
    city,
    town,
    user_with_role,
    village,
)

# Property tests of the rules (hypothesis): a bounded number of examples so the suite stays fast, no
# example database written into the work tree, and under CI the same examples on every run.
hypothesis_settings.register_profile("portal", max_examples=60, deadline=None, database=None,
                                     derandomize=bool(os.environ.get("CI")))
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "portal"))


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.city = city()
    w.town_a = town(1, "东湖镇")
    w.town_b = town(2, "西山街道")
    w.village_a = village(w.town_a, 1, "东湖村")
    w.village_b = village(w.town_b, 1, "西山社区")
    w.park = ParkFactory(name="星湖高新技术产业园区", region=w.city)
    w.bank = InstitutionFactory(kind=InstitutionKind.BANK, code="B01", name="星湖农商银行", short_name="农商银行")
    w.bank2 = InstitutionFactory(kind=InstitutionKind.BANK, code="B02", name="星湖建设银行", short_name="建设银行")
    w.insurer = InstitutionFactory(kind=InstitutionKind.INSURER, code="I01", name="人保财险星湖支公司",
                                   short_name="人保财险")
    w.insurer2 = InstitutionFactory(kind=InstitutionKind.INSURER, code="I02", name="平安财险星湖支公司",
                                    short_name="平安财险")
    w.station_a = StationFactory(name="东湖镇金融服务站", region=w.town_a, level=StationLevel.TOWN)
    w.station_b = StationFactory(name="西山街道金融服务站", region=w.town_b, level=StationLevel.TOWN)
    w.park_station = StationFactory(name="高新园区金融服务站", region=w.city, park=w.park,
                                    host=StationHost.PARK, level=StationLevel.CITY)
    w.person_a = PersonFactory(name="李东湖")
    w.person_b = PersonFactory(name="王西山")
    w.ent_a = EnterpriseFactory(name="东湖精密机械有限公司", region=w.village_a, legal_representative=w.person_a,
                                is_key=True)
    w.ent_b = EnterpriseFactory(name="西山食品有限公司", region=w.village_b, legal_representative=w.person_b)
    w.ent_park = EnterpriseFactory(name="星湖传感科技有限公司", region=w.city, park=w.park)

    w.org_staff = user_with_role("t_orgstaff", Role.ORG_STAFF)
    w.town_staff = user_with_role("t_townstaff", Role.TOWN_STAFF, region=w.town_a)
    w.town_staff_b = user_with_role("t_townstaff_b", Role.TOWN_STAFF, region=w.town_b)
    w.station = user_with_role("t_station", Role.STATION_OPERATOR, station=w.station_a)
    w.station_b_user = user_with_role("t_station_b", Role.STATION_OPERATOR, station=w.station_b)
    w.park_station_user = user_with_role("t_park_station", Role.STATION_OPERATOR, station=w.park_station)
    w.bank_officer = user_with_role("t_bank", Role.BANK_OFFICER, institution=w.bank)
    w.bank2_officer = user_with_role("t_bank2", Role.BANK_OFFICER, institution=w.bank2)
    w.insurer_officer = user_with_role("t_insurer", Role.INSURER_OFFICER, institution=w.insurer)
    w.insurer2_officer = user_with_role("t_insurer2", Role.INSURER_OFFICER, institution=w.insurer2)
    w.enterprise_user = user_with_role("t_enterprise", Role.ENTERPRISE_USER, enterprise=w.ent_a)
    w.enterprise_b_user = user_with_role("t_enterprise_b", Role.ENTERPRISE_USER, enterprise=w.ent_b)
    w.cadre = user_with_role("t_cadre", Role.CADRE)
    w.leader = user_with_role("t_leader", Role.LEADER)
    w.admin = user_with_role("t_admin", Role.ADMIN)
    return w


@pytest.fixture
def api_client():
    return APIClient()


def pytest_terminal_summary(terminalreporter):
    """What each fault test stopped and what it saw (tests/faults), listed together at the end of the run."""
    lines = [value for reports in terminalreporter.stats.values() for report in reports
             if getattr(report, "when", None) == "call"
             for name, value in getattr(report, "user_properties", ()) if name == "fault-summary"]
    if lines:
        terminalreporter.section("fault tests")
        for line in lines:
            terminalreporter.write_line(line)
