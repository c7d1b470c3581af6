"""Exempt information: Schedule 12A to the Local Government Act 1972, Part 1."""

from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExemptParagraph(models.IntegerChoices):
    INDIVIDUAL = 1, "1 – Information relating to any individual"
    IDENTITY = 2, "2 – Information which is likely to reveal the identity of an individual"
    FINANCIAL = (
        3,
        (
            "3 – Information relating to the financial or business affairs of any particular "
            "person (including the authority holding that information)"
        ),
    )
    LABOUR_RELATIONS = (
        4,
        (
            "4 – Information relating to any consultations or negotiations in connection with any "
            "labour relations matter"
        ),
    )
    LEGAL_PRIVILEGE = (
        5,
        (
            "5 – Information in respect of which a claim to legal professional privilege could be "
            "maintained in legal proceedings"
        ),
    )
    NOTICES = (
        6,
        (
            "6 – Information which reveals that the authority proposes to give a notice, or to "
            "make an order or direction, under any enactment"
        ),
    )
    CRIME = (
        7,
        (
            "7 – Information relating to any action taken or to be taken in connection with the "
            "prevention, investigation or prosecution of crime"
        ),
    )


class ContentVisible(TypedDict):
    """What ``visible_to(audience)`` annotates on each row: whether the audience may read the
    record's content, or only see it listed."""

    content_visible: bool


def exemption_notice(paragraph: int) -> str:
    return (
        f"Not for publication by virtue of paragraph {paragraph} of Part 1 of Schedule 12A "
        "to the Local Government Act 1972"
    )


class Exemptible(models.Model):
    """An agenda item, report or appendix that may be exempt, with its paragraph and reasons."""

    exempt = models.BooleanField(
        default=False, help_text="Contains exempt information: the public sees only its title."
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=ExemptParagraph.choices,
        verbose_name="Schedule 12A paragraph",
    )
    public_interest_reasoning = models.TextField(
        blank=True,
        help_text="Why the public interest in keeping it exempt outweighs disclosing it.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt=False, exempt_paragraph__isnull=True)
                # isnull=False: "NULL >= 1" is unknown, which a CHECK would let through.
                | Q(
                    exempt=True,
                    exempt_paragraph__isnull=False,
                    exempt_paragraph__gte=1,
                    exempt_paragraph__lte=7,
                ),
                name="%(app_label)s_%(class)s_exempt_has_paragraph",
            ),
        ]

    @property
    def exemption_notice(self) -> str:
        # The constraint gives every exempt record its paragraph.
        if self.exempt and self.exempt_paragraph is not None:
            return exemption_notice(self.exempt_paragraph)
        return ""


class Withdrawable(models.Model):
    """Published records are never deleted: they are withdrawn, with who, when and why."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="%(app_label)s_%(class)s_withdrawal_has_reason",
            ),
        ]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
