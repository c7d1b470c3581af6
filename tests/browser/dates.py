"""Typing a date into the Day, Month and Year boxes of a date field, found by its legend."""

import datetime


def fill_date(scope, legend: str, day: datetime.date) -> None:
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))


def fill_month(scope, legend: str, year: int, month: int) -> None:
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Month", exact=True).fill(str(month))
    group.get_by_label("Year", exact=True).fill(str(year))
