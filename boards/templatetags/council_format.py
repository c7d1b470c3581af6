"""Template filters for council dates and times; built in to every template (see settings)."""

from django import template

from boards import formatting, publication, text

register = template.Library()


def _filter(function):
    def safe(value):
        return "" if value in (None, "") else function(value)

    safe.__name__ = function.__name__
    return register.filter(safe)


long_date = _filter(formatting.long_date)
short_date = _filter(formatting.short_date)
clock = _filter(formatting.clock)
long_datetime = _filter(formatting.long_datetime)


@register.filter
def non_working_day(value) -> str:
    """Beside a due date an officer set: "This is a Saturday", "This is a bank holiday
    (Christmas Day)"; empty for a working day or no date."""
    return publication.non_working_day_note(value) if value else ""


@register.filter
def markdown(value: str):
    """Officers' Markdown, rendered and sanitised (nh3): safe to show."""
    return text.render_markdown(value or "")


@register.filter
def plain_text(value: str) -> str:
    """Officers' Markdown as plain text, for a line that names something (escaped as usual)."""
    return text.plain_text(value or "")


@register.filter
def filesize(value: int | None) -> str:
    if value is None:
        return ""
    if value < 1024 * 1024:
        return f"{max(1, round(value / 1024))} KB"
    return f"{value / (1024 * 1024):.1f} MB"


@register.filter
def overdue(recommendation, today):
    """Whether a recommendation is past its deadline and still being monitored."""
    return recommendation.is_overdue(today)


@register.filter
def month_year(value):
    return "" if value in (None, "") else formatting.month_year(value)
