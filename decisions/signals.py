"""What executive decisions announce to the rooms above them (see ``boards.signals``)."""

from django.dispatch import Signal

#: A decision notice was published (``decision``): followers of the executive and of the
#: relevant scrutiny boards are told that the call-in window is open.
decision_published = Signal()

#: A call-in moved on a step (``call_in``, and ``step``: a short name such as "requested",
#: "checked", "scheduled", "outcome", "council", "concluded", "withdrawn"): the signatories and
#: the followers of the scrutiny board and the decision are told.
call_in_changed = Signal()
