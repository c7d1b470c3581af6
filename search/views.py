"""The search page: everyone's, through the visibility rule."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from boards.visibility import Audience
from search import index as search
from search.forms import SearchForm
from search.models import SearchEntry

RESULTS_PER_PAGE = 20


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    results: Page[SearchEntry] | None = None
    query = None
    counted = ""
    more = False
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        query = search.Query(
            text=data["q"],
            board=data["board"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            kinds=tuple(data["kind"]),
        )
        audience = Audience.of(request.user)
        found = search.search(audience, query)
        results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results.object_list = list(results.object_list)
        search.add_snippets(results.object_list, query)
        search.add_subjects(results.object_list, audience)
        # Counted no further than the candidates: "More than 1,000".
        more = found.more
        counted = f"{results.paginator.count:,}"
    # A mistyped filter is explained on the page with a 200: the page itself is what was asked
    # for (a GET), and browsers report a 4xx to a page as an error of their own.
    return render(
        request,
        "search/search.html",
        {"form": form, "results": results, "query": query, "counted": counted, "more": more},
    )
