"""What the record of meetings announces to the rooms above it (see ``boards.signals``)."""

from django.dispatch import Signal

#: A meeting's minutes were approved as a correct record, and so published (``minutes``, the
#: ``MinutesRecord``): the board's followers are told.
minutes_approved = Signal()
