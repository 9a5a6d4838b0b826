"""factory_boy factories for the registry. Identifiers are valid (check characters computed)."""

import random
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from portal.choices import InstitutionKind, RegionKind, RegionLevel, StationHost, StationLevel
from portal.identifiers import make_id_number, make_mobile, make_uscc
from portal.models import Enterprise, Institution, Park, Person, Region, RoleAssignment, ServiceStation

_rng = random.Random(20261126)

CITY_CODE = "510799000000"
TEST_PASSWORD = "Test-password-2026"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = CITY_CODE
    name = "星湖市"
    level = RegionLevel.CITY
    kind = RegionKind.CITY
    parent = None


def city():
    return RegionFactory()


def town(n: int, name: str | None = None):
    return RegionFactory(
        code=f"510799{100 + n:03d}000", name=name or f"第{n}镇", level=RegionLevel.TOWN, kind=RegionKind.TOWN,
        parent=city(),
    )


def village(town_region, n: int, name: str | None = None):
    return RegionFactory(
        code=f"{town_region.code[:9]}{200 + n:03d}", name=name or f"{town_region.name}{n}村",
        level=RegionLevel.VILLAGE, kind=RegionKind.VILLAGE, parent=town_region,
    )


class ParkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Park

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"星湖第{n}工业园区")
    region = factory.LazyFunction(city)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    kind = InstitutionKind.BANK
    code = factory.Sequence(lambda n: f"FI{n:03d}")
    name = factory.Sequence(lambda n: f"测试银行第{n}分行")
    short_name = factory.Sequence(lambda n: f"测试银行{n}")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStation

    code = factory.Sequence(lambda n: f"S{n:04d}")
    name = factory.Sequence(lambda n: f"第{n}金融服务站")
    level = StationLevel.TOWN
    host = StationHost.SERVICE_CENTRE
    region = factory.LazyFunction(lambda: town(1))


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.LazyFunction(lambda: make_id_number(_rng))
    mobile = factory.LazyFunction(lambda: make_mobile(_rng))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    uscc = factory.LazyFunction(lambda: make_uscc(_rng))
    name = factory.Sequence(lambda n: f"星湖测试{n}有限公司")
    kind = "private"
    industry = "C"
    region = factory.LazyFunction(lambda: village(town(1), 1))
    employees = 50
    registered_capital = Decimal("1000000.00")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(username: str, role: str, **scope):
    user = UserFactory(username=username)
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user
