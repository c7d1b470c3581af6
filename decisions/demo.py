"""Demo executive decisions, dated from the day the demo is loaded: the Executive Board of the
fictional Aldermoor City Council and its members, a forward plan of key decisions to come (one a
general exception, one to be taken in private), and decisions at each stage of call-in: one open
to call-in now, one that may be implemented, an exempt one (paragraph 3), an urgent one the chair
of scrutiny agreed could not be called in, and one called in, found valid and on the agenda of
the scrutiny board's next meeting. Every name and figure is invented. Loading twice changes
nothing: once the Executive Board has decisions, this part is left as it is."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from boards import services as board_services
from boards.demo import BOARD, MEMBERSHIP_START, upsert
from boards.demo_current import current_meetings
from boards.demo_meetings import LONDON
from boards.models import Board, Membership, Party, Person, Post, PostHolding, Ward
from boards.publication import working_days_after, working_days_before
from decisions import services
from decisions.models import ExecutiveDecision, ForwardPlanEntry

EXECUTIVE = {
    "name": "Executive Board",
    "slug": "executive-board",
    "kind": Board.Kind.EXECUTIVE,
    "remit": "The Leader and the executive members: the council's executive decisions.",
}
# (given, family, ward, party, post, membership role)
EXECUTIVE_MEMBERS = [
    ("Judith", "Blakey", "Hollin Park", "Labour", "Leader of the Council", Membership.Role.CHAIR),
    (
        "Imran",
        "Rafiq",
        "Eastgate",
        "Labour",
        "Executive Member for Resources",
        Membership.Role.MEMBER,
    ),
    (
        "Ellen",
        "Tordoff",
        "Kirkstall Vale",
        "Labour",
        "Executive Member for Communities",
        Membership.Role.MEMBER,
    ),
]


def _first_working_day(day: datetime.date) -> datetime.date:
    """``day``, or the first working day after it."""
    return working_days_after(day - datetime.timedelta(days=1), 1)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@transaction.atomic
def load(today: datetime.date | None = None) -> None:
    executive = upsert(
        Board, {"slug": EXECUTIVE["slug"]}, **{k: v for k, v in EXECUTIVE.items() if k != "slug"}
    )
    if ExecutiveDecision.objects.filter(maker_body=executive).exists():
        return
    today = today or timezone.localdate()
    User = get_user_model()
    clerk = User.objects.get(username="clerk")
    officer = User.objects.get(username="officer")
    posts: dict[str, Post] = {}
    members: dict[str, Person] = {}
    for given, family, ward, party, post_title, role in EXECUTIVE_MEMBERS:
        person = upsert(
            Person,
            {"given_name": given, "family_name": family, "kind": Person.Kind.COUNCILLOR},
            ward=Ward.objects.get_or_create(name=ward)[0],
            party=Party.objects.get(name=party),
            email=f"{given}.{family}@aldermoor.example".lower(),
        )
        upsert(
            Membership,
            {"board": executive, "person": person, "starts_on": MEMBERSHIP_START},
            role=role,
            ends_on=None,
        )
        post = Post.objects.get_or_create(title=post_title)[0]
        upsert(
            PostHolding,
            {"post": post, "person": person, "starts_on": MEMBERSHIP_START},
            ends_on=None,
        )
        posts[post_title] = post
        members[post_title] = person
    finance = Post.objects.get_or_create(title="Chief Officer (Financial Services)")[0]
    scrutiny = Board.objects.get(slug=BOARD["slug"])
    chair = Person.objects.get(given_name="Kathryn", family_name="Greenhalgh")

    _forward_plan(executive, scrutiny, posts, chair, today, clerk)
    resources = posts["Executive Member for Resources"]
    communities = posts["Executive Member for Communities"]

    # Open to call-in now: made two working days ago, published yesterday (or the last working day).
    made = working_days_before(today, 2)
    notice = _notice(
        executive,
        scrutiny,
        "Corporate cleaning services: award of contract",
        due=made,
        published=made - datetime.timedelta(days=45),
        maker_post=resources,
        clerk=clerk,
    )
    cleaning = _decision(
        executive,
        resources,
        members["Executive Member for Resources"],
        made,
        "Corporate cleaning services: award of contract",
        decision="To award the contract for corporate cleaning services for five years from 1 April to the most economically advantageous tender, at an annual cost of £1.84m.",
        reasons="The tender evaluated highest on quality and price, and keeps the Aldermoor Living Wage for every cleaner.",
        alternatives="To extend the current contract for a year: rejected, as it would cost 9% more and the extension options are used up.",
        key_decision=True,
        notice=notice,
        clerk=clerk,
    )
    services.decision_publish(
        decision=cleaning, by=clerk, at=_at(working_days_before(today, 1), 16)
    )

    # Not called in: the window closed weeks ago.
    made = working_days_before(today, 20)
    parking = _decision(
        executive,
        communities,
        members["Executive Member for Communities"],
        made,
        "Residents' parking scheme in Kirkgate and Fellside",
        decision="To introduce a residents' parking scheme in the streets listed in the report, with permits at £30 a year.",
        reasons="The consultation showed 71% of residents in favour, and commuter parking blocks the streets on weekdays.",
        alternatives="To do nothing: rejected, as the problem is growing.",
        clerk=clerk,
        wards=["Kirkgate and Fellside"],
    )
    services.decision_publish(decision=parking, by=clerk, at=_at(working_days_after(made, 1), 15))

    # Exempt: the public sees its title and the paragraph that keeps the rest back.
    made = working_days_before(today, 12)
    land = _decision(
        executive,
        resources,
        members["Executive Member for Resources"],
        made,
        "Disposal of the former Pudley library",
        decision="To sell the former Pudley library to the preferred bidder for £415,000.",
        reasons="The bid is the best consideration reasonably obtainable, and the building costs £38,000 a year to keep empty.",
        alternatives="To lease the building: rejected, as no tenant came forward in two years of marketing.",
        clerk=clerk,
        wards=["Pudley"],
        exempt=True,
        exempt_paragraph=3,
        public_interest_reasoning="Publishing the bids before the sale completes would harm the council's position in the negotiation.",
    )
    services.decision_publish(decision=land, by=clerk, at=_at(working_days_after(made, 1), 11))

    # Urgent: the chair of scrutiny agreed it could not wait for call-in.
    made = working_days_before(today, 6)
    roof = _decision(
        executive,
        finance,
        None,
        made,
        "Emergency repairs to the Civic Hall roof",
        decision="To spend up to £260,000 from the capital contingency on repairs to the Civic Hall roof.",
        reasons="Storm damage lets water into the council chamber; the repairs cannot wait.",
        alternatives="Temporary covering only: rejected, as the insurer requires a permanent repair.",
        maker=ExecutiveDecision.Maker.OFFICER,
        clerk=clerk,
    )
    services.decision_exclude(
        decision=roof,
        exclusion=ExecutiveDecision.Exclusion.URGENCY,
        reason="Any delay would put the council chamber and the building at risk; the repairs must start at once.",
        consent_by=chair,
        consent_on=made,
        by=clerk,
    )
    services.decision_publish(decision=roof, by=clerk, at=_at(made, 17))

    # Called in, found valid, and on the agenda of the scrutiny board's next meeting.
    _called_in(executive, scrutiny, communities, members, chair, today, clerk, officer)


def _decision(
    executive: Board,
    post: Post,
    person: Person | None,
    made: datetime.date,
    title: str,
    *,
    clerk,
    wards: list[str] = (),  # type: ignore[assignment]
    maker: str = ExecutiveDecision.Maker.MEMBER,
    **fields,
) -> ExecutiveDecision:
    return services.decision_create(
        by=clerk,
        wards=[Ward.objects.get(name=name) for name in wards],
        maker=maker,
        maker_body=executive,
        maker_post=post,
        maker_person=person,
        decided_on=made,
        title=title,
        **fields,
    )


def _notice(
    executive: Board,
    scrutiny: Board,
    title: str,
    *,
    due: datetime.date,
    published: datetime.date,
    clerk,
    wards: list[str] = (),  # type: ignore[assignment]
    **fields,
) -> ForwardPlanEntry:
    entry = services.forward_plan_entry_create(
        entry=ForwardPlanEntry(
            title=title,
            decision_maker=executive,
            decision_due_on=due,
            scrutiny_board=scrutiny,
            contact="Harriet Doyle, Senior Governance Officer, 0113 496 0243",
            **fields,
        ),
        wards=[Ward.objects.get(name=name) for name in wards],
        by=clerk,
    )
    return services.forward_plan_entry_publish(entry=entry, on=published, by=clerk)


def _forward_plan(executive, scrutiny, posts, chair, today, clerk) -> None:
    _notice(
        executive,
        scrutiny,
        "Aldermoor Local Plan: publication draft",
        due=_first_working_day(today + datetime.timedelta(days=45)),
        published=today - datetime.timedelta(days=5),
        summary="To approve the publication draft of the Local Plan for consultation.",
        documents="Report of the Chief Planning Officer\nDraft Local Plan",
        clerk=clerk,
    )
    _notice(
        executive,
        scrutiny,
        "Leisure centres: future operating model",
        due=_first_working_day(today + datetime.timedelta(days=33)),
        published=today - datetime.timedelta(days=2),
        maker_post=posts["Executive Member for Communities"],
        private=True,
        private_paragraph=3,
        private_reasons="The report includes the bids of the operators who tendered.",
        documents="Report of the Director of Communities",
        clerk=clerk,
        wards=["Moortop", "Pudley"],
    )
    informed = working_days_before(today, 1)
    _notice(
        executive,
        scrutiny,
        "Highways maintenance contract: six-month extension",
        due=working_days_after(informed, 7),
        published=informed,
        notice=ForwardPlanEntry.Notice.GENERAL_EXCEPTION,
        chair_informed_on=informed,
        urgency_reasons="The tenders for the new contract came back over budget and must be sought again; the current contract ends before 28 clear days' notice could be given.",
        maker_post=posts["Executive Member for Resources"],
        summary="The current contract ends before the new one can be let: to extend it for six months.",
        clerk=clerk,
    )


def _called_in(executive, scrutiny, communities, members, chair, today, clerk, officer) -> None:
    next_meeting = current_meetings(scrutiny).filter(starts_at__date__gt=today).first()
    if next_meeting is None:
        return
    made = working_days_before(today, 8)
    published = working_days_after(made, 1)
    closure = _decision(
        executive,
        communities,
        members["Executive Member for Communities"],
        made,
        "Closure of the Moortop customer service point",
        decision="To close the Moortop customer service point from 1 April and move its services to the Community Hub at Farley.",
        reasons="Visits have fallen by 60% in three years; the hub offers the same services five days a week.",
        alternatives="Opening two days a week: rejected, as the saving would be too small.",
        clerk=clerk,
        wards=["Moortop"],
    )
    services.decision_publish(decision=closure, by=clerk, at=_at(published, 16))
    signatories = [
        chair,
        Person.objects.get(given_name="Ruth", family_name="Woodhouse"),
        Person.objects.get(given_name="Aaron", family_name="Sowerby"),
    ]
    call_in = services.call_in_request(
        decision=closure,
        board=scrutiny,
        signatories=signatories,
        reasons="The decision does not consider how older residents of Moortop, many without a car, will reach Farley, and the equality impact assessment was not published with the report.",
        by=None,
        at=_at(working_days_after(published, 2), 11),
    )
    services.call_in_check(
        call_in=call_in,
        valid=True,
        reasons="Made in time by the chair and two members of the Scrutiny Board (Strategy and Resources); the decision was not urgent and is not excluded.",
        on=working_days_after(published, 3),
        by=officer,
    )
    call_in.refresh_from_db()
    late = (
        ""
        if next_meeting.date <= call_in.meeting_due_on
        else "The board's next meeting was already fixed."
    )
    services.call_in_schedule(call_in=call_in, meeting=next_meeting, by=officer, late_reason=late)
    # The item went out with a supplement to the agenda already published.
    board_services.agenda_publish(
        meeting=next_meeting,
        by=clerk,
        late_reason="The call-in was received after the agenda was published.",
    )
