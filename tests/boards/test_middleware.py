"""Control characters never reach a form or a view: the request's data without them."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.test import RequestFactory

from boards.middleware import ControlCharactersMiddleware


def seen_by_the_view(request: HttpRequest) -> HttpRequest:
    """The request as the view gets it after the middleware."""
    seen = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse()

    ControlCharactersMiddleware(view)(request)
    return seen[0]


def test_posted_text_loses_its_control_characters():
    request = RequestFactory().post(
        "/minutes/1/save/",
        {"narrative": "Budget\x00 report\x07\r\nsecond\x0bline\x1f", "version": "3"},
    )
    data = seen_by_the_view(request).POST
    assert data["narrative"] == "Budget report\r\nsecond\nline"
    assert data["version"] == "3"


def test_every_value_and_name_is_cleaned_and_the_data_stays_read_only():
    request = RequestFactory().post(
        "/", {"wards\x00": ["North\x00", "South\x01"], "title": "\x00Plain"}
    )
    data = seen_by_the_view(request).POST
    assert isinstance(data, QueryDict)
    assert data.getlist("wards") == ["North", "South"]
    assert data["title"] == "Plain"
    assert not data._mutable


def test_a_query_string_loses_its_control_characters():
    request = RequestFactory().get("/search/", {"q": "bus\x00 lanes\x1b", "page": "2"})
    data = seen_by_the_view(request).GET
    assert data["q"] == "bus lanes"
    assert data["page"] == "2"


def test_clean_data_is_passed_on_untouched():
    request = RequestFactory().post("/", {"narrative": "Tabs\tand\r\nnew lines – “quoted”"})
    original = request.POST
    assert seen_by_the_view(request).POST is original


def test_an_upload_keeps_its_file_as_it_is_and_loses_control_characters_in_its_fields():
    pdf = b"%PDF-1.4\n\x00\x01\x02 binary\n%%EOF"
    request = RequestFactory().post(
        "/",
        {
            "title": "Appendix\x00 A",
            "file": SimpleUploadedFile("appendix.pdf", pdf, "application/pdf"),
        },
    )
    seen = seen_by_the_view(request)
    assert seen.POST["title"] == "Appendix A"
    assert seen.FILES["file"].read() == pdf


def test_the_project_uses_it_before_any_middleware_that_reads_the_request_data(settings):
    order = settings.MIDDLEWARE
    ours = order.index("boards.middleware.ControlCharactersMiddleware")
    assert ours < order.index("django.middleware.csrf.CsrfViewMiddleware")
    assert ours < order.index("axes.middleware.AxesMiddleware")
