"""factory_boy factories for the domain models, shared by every test package."""

import datetime

import factory
from django.contrib.auth import get_user_model

from imbizo.catalogue.models import Service, ServiceStandard, TargetUnit
from imbizo.geo.models import Region, Ward
from imbizo.org.models import Department, Institution, Office, Role, Staff


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    """A GeoJSON square polygon with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [[
            [lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat],
        ]],
    }


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("id",)

    id = 1
    name = "Test Metropolitan Municipality"
    time_zone = "Africa/Johannesburg"
    complaints_route = "Call 0800 000 000 or write to complaints@example.org."


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"r{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    region = factory.SubFactory(RegionFactory)
    population = 10_000
    boundary = factory.Sequence(lambda n: square(28.0 + n * 0.01, -26.2))
    centroid_lat = -26.195
    centroid_lon = factory.Sequence(lambda n: 28.005 + n * 0.01)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"Department {n}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"office{n}")
    name = factory.Sequence(lambda n: f"Office {n}")
    department = factory.SubFactory(DepartmentFactory)
    opening_hours = "Mon-Fri 08:00-16:00"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICER
    office = factory.SubFactory(OfficeFactory)
    department = factory.LazyAttribute(lambda s: s.office.department if s.office else None)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"svc-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A service used in tests."
    group = "Water"
    department = factory.SubFactory(DepartmentFactory)
    channels = ["web", "hotline"]


class ServiceStandardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceStandard

    service = factory.SubFactory(ServiceFactory)
    version = factory.Sequence(lambda n: n + 1)
    pledge = "We fix it quickly and tell you when it is done."
    ack_amount = 1
    ack_unit = TargetUnit.WORKING_DAYS
    update_amount = 2
    update_unit = TargetUnit.WORKING_DAYS
    resolve_amount = 5
    resolve_unit = TargetUnit.WORKING_DAYS
    compliance_target = 90
    redress = "Ask for the supervisor; we answer within 2 working days."
    effective_from = datetime.date(2020, 1, 1)
    published = True
