"""Dates and times as councils write them: "Monday, 21 March 2016 at 10.00 am".

Pages, PDFs, feeds and e-mails all format through these functions.
"""

import datetime

from django.utils import timezone

# English names, whatever the process's locale (a C library may change it under us).
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def long_date(value: datetime.date | datetime.datetime) -> str:
    """Monday, 21 March 2016"""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return f"{DAYS[value.weekday()]}, {value.day} {MONTHS[value.month - 1]} {value.year}"


def short_date(value: datetime.date | datetime.datetime) -> str:
    """21 March 2016"""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def clock(value: datetime.time | datetime.datetime) -> str:
    """10.00 am, 2.30 pm, 12.00 pm (midday)"""
    if isinstance(value, datetime.datetime):
        value = _local(value).time()
    hour = value.hour % 12 or 12
    return f"{hour}.{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def long_datetime(value: datetime.datetime) -> str:
    """Monday, 21 March 2016 at 10.00 am"""
    return f"{long_date(value)} at {clock(value)}"


def month_year(value: datetime.date) -> str:
    """September 2017"""
    return f"{MONTHS[value.month - 1]} {value.year}"
