"""What recommendations announce to the rooms above them (see ``boards.signals``)."""

from django.dispatch import Signal

#: The executive's response, a progress update or the board's judgement was recorded (``record``:
#: a ``Response``, ``ProgressUpdate`` or ``Judgement``; the sender is its model): the
#: recommendation's followers are told.
tracking_recorded = Signal()
