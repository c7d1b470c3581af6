"""Template filters for council dates and times; built in to every template (see settings)."""

from django import template

from boards import formatting

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
