"""What the officers' views share: finding a record they may edit, and showing a refusal."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from boards.access import require_edit
from boards.models import Meeting

# A form sent back with its errors (htmx swaps it: see the htmx config in base.html).
STATUS_INVALID = 422


def editable_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user may edit its board (else 403)."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("board__support_officer", "venue", "municipal_year"), pk=pk
    )
    require_edit(request.user, meeting.board)
    return meeting


def apply_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field if it names one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
