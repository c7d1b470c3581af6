import datetime
import io
import zoneinfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from boards.models import (
    AgendaItem,
    Board,
    Meeting,
    Membership,
    MunicipalYear,
    Paper,
    Party,
    Person,
    Post,
    Venue,
    Ward,
)
from decisions.models import CallIn, ExecutiveDecision, ForwardPlanEntry

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


# The second factor --------------------------------------------------------------------------


def authenticator_app(user):
    """A confirmed authenticator app (TOTP) of the user's; ``totp_code`` gives its code now."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device, *, at: float | None = None) -> str:
    """The code an authenticator app with the device's key shows now (or at ``at``)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def verify_second_factor(client, user) -> None:
    """Give the client's session its second factor as the verify page does, through django-otp's
    own ``login``, with the user's authenticator app (set up for them if they have none)."""
    from django.http import HttpRequest
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or authenticator_app(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, device)
    request.session.save()


def sign_in(client, user):
    """Sign the client in as the user, as a person would finish signing in: the password, and for
    staff (who must have one) or anyone who has one, the second factor. Returns the client."""
    from accounts.second_factor import has_any_device, needs_second_factor

    client.force_login(user)
    if needs_second_factor(user) or has_any_device(user):
        verify_second_factor(client, user)
    return client


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


LONDON = zoneinfo.ZoneInfo("Europe/London")


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    """A real PDF of blank A4 pages, with ``text`` in its metadata and first page's content
    (in Helvetica, so that text extraction reads it back)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode())
        writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        writer.pages[0][NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        django_get_or_create = ["title"]

    title = factory.Sequence(lambda n: f"Director of Service {n}")


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue
        django_get_or_create = ["name"]

    name = "Civic Hall"
    address = "Market Street\nAldermoor AM1 1AA"


class MunicipalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalYear
        django_get_or_create = ["starts_on"]

    starts_on = datetime.date(2015, 5, 21)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    starts_at = factory.LazyFunction(
        lambda: (
            timezone.now().astimezone(LONDON).replace(hour=10, minute=0, second=0, microsecond=0)
            + datetime.timedelta(days=30)
        )
    )
    venue = factory.SubFactory(VenueFactory)
    municipal_year = factory.LazyAttribute(
        lambda meeting: (
            MunicipalYear.objects.covering(meeting.starts_at.date())
            or MunicipalYearFactory(starts_on=datetime.date(meeting.starts_at.year - 1, 5, 1))
        )
    )


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = AgendaItem.Kind.REPORT
    title = factory.Sequence(lambda n: f"Report {n}")
    purpose = "To receive a report."


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    agenda_item = factory.SubFactory(AgendaItemFactory)
    kind = Paper.Kind.REPORT
    title = factory.Sequence(lambda n: f"Paper {n}")
    summary = "A summary of the main issues."

    class Params:
        upload = factory.Trait(
            file=factory.LazyFunction(lambda: ContentFile(pdf_bytes(2), name="upload.pdf")),
            original_filename="upload.pdf",
            file_size=1000,
            page_count=2,
        )


class ExecutiveFactory(BoardFactory):
    name = factory.Sequence(lambda n: f"Executive Board {n}")
    slug = factory.Sequence(lambda n: f"executive-{n}")
    kind = Board.Kind.EXECUTIVE


class ExecutiveDecisionFactory(factory.django.DjangoModelFactory):
    """A decision of a member of the executive, not yet published (``publish=True`` publishes it
    through the service, so its call-in window is the council's)."""

    class Meta:
        model = ExecutiveDecision
        skip_postgeneration_save = True

    maker = ExecutiveDecision.Maker.MEMBER
    maker_body = factory.SubFactory(ExecutiveFactory)
    maker_post = factory.SubFactory(PostFactory, title="Executive Member for Resources")
    decided_on = factory.LazyFunction(lambda: timezone.localdate())
    title = factory.Sequence(lambda n: f"Decision {n}: procurement of a new contract")
    decision = "To award the contract."
    reasons = "It offers the best value."
    alternatives = "To extend the current contract: rejected as more expensive."

    @factory.post_generation
    def publish(decision, create, extracted, **kwargs):
        if create and extracted:
            from decisions.services import decision_publish

            at = extracted if isinstance(extracted, datetime.datetime) else None
            decision.refresh_from_db()
            published = decision_publish(decision=decision, by=None, at=at)
            decision.published_at = published.published_at
            decision.call_in_closes_at = published.call_in_closes_at


class ForwardPlanEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForwardPlanEntry

    title = factory.Sequence(lambda n: f"Key decision {n}: the future of the leisure centres")
    decision_maker = factory.SubFactory(ExecutiveFactory)
    decision_due_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=40)
    )
    published_on = factory.LazyFunction(lambda: timezone.localdate())


class CallInFactory(factory.django.DjangoModelFactory):
    """A call-in request, not yet checked."""

    class Meta:
        model = CallIn

    decision = factory.SubFactory(ExecutiveDecisionFactory, publish=True)
    board = factory.SubFactory(BoardFactory)
    requested_at = factory.LazyFunction(timezone.now)
    reasons = "The decision was taken without considering the consultation responses."


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "inquiries.Inquiry"

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Inquiry into topic {n}")
    slug = factory.Sequence(lambda n: f"inquiry-into-topic-{n}")


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.Statement"

    inquiry = factory.SubFactory(InquiryFactory)
    title = factory.LazyAttribute(lambda statement: f"Statement: {statement.inquiry.title}")
    month = datetime.date(2017, 5, 1)


class DesiredOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.DesiredOutcome"

    statement = factory.SubFactory(StatementFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Desired outcome {n}")


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A top-level recommendation; pass ``parent`` and ``position`` (1 is (a)) for a part."""

    class Meta:
        model = "recommendations.Recommendation"

    parent = None
    statement = factory.Maybe(
        "parent",
        yes_declaration=factory.SelfAttribute("parent.statement"),
        no_declaration=factory.SubFactory(StatementFactory),
    )
    number = factory.LazyAttributeSequence(
        lambda recommendation, n: recommendation.parent.number if recommendation.parent else n + 1
    )
    text = factory.Sequence(lambda n: f"That the Director reviews arrangement {n}.")


def audience_clients(*, officer, clerk, councillor, administrator) -> dict:
    """A client for each audience of a board's pages: the public, the board's councillor and
    supporting officer, a councillor and an officer of another board, a clerk, an administrator."""
    from django.test import Client

    from boards.roles import Role

    other_board = BoardFactory()
    other_officer = UserFactory(roles=[Role.OFFICER])
    other_board.support_officer = PersonFactory(officer=True, user=other_officer)
    other_board.save()
    other_councillor = UserFactory(roles=[Role.COUNCILLOR])
    MembershipFactory(board=other_board, person=PersonFactory(user=other_councillor))
    users = {
        "officer": officer,
        "other officer": other_officer,
        "clerk": clerk,
        "administrator": administrator,
        "councillor": councillor,
        "other councillor": other_councillor,
    }
    clients = {"public": Client()}
    for name, user in users.items():
        clients[name] = sign_in(Client(), user)
    return clients


def tracked_recommendations(statement, count: int, *, first_number: int = 1, today=None) -> list:
    """``count`` numbered recommendations on ``statement``, built in bulk: every even-numbered one
    has parts (a) and (b). Each tracked one (a part, or a recommendation without parts) has a
    response, a progress update and a judgement; odd-numbered ones are overdue, even ones due in
    20 days, and every other tracked one has an update newer than its judgement."""
    from recommendations.models import (
        Judgement,
        ProgressUpdate,
        Recommendation,
        Response,
        TrackingCategory,
    )

    today = today or timezone.localdate()
    days = datetime.timedelta
    categories = list(TrackingCategory.objects.filter(ends_monitoring=False))

    def deadline(number: int) -> datetime.date:
        return today + days(days=-20 if number % 2 else 20)

    numbers = range(first_number, first_number + count)
    tops = Recommendation.objects.bulk_create(
        Recommendation(
            statement=statement,
            number=number,
            text=f"That the Director reviews arrangement {number}.",
            deadline_on=deadline(number),
            current_category=None if number % 2 == 0 else categories[number % len(categories)],
        )
        for number in numbers
    )
    parts = Recommendation.objects.bulk_create(
        Recommendation(
            statement=statement,
            parent=top,
            number=top.number,
            position=position,
            text=f"Part {position} of arrangement {top.number}.",
            deadline_on=top.deadline_on,
            current_category=categories[(top.number + position) % len(categories)],
        )
        for top in tops
        if top.number % 2 == 0
        for position in (1, 2)
    )
    tracked = [top for top in tops if top.number % 2] + parts
    Response.objects.bulk_create(
        Response(recommendation=r, decision="agreed", text="Agreed.", responded_on=today)
        for r in tracked
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(recommendation=r, on=today - days(days=5), text=f"Progress on {r.pk}.")
        for r in tracked
    )
    Judgement.objects.bulk_create(
        Judgement(
            recommendation=r,
            category=r.current_category,
            on=today - days(days=10 if index % 2 else 1),
        )
        for index, r in enumerate(tracked)
    )
    return tops
