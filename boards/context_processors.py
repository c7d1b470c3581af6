from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from boards.models import Council


def site(request: HttpRequest) -> dict:
    """The council's details and today's date, for every page."""
    return {"council": SimpleLazyObject(Council.load), "today": timezone.localdate()}
