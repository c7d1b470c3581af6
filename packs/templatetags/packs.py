"""The agenda pack panel pages of other rooms show: ``{% load packs %}`` then
``{% pack_panel meeting %}`` (the meeting page) or ``{% pack_panel meeting show_build=True %}``
(the clerk's agenda page, with Rebuild). It lists the editions the visitor may have, with what
is known of their last build, in one query."""

from __future__ import annotations

from django import template
from django.urls import reverse

from boards.models import Meeting
from boards.visibility import Audience
from packs import services as packs
from packs.models import AgendaPack

register = template.Library()


@register.inclusion_tag("includes/pack_panel.html", takes_context=True)
def pack_panel(context, meeting: Meeting, show_build: bool = False) -> dict:
    audience = Audience.of(context["request"].user)
    return {
        "agenda_packs": packs_for(meeting, audience),
        "show_build": show_build,
        # Those who build the pack are told what it leaves out until it is converted.
        "awaiting_conversion": (
            packs.awaiting_conversion(meeting, AgendaPack.Edition.MEMBERS) if show_build else []
        ),
        "csrf_token": context.get("csrf_token"),
    }


def packs_for(meeting: Meeting, audience: Audience) -> list[dict]:
    """The editions the audience may have, with what is known of their last build, for the
    meeting page and the clerk's agenda page."""
    built = {pack.edition: pack for pack in AgendaPack.objects.filter(meeting=meeting)}
    return [
        {
            "edition": edition,
            "label": label,
            "pack": built.get(edition),
            "download_url": reverse(
                "packs:pack-download", kwargs={"pk": meeting.pk, "edition": edition}
            ),
            "status_url": reverse(
                "packs:pack-status", kwargs={"pk": meeting.pk, "edition": edition}
            ),
            "build_url": reverse("packs:pack-build", kwargs={"pk": meeting.pk, "edition": edition}),
        }
        for edition, label in AgendaPack.Edition.choices
        if packs.may_download(audience, meeting, edition)
    ]
