"""What inquiries announce to the rooms above them (see ``boards.signals``)."""

from django.dispatch import Signal

#: An inquiry moved to another stage (``change``, the ``StageChange``): its followers are told.
stage_changed = Signal()
