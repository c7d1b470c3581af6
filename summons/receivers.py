"""The summons' receiver of the domain's signal (connected in ``summons.apps``)."""

from __future__ import annotations

from boards.models import Publication
from summons import services


def publication_published(sender, *, publication: Publication, **kwargs) -> None:
    """An agenda or a supplement was published: put everyone on the meeting's list on its
    dispatch list, in the same transaction, and queue their e-mails for when it commits. A
    publication recorded afterwards, or one for a meeting already begun, summons nobody."""
    services.summons_prepare(publication=publication)
