import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from boards.models import Board, Membership, Party, Person, Ward

PASSWORD = "correct-horse-battery"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.uk")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            self.groups.add(Group.objects.get(name=role))


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Ward {n}")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["name"]

    name = factory.Iterator(["Labour", "Conservative", "Liberal Democrat", "Green"])


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    class Params:
        officer = factory.Trait(
            kind=Person.Kind.OFFICER, ward=None, party=None, job_title="Scrutiny Adviser"
        )

    kind = Person.Kind.COUNCILLOR
    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    ward = factory.SubFactory(WardFactory)
    party = factory.SubFactory(PartyFactory)


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    name = factory.Sequence(lambda n: f"Scrutiny Board (Topic {n})")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    kind = Board.Kind.SCRUTINY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardFactory)
    person = factory.SubFactory(PersonFactory)
    role = Membership.Role.MEMBER
    starts_on = datetime.date(2015, 5, 21)
