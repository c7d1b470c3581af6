import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from boards.formatting import clock, long_date, long_datetime, short_date

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_meeting_date_and_time_as_councils_write_them():
    start = datetime.datetime(2016, 3, 21, 10, 0, tzinfo=LONDON)
    assert long_datetime(start) == "Monday, 21 March 2016 at 10.00 am"


@pytest.mark.parametrize(
    ("time", "written"),
    [
        (datetime.time(9, 30), "9.30 am"),
        (datetime.time(12, 0), "12.00 pm"),
        (datetime.time(0, 5), "12.05 am"),
        (datetime.time(13, 45), "1.45 pm"),
        (datetime.time(23, 59), "11.59 pm"),
    ],
)
def test_clock_times(time, written):
    assert clock(time) == written


def test_times_are_shown_in_london_time_summer_and_winter():
    summer_utc = datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC)
    winter_utc = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)
    assert clock(summer_utc) == "10.00 am"
    assert clock(winter_utc) == "9.00 am"
    late_utc = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    assert long_date(late_utc) == "Wednesday, 1 July 2026"


def test_short_and_long_dates():
    day = datetime.date(2017, 5, 1)
    assert short_date(day) == "1 May 2017"
    assert long_date(day) == "Monday, 1 May 2017"


def test_filters_are_available_in_every_template():
    start = datetime.datetime(2016, 3, 21, 10, 0, tzinfo=LONDON)
    rendered = Template("{{ start|long_datetime }}|{{ missing|long_date }}").render(
        Context({"start": start})
    )
    assert rendered == "Monday, 21 March 2016 at 10.00 am|"
