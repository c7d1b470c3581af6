from boards.models.meetings import (
    AgendaItem,
    AgendaTemplateItem,
    Meeting,
    MunicipalYear,
    Publication,
    Subject,
    Venue,
)
from boards.models.minutes import Attendance, Declaration, Minute, MinutesRecord, Resolution
from boards.models.packs import AgendaPack
from boards.models.papers import Paper, ReportSection
from boards.models.people import (
    Board,
    Council,
    Membership,
    Party,
    Person,
    Post,
    PostHolding,
    TimeStampedModel,
    Ward,
)
from boards.models.search import SearchEntry
from boards.models.subscriptions import Subscription

__all__ = [
    "AgendaPack",
    "AgendaItem",
    "AgendaTemplateItem",
    "Attendance",
    "Declaration",
    "Minute",
    "MinutesRecord",
    "Resolution",
    "Board",
    "Council",
    "Meeting",
    "Membership",
    "MunicipalYear",
    "Paper",
    "Party",
    "Person",
    "Post",
    "PostHolding",
    "Publication",
    "ReportSection",
    "SearchEntry",
    "Subject",
    "Subscription",
    "TimeStampedModel",
    "Venue",
    "Ward",
]
