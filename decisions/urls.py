from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import path

app_name = "decisions"


# PLACEHOLDER (lead removes at merge): the pages of decisions, call-ins and the forward plan are
# other helpers' work; these names exist only so that search, the API, e-mails and desks can
# link to them (``get_absolute_url``) before the merge. Each answers 403.
def _placeholder(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    return HttpResponseForbidden("Placeholder.")


urlpatterns: list = [
    # Filled by the pages of decisions, the forward plan and call-in.
    # PLACEHOLDER (lead removes at merge) ------------------------------------------------------
    path("decisions/", _placeholder, name="decision-list"),
    path("decisions/<int:pk>/", _placeholder, name="decision-detail"),
    path("decisions/<int:pk>/call-in/", _placeholder, name="call-in-request"),
    path("call-ins/<int:pk>/", _placeholder, name="call-in-detail"),
    path("forward-plan/", _placeholder, name="forward-plan"),
    path("forward-plan/<int:pk>/", _placeholder, name="forward-plan-entry"),
    # END PLACEHOLDER ---------------------------------------------------------------------------
]
