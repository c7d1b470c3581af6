"""The set-up pages: a council's bodies, their standard agendas and memberships, its people,
posts, wards and parties, entered in the app's own pages rather than the admin site.

Who may do what (``boards.access``): clerks set up every body, and only they create or dissolve
one, and keep the wards and parties; a scrutiny officer keeps the details, standard agenda and
memberships of the bodies they support; both keep the council's people and posts. A dissolved
body's set-up is shown read only. Every change is kept in the records' history, shown on each
history page. Forms post and redirect; a refused form comes back with its messages (422).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from boards import formatting, history, services, setup
from boards.access import (
    Ability,
    ability_required,
    can_edit,
    get_editable,
    get_responsible,
    has_ability,
    responsible_boards,
)
from boards.models import (
    AgendaItem,
    AgendaTemplateItem,
    Board,
    Membership,
    NamedSubstitute,
    Party,
    Person,
    Post,
    PostHolding,
    Ward,
)
from boards.setup_forms import (
    BodyForm,
    DissolveForm,
    EndForm,
    MembershipForm,
    NamedSubstituteForm,
    PartyForm,
    PeopleFilterForm,
    PersonForm,
    PostForm,
    PostHoldingForm,
    StandardLineForm,
    WardForm,
)
from boards.views.common import STATUS_INVALID, HtmxHttpRequest, apply_error

PEOPLE_PER_PAGE = 50
KIND_LABELS = dict(AgendaItem.Kind.choices)
# What adding each kind of person is called.
ADD_PERSON = {
    Person.Kind.COUNCILLOR: "Add a councillor",
    Person.Kind.OFFICER: "Add an officer",
    Person.Kind.COOPTED: "Add a co-opted member",
    Person.Kind.WITNESS: "Add a witness",
}
# The form page shared by the small records of set-up (a membership, a naming, a line of the
# standard agenda, a post held, a ward, a party), as ``meeting_change.html`` is the meetings'.
RECORD_FORM = "boards/setup_record_form.html"


def _posted(request: HtmxHttpRequest):
    """The posted data, even when empty (an empty form is still a form sent, and refused)."""
    return request.POST if request.method == "POST" else None


def _status(*forms: Any) -> int:
    return STATUS_INVALID if any(form.errors for form in forms) else 200


def _record_form(request: HtmxHttpRequest, form, **context: Any) -> HttpResponse:
    """The shared form page: ``title``, ``back`` (url, text), ``button``, ``intro``."""
    return render(request, RECORD_FORM, {"form": form, **context}, status=_status(form))


def _body_url(board: Board, anchor: str = "") -> str:
    url = reverse("boards:setup-body", kwargs={"slug": board.slug})
    return f"{url}#{anchor}" if anchor else url


def _editable_body(request: HtmxHttpRequest, slug: str) -> Board:
    return get_editable(request.user, Board.objects.all(), None, slug=slug)


# The set-up home page and the bodies -------------------------------------------------------------


@require_GET
@ability_required(Ability.SET_UP_PEOPLE)
def setup_home(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "boards/setup_home.html",
        {"sets_up_bodies": has_ability(request.user, Ability.SET_UP_BODIES)},
    )


@require_GET
@ability_required(Ability.SET_UP_PEOPLE)
def body_list(request: HtmxHttpRequest) -> HttpResponse:
    """The bodies whose set-up is the user's (a clerk's every body), current and dissolved."""
    today = timezone.localdate()
    current_members = Q(memberships__starts_on__lte=today) & (
        Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=today)
    )
    bodies = list(
        responsible_boards(Board.objects.all(), request.user)
        .select_related("support_officer", "successor")
        .annotate(member_count=Count("memberships", filter=current_members))
        .order_by("name")
    )
    return render(
        request,
        "boards/setup_body_list.html",
        {
            "current": [body for body in bodies if not body.is_dissolved],
            "dissolved": [body for body in bodies if body.is_dissolved],
            "sets_up_bodies": has_ability(request.user, Ability.SET_UP_BODIES),
        },
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_BODIES)
def body_create(request: HtmxHttpRequest) -> HttpResponse:
    form = BodyForm(_posted(request), initial={"kind": Board.Kind.SCRUTINY})
    if request.method == "POST" and form.is_valid():
        try:
            board = setup.body_create(board=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"{board.name} has been set up, with the standard agenda of a "
                f"{board.get_kind_display().lower()}. Add its members next.",
            )
            return redirect(_body_url(board))
    return render(
        request, "boards/setup_body_form.html", {"form": form, "board": None}, status=_status(form)
    )


@require_GET
@login_required
def body_setup(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """A body's set-up: its details, standard agenda, members and named substitutes; read only
    once it is dissolved, saying why."""
    board = get_responsible(
        request.user, Board.objects.select_related("successor", "head_of_scrutiny"), None, slug=slug
    )
    return render(request, "boards/setup_body.html", _body_context(request, board))


def _body_context(request: HtmxHttpRequest, board: Board, **overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    memberships = list(
        board.memberships.select_related("person__ward", "person__party").order_by(
            "-starts_on", "person__family_name"
        )
    )
    substitutes = list(
        board.named_substitutes.select_related("person__ward", "for_member").order_by(
            "-starts_on", "person__family_name"
        )
    )
    lines = services.standard_agenda(board)
    return {
        "board": board,
        "can_edit": can_edit(request.user, board),
        "sets_up_bodies": has_ability(request.user, Ability.SET_UP_BODIES),
        "lines": [
            (position, line, KIND_LABELS.get(line.kind, line.kind))
            for position, line in enumerate(lines, start=1)
        ],
        "line_form": StandardLineForm(prefix="line"),
        "current_members": [m for m in memberships if _current(m, today)],
        "future_members": [m for m in memberships if m.starts_on > today],
        "past_members": [m for m in memberships if m.ends_on and m.ends_on < today],
        # Those named now first, then those named from a later date or in the past.
        "substitutes": sorted(substitutes, key=lambda s: not _current(s, today)),
        "predecessors": list(board.predecessors.only("name", "slug", "ends_on")),
        **overrides,
    }


def _current(record: Membership | NamedSubstitute, today) -> bool:
    return record.starts_on <= today and (record.ends_on is None or record.ends_on >= today)


@require_http_methods(["GET", "POST"])
@login_required
def body_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = _editable_body(request, slug)
    form = BodyForm(
        _posted(request),
        instance=board,
        limited=not has_ability(request.user, Ability.SET_UP_BODIES),
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.body_update(board=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The details of {board.name} have been saved.")
            return redirect(_body_url(board))
    return render(
        request, "boards/setup_body_form.html", {"form": form, "board": board}, status=_status(form)
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_BODIES)
def body_dissolve(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = _editable_body(request, slug)
    form = DissolveForm(_posted(request), board=board)
    if request.method == "POST" and form.is_valid():
        try:
            setup.body_dissolve(
                board=board,
                ends_on=form.cleaned_data["ends_on"],
                successor=form.cleaned_data["successor"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"{board.name} is dissolved after its last day; its record is kept as it was.",
            )
            return redirect(_body_url(board))
    return render(
        request,
        "boards/setup_body_dissolve.html",
        {"form": form, "board": board},
        status=_status(form),
    )


@require_GET
@login_required
def body_history(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = get_responsible(request.user, Board.objects.all(), None, slug=slug)
    changes = history.changes(
        board.history.all(),
        Membership.history.filter(board_id=board.pk),
        NamedSubstitute.history.filter(board_id=board.pk),
        AgendaTemplateItem.history.filter(board_id=board.pk),
    )
    return render(
        request,
        "boards/setup_history.html",
        {
            "title": board.name,
            "back": (_body_url(board), f"Set-up of {board.name}"),
            "changes": changes,
            "about": "its details, its standard agenda, its members and its named substitutes",
        },
    )


# A body's standard agenda ------------------------------------------------------------------------


@require_POST
@login_required
def standard_line_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = _editable_body(request, slug)
    form = StandardLineForm(request.POST, prefix="line")
    if form.is_valid():
        try:
            position = setup.standard_line_add(board=board, **form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Line {position} added to the standard agenda.")
            return redirect(_body_url(board, f"line-{position}"))
    context = _body_context(request, board, line_form=form)
    return render(request, "boards/setup_body.html", context, status=STATUS_INVALID)


@require_http_methods(["GET", "POST"])
@login_required
def standard_line_edit(request: HtmxHttpRequest, slug: str, position: int) -> HttpResponse:
    board = _editable_body(request, slug)
    lines = services.standard_agenda(board)
    if not 1 <= position <= len(lines):
        raise Http404("No such line of the standard agenda.")
    line = lines[position - 1]
    form = StandardLineForm(
        _posted(request),
        initial={"kind": line.kind, "title": line.title, "purpose": line.purpose},
    )
    if request.method == "POST" and form.is_valid():
        try:
            setup.standard_line_update(board=board, position=position, **form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Line {position} of the standard agenda saved.")
            return redirect(_body_url(board, f"line-{position}"))
    return _record_form(
        request,
        form,
        title=f"Line {position} of the standard agenda",
        caption=board.name,
        back=(_body_url(board, "standard-agenda"), f"Set-up of {board.name}"),
        button="Save the line",
        intro="New meetings' agendas start with these lines; meetings already created keep theirs.",
    )


@require_POST
@login_required
def standard_line_move(request: HtmxHttpRequest, slug: str, position: int) -> HttpResponse:
    board = _editable_body(request, slug)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        return HttpResponse("Choose up or down.", status=400)
    try:
        now = setup.standard_line_move(
            board=board, position=position, by=-1 if direction == "up" else 1
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_body_url(board, "standard-agenda"))
    messages.success(request, f"The line is now line {now} of the standard agenda.")
    return redirect(_body_url(board, f"line-{now}"))


@require_POST
@login_required
def standard_line_remove(request: HtmxHttpRequest, slug: str, position: int) -> HttpResponse:
    board = _editable_body(request, slug)
    try:
        line = setup.standard_line_remove(board=board, position=position)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"“{line.title}” left out of the standard agenda.")
    return redirect(_body_url(board, "standard-agenda"))


# Memberships and named substitutes ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def membership_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = _editable_body(request, slug)
    form = MembershipForm(
        _posted(request),
        initial={"role": Membership.Role.MEMBER, "starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = setup.membership_add(
                board=board,
                person=data["person"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(
                request,
                f"{membership.person} added to {board.name} as "
                f"{membership.get_role_display().lower()}.",
            )
            return redirect(_body_url(board, "members"))
    return _record_form(
        request,
        form,
        title="Add a member",
        caption=board.name,
        back=(_body_url(board, "members"), f"Set-up of {board.name}"),
        button="Add the member",
        intro="A councillor, or someone co-opted from outside the council. To change someone's "
        "role from a date, end their membership the day before and add the new one.",
    )


def _membership(request: HtmxHttpRequest, pk: int) -> Membership:
    return get_editable(
        request.user, Membership.objects.select_related("person", "board"), "board", pk=pk
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    board = membership.board
    form = MembershipForm(_posted(request), instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            setup.membership_update(membership=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The membership of {membership.person} has been saved.")
            return redirect(_body_url(board, "members"))
    return _record_form(
        request,
        form,
        title=f"Membership of {membership.person}",
        caption=board.name,
        back=(_body_url(board, "members"), f"Set-up of {board.name}"),
        button="Save the membership",
        intro="Correct the role or dates as they were. The history keeps what they were before.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def membership_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    board = membership.board
    form = EndForm(_posted(request), initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            setup.membership_end(membership=membership, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The membership of {membership.person} has been ended.")
            return redirect(_body_url(board, "members"))
    return _record_form(
        request,
        form,
        title=f"End the membership of {membership.person}",
        caption=board.name,
        back=(_body_url(board, "members"), f"Set-up of {board.name}"),
        button="End the membership",
        intro=f"{membership.get_role_display()} since "
        f"{formatting.short_date(membership.starts_on)}. The membership stays in the body's "
        "record.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def substitute_add(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    board = _editable_body(request, slug)
    form = NamedSubstituteForm(
        _posted(request), board=board, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            named = setup.substitute_name(
                board=board,
                person=data["person"],
                for_member=data["for_member"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{named.person} named as a substitute.")
            return redirect(_body_url(board, "substitutes"))
    return _record_form(
        request,
        form,
        title="Name a substitute",
        caption=board.name,
        back=(_body_url(board, "substitutes"), f"Set-up of {board.name}"),
        button="Name the substitute",
        intro="A councillor who may stand in for a member who sends apologies. The minutes "
        "console offers the named substitutes first.",
    )


@require_http_methods(["GET", "POST"])
@login_required
def substitute_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    named = get_editable(
        request.user, NamedSubstitute.objects.select_related("person", "board"), "board", pk=pk
    )
    board = named.board
    form = EndForm(_posted(request), what="naming", initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            setup.substitute_end(named=named, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{named.person} is no longer a named substitute.")
            return redirect(_body_url(board, "substitutes"))
    return _record_form(
        request,
        form,
        title=f"End the naming of {named.person}",
        caption=board.name,
        back=(_body_url(board, "substitutes"), f"Set-up of {board.name}"),
        button="End the naming",
    )


# People ------------------------------------------------------------------------------------------


@require_GET
@ability_required(Ability.SET_UP_PEOPLE)
def person_list(request: HtmxHttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    people = Person.objects.select_related("ward", "party")
    if form.is_valid():
        if words := form.cleaned_data["q"]:
            people = people.search(words)
        if kind := form.cleaned_data["kind"]:
            people = people.filter(kind=kind)
    with_posts = people.order_by("family_name", "given_name", "pk").prefetch_related(
        Prefetch(
            "post_holdings",
            queryset=PostHolding.objects.current(timezone.localdate()).select_related("post"),
            to_attr="current_posts",
        )
    )
    page = Paginator(with_posts, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "boards/setup_people.html",
        {"form": form, "page": page, "query": query.urlencode(), "adding": ADD_PERSON.items()},
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_PEOPLE)
def person_create(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    if kind not in Person.Kind.values:
        raise Http404("No such kind of person.")
    return _person_form(request, Person(kind=kind))


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_PEOPLE)
def person_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("ward", "party"), pk=pk)
    return _person_form(request, person)


def _person_form(request: HtmxHttpRequest, person: Person) -> HttpResponse:
    creating = person.pk is None
    form = PersonForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        instance=person,
        kind=person.kind,
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = setup.person_save(
                person=form.save(commit=False),
                photo=form.cleaned_data.get("photo") or None,
                remove_photo=form.cleaned_data.get("remove_photo", False),
            )
        except ValidationError as error:
            apply_error(form, error)
        else:
            verb = "added" if creating else "saved"
            messages.success(request, f"{person} {verb}.")
            return redirect("boards:setup-person", pk=person.pk)
    memberships = posts = []
    if not creating:
        memberships = list(person.memberships.select_related("board").order_by("-starts_on"))
        posts = list(person.post_holdings.select_related("post").order_by("-starts_on"))
    return render(
        request,
        "boards/setup_person_form.html",
        {
            "form": form,
            "person": person,
            "creating": creating,
            "kind_label": Person.Kind(person.kind).label,
            "adding": ADD_PERSON[Person.Kind(person.kind)],
            "memberships": memberships,
            "posts": posts,
        },
        status=_status(form),
    )


@require_GET
@ability_required(Ability.SET_UP_PEOPLE)
def person_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    changes = history.changes(person.history.all(), PostHolding.history.filter(person_id=person.pk))
    return render(
        request,
        "boards/setup_history.html",
        {
            "title": str(person),
            "back": (reverse("boards:setup-person", kwargs={"pk": person.pk}), str(person)),
            "changes": changes,
            "about": "their details and the posts they held",
        },
    )


@require_GET
def person_photo(request: HtmxHttpRequest, pk: int) -> FileResponse:
    """A councillor's or co-opted member's photo, which anyone may see (they are the members of
    the council's bodies, whose pages name them); no one else's is kept."""
    person = get_object_or_404(Person, pk=pk, kind__in=setup.PHOTO_KINDS)
    if not person.photo:
        raise Http404("No photo.")
    return FileResponse(person.photo.open("rb"), content_type="image/jpeg")


# Posts -------------------------------------------------------------------------------------------


@require_GET
@ability_required(Ability.SET_UP_PEOPLE)
def post_list(request: HtmxHttpRequest) -> HttpResponse:
    posts = Post.objects.prefetch_related(
        Prefetch(
            "holdings",
            queryset=PostHolding.objects.current(timezone.localdate()).select_related("person"),
            to_attr="current_holdings",
        )
    ).order_by("title")
    return render(request, "boards/setup_posts.html", {"posts": posts, "form": PostForm()})


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_PEOPLE)
def post_create(request: HtmxHttpRequest) -> HttpResponse:
    form = PostForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            post = setup.post_save(post=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"Post “{post.title}” added. Record who holds it next.")
            return redirect("boards:setup-post", pk=post.pk)
    return _record_form(
        request,
        form,
        title="Add a post",
        back=(reverse("boards:setup-posts"), "Posts"),
        button="Add the post",
        intro="Reports and recommendations name posts, not people: a post outlives whoever "
        "holds it.",
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_PEOPLE)
def post_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    form = PostForm(_posted(request), instance=post)
    if request.method == "POST" and form.is_valid():
        try:
            setup.post_save(post=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, "The post has been saved.")
            return redirect("boards:setup-post", pk=post.pk)
    holdings = post.holdings.select_related("person").order_by("-starts_on")
    return render(
        request,
        "boards/setup_post.html",
        {"post": post, "form": form, "holdings": holdings, "today": timezone.localdate()},
        status=_status(form),
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_PEOPLE)
def holding_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    return _holding_form(request, PostHolding(post=post))


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_PEOPLE)
def holding_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    holding = get_object_or_404(PostHolding.objects.select_related("post", "person"), pk=pk)
    return _holding_form(request, holding)


def _holding_form(request: HtmxHttpRequest, holding: PostHolding) -> HttpResponse:
    post = holding.post
    creating = holding.pk is None
    form = PostHoldingForm(
        _posted(request),
        instance=holding,
        initial={"starts_on": timezone.localdate()} if creating else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            holding = setup.post_holding_save(holding=form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{holding.person}, {post.title}: saved.")
            return redirect("boards:setup-post", pk=post.pk)
    return _record_form(
        request,
        form,
        title="Record who holds the post" if creating else f"{holding.person} in the post",
        caption=post.title,
        back=(reverse("boards:setup-post", kwargs={"pk": post.pk}), post.title),
        button="Save",
        intro="" if creating else "Give their last day in the post when they leave it.",
    )


@require_GET
@ability_required(Ability.SET_UP_PEOPLE)
def post_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    changes = history.changes(post.history.all(), PostHolding.history.filter(post_id=post.pk))
    return render(
        request,
        "boards/setup_history.html",
        {
            "title": post.title,
            "back": (reverse("boards:setup-post", kwargs={"pk": post.pk}), post.title),
            "changes": changes,
            "about": "its title and who held it",
        },
    )


# Wards and parties -------------------------------------------------------------------------------


@require_GET
@ability_required(Ability.SET_UP_BODIES)
def wards_and_parties(request: HtmxHttpRequest) -> HttpResponse:
    return _wards_and_parties(request)


def _wards_and_parties(
    request: HtmxHttpRequest,
    ward_form: WardForm | None = None,
    party_form: PartyForm | None = None,
) -> HttpResponse:
    wards = Ward.objects.annotate(
        councillor_count=Count("councillors", filter=Q(councillors__kind=Person.Kind.COUNCILLOR))
    ).order_by("name")
    parties = Party.objects.annotate(councillor_count=Count("councillors")).order_by("name")
    ward_form = ward_form or WardForm(prefix="ward")
    party_form = party_form or PartyForm(prefix="party")
    return render(
        request,
        "boards/setup_wards_and_parties.html",
        {
            "wards": wards,
            "parties": parties,
            "ward_form": ward_form,
            "party_form": party_form,
            "changes": history.changes(Ward.history.all(), Party.history.all())[:50],
        },
        status=_status(ward_form, party_form),
    )


def _list_entry_add(request: HtmxHttpRequest, form, save, noun: str, form_name: str):
    """Add a ward or a party from its form on the wards and parties page."""
    if form.is_valid():
        try:
            record = save(form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"{noun} “{record.name}” added.")
            return redirect("boards:setup-wards-and-parties")
    return _wards_and_parties(request, **{form_name: form})


def _list_entry_edit(request: HtmxHttpRequest, form, save, noun: str, **page) -> HttpResponse:
    """Rename a ward or a party on a page of its own."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.save(commit=False))
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, f"The {noun} has been saved.")
            return redirect("boards:setup-wards-and-parties")
    return _record_form(
        request,
        form,
        title=f"{noun.capitalize()}: {form.instance.name}",
        back=(reverse("boards:setup-wards-and-parties"), "Wards and parties"),
        button=f"Save the {noun}",
        **page,
    )


@require_POST
@ability_required(Ability.SET_UP_BODIES)
def ward_create(request: HtmxHttpRequest) -> HttpResponse:
    form = WardForm(request.POST, prefix="ward")
    return _list_entry_add(
        request, form, lambda ward: setup.ward_save(ward=ward), "Ward", "ward_form"
    )


@require_POST
@ability_required(Ability.SET_UP_BODIES)
def party_create(request: HtmxHttpRequest) -> HttpResponse:
    form = PartyForm(request.POST, prefix="party")
    return _list_entry_add(
        request, form, lambda party: setup.party_save(party=party), "Party", "party_form"
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_BODIES)
def ward_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = WardForm(_posted(request), instance=get_object_or_404(Ward, pk=pk))
    return _list_entry_edit(
        request,
        form,
        lambda ward: setup.ward_save(ward=ward),
        "ward",
        intro="A new name shows wherever the ward is named, agendas already published included.",
    )


@require_http_methods(["GET", "POST"])
@ability_required(Ability.SET_UP_BODIES)
def party_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = PartyForm(_posted(request), instance=get_object_or_404(Party, pk=pk))
    return _list_entry_edit(request, form, lambda party: setup.party_save(party=party), "party")
