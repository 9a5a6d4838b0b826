"""Helpers of the pairings tests (tests/liaison/test_pairings_*.py); their world is `lworld`
(tests/liaison/conftest.py): 吴国平 (account `cadre`) paired with 东湖精密机械 and its legal
representative 李东湖, 郑明远 (account `cadre_b`) with 西山食品, and the secretary 周立新."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.choices import ContactKind, PairingKind
from liaison.models import Cadre, Pairing, Visit
from portal.choices import EnterpriseKind, PersonLink
from portal.errors import AccessDenied, DomainError
from portal.models import AuditLog, EnterprisePerson
from tests.factories import EnterpriseFactory, PersonFactory

D = datetime.date


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def written():
    """What a refused service must leave as it was."""
    return (list(Cadre.objects.order_by("pk").values_list("name", "post", "level", "user_id", "is_active", "order")),
            list(Pairing.objects.order_by("pk").values_list("pk", "ended_on", "end_reason")),
            Visit.objects.count(), AuditLog.objects.count())


def refused(call) -> DomainError:
    before = written()
    with pytest.raises(DomainError) as caught:
        call()
    assert written() == before
    return caught.value


def denied(call) -> AccessDenied:
    error = refused(call)
    assert isinstance(error, AccessDenied), error
    return error


def key_enterprise(w, name, region=None, **fields):
    fields.setdefault("kind", EnterpriseKind.PRIVATE)
    return EnterpriseFactory(name=name, region=region or w.village_a, is_key=True, **fields)


def entrepreneur(w, name, enterprise=None, link=PersonLink.ENTREPRENEUR):
    """A person who is the entrepreneur of a (new) enterprise of 东湖镇."""
    person = PersonFactory(name=name)
    enterprise = enterprise or EnterpriseFactory(name=f"{name}的企业", region=w.village_a)
    EnterprisePerson.objects.create(enterprise=enterprise, person=person, link=link, title="董事长")
    return person


def pair(cadre, partner, *, started_on=None, ended_on=None):
    """A pairing written directly (as an import would), not through the service."""
    started_on = started_on or D(2026, 1, 5)
    kind = PairingKind.ENTERPRISE if hasattr(partner, "uscc") else PairingKind.ENTREPRENEUR
    field = "enterprise" if kind == PairingKind.ENTERPRISE else "person"
    return Pairing.objects.create(cadre=cadre, kind=kind, started_on=started_on, ended_on=ended_on,
                                  end_reason="工作调整" if ended_on else "", **{field: partner})


def visit(cadre, enterprise, *, on=None, discussed="了解企业用工招聘需求", kind=ContactKind.VISIT):
    return Visit.objects.create(cadre=cadre, enterprise=enterprise, visited_on=on or D(2026, 3, 2),
                                discussed=discussed, kind=kind)


def with_visits(w):
    """`lworld` with a visit of each cadre and a key enterprise of 西山街道 nobody is paired with."""
    w.visit_a = visit(w.cadre_a_obj, w.ent_a, discussed="用工招聘难题座谈")
    w.visit_b = visit(w.cadre_b_obj, w.ent_b, discussed="西山食品冷链仓储")
    w.free_key = key_enterprise(w, "西山纺织有限公司", w.village_b)
    return w


def page(client, user, name, *args, status=200, **query):
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == status
    return response.content.decode()


def row(body, attr, value):
    return body.split(f'data-{attr}="{value}"')[1].split("</tr>")[0]
