"""What the domain announces to the rooms above it.

A lower app never imports a higher one (docs/architecture.md). When something happens that a
higher app must act on (search refreshes its index, follow sends e-mails, packs are queued), the
service that did it sends one of these signals, explicitly, inside its transaction; the higher
app connects its receivers in its ``AppConfig.ready()``. The domain does not know who listens.

Each app defines the signals it sends: these are the ones every domain app shares, and those of
the meeting's agenda. The record of meetings, inquiries and recommendations add their own in
their ``signals.py``.
"""

from __future__ import annotations

from django.db.models import Model
from django.dispatch import Signal

#: Records whose text, title, date or visibility changed (``records``: one or more, of any
#: model). Search refreshes their entries, in the same transaction.
records_changed = Signal()

#: Records about to be deleted (``records``). Search forgets them.
records_removed = Signal()

#: A meeting moved to another date (``meeting``): what is dated by it is dated again.
meeting_moved = Signal()

#: An agenda or a supplement was published (``publication``): its followers are told, and its
#: agenda packs are made ready. Sent too for a publication recorded afterwards
#: (``publication.is_recorded_afterwards``: a meeting held before the council used the app),
#: which is not news: listeners that tell people leave it out.
agenda_published = Signal()

#: Asked when a signed-in user's audience is worked out (``user``): each receiver returns the ids
#: of meetings whose exempt papers the user may read although they do not sit on the board (the
#: record of meetings answers with the meetings the user is recorded as substituting at).
meeting_access = Signal()

#: Asked when the subjects an audience other than staff may see are worked out: each receiver
#: returns a query set of the ids of subjects that are public although no item on them is
#: published yet (inquiries answer with theirs: an inquiry is public from the day it is proposed).
public_subjects = Signal()


def changed(*records: Model) -> None:
    """Announce that ``records`` changed (their text, date or who may see them)."""
    if records:
        records_changed.send(sender=type(records[0]), records=records)


def removed(*records: Model) -> None:
    """Announce that ``records`` are about to be deleted."""
    if records:
        records_removed.send(sender=type(records[0]), records=records)
