from boards.models.meetings import (
    AgendaItem,
    AgendaTemplateItem,
    Meeting,
    MunicipalYear,
    Publication,
    Subject,
    Venue,
)
from boards.models.papers import Paper, ReportSection
from boards.models.people import (
    Board,
    Council,
    Membership,
    NamedSubstitute,
    Party,
    Person,
    Post,
    PostHolding,
    TimeStampedModel,
    Ward,
)

__all__ = [
    "AgendaItem",
    "AgendaTemplateItem",
    "Board",
    "Council",
    "Meeting",
    "Membership",
    "MunicipalYear",
    "NamedSubstitute",
    "Paper",
    "Party",
    "Person",
    "Post",
    "PostHolding",
    "Publication",
    "ReportSection",
    "Subject",
    "TimeStampedModel",
    "Venue",
    "Ward",
]
