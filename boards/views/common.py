"""What the officers' views share: finding a record they may edit, and showing a refusal."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from boards.access import get_editable
from boards.models import Meeting


class HtmxHttpRequest(HttpRequest):
    """A request as django-htmx's middleware leaves it: ``request.htmx`` says whether htmx
    sent it, and what it targets."""

    htmx: HtmxDetails


# A form sent back with its errors (htmx swaps it: see the htmx config in base.html).
STATUS_INVALID = 422


def editable_meeting(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if the user may edit its board (404 if there is none, else 403)."""
    meetings = Meeting.objects.select_related("venue", "municipal_year")
    return get_editable(request.user, meetings, "board", pk=pk)


def apply_error(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field if it names one, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
