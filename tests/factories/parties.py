import datetime
import random

import factory
from django.contrib.auth import get_user_model

from parties.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    AgencyUnit,
    County,
    Employer,
    Staff,
    StaffRole,
    Worker,
)
from parties.validators import CREDIT_CODE_ALPHABET, credit_code_check_char, resident_id_check_char


def make_resident_id(birth=None, female=False, seed=0) -> str:
    """A valid, distinct resident ID number for each seed (birth dates spread over 1966–2006)."""
    seed = seed or 0
    birth = birth or datetime.date(1966, 1, 1) + datetime.timedelta(days=seed % 14600)
    seq = (seed // 14600) % 100 * 10 + (2 if female else 1)
    first17 = f"610902{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def make_credit_code(seed=None) -> str:
    rnd = random.Random(seed)
    body = "91" + "610902" + "".join(rnd.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return body + credit_code_check_char(body)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    kind = AgencyKind.UNION
    name = factory.Sequence(lambda n: f"测试机构{n}")
    short_name = factory.LazyAttribute(lambda o: o.name)
    level = AgencyLevel.COUNTY
    county = County.HANBIN
    unit = AgencyUnit.MAIN
    case_prefix = factory.Sequence(lambda n: f"测{n}调")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("pass-Concord-2026")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    full_name = factory.Sequence(lambda n: f"工作人员{n}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            StaffRole.objects.create(staff=self, role=role)
        self.__dict__.pop("roles", None)  # reset the cached_property


def staff_user(agency, *roles, username=None):
    """A logged-in-able user who works at `agency` with `roles`."""
    kwargs = {"agency": agency, "roles": list(roles)}
    if username:
        kwargs["user__username"] = username
    return StaffFactory(**kwargs).user


class WorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Worker

    name = factory.Sequence(lambda n: f"王{n}")
    id_number = factory.Sequence(lambda n: make_resident_id(seed=n))
    phone = factory.Sequence(lambda n: f"139{n:08d}")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"安康某建筑劳务有限公司{n}")
    credit_code = factory.Sequence(lambda n: make_credit_code(seed=n))
    legal_representative = "李某"
    county = County.HANBIN
