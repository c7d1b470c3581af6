"""Open data for anyone, always as the public sees it: calendars, Atom feeds and CSV exports.
The OParl API has its own URLs (``opendata.oparl_urls``)."""

from django.urls import path

from opendata import exports, feeds
from opendata.views import calendars, open_data

app_name = "opendata"

urlpatterns = [
    path("open-data/", open_data.open_data, name="open-data"),
    path("calendar/meetings.ics", calendars.calendar_all, name="calendar-all"),
    path("calendar/boards/<slug:slug>.ics", calendars.calendar_board, name="calendar-board"),
    path("feeds/published.atom", feeds.feed_all, name="feed-all"),
    path("feeds/boards/<slug:slug>.atom", feeds.feed_board, name="feed-board"),
    path("feeds/inquiries/<slug:slug>.atom", feeds.feed_inquiry, name="feed-inquiry"),
    # The forward plan of key decisions: a feed of its notices, a calendar of their dates.
    path("feeds/forward-plan.atom", feeds.feed_forward_plan, name="feed-forward-plan"),
    path("feeds/decisions.atom", feeds.feed_decisions, name="feed-decisions"),
    path(
        "calendar/forward-plan.ics", calendars.calendar_forward_plan, name="calendar-forward-plan"
    ),
    path(
        "recommendations/tracking/board/<slug:slug>.csv",
        exports.board_tracking_csv,
        name="board-tracking-csv",
    ),
    path(
        "recommendations/tracking/inquiry/<slug:slug>.csv",
        exports.inquiry_tracking_csv,
        name="inquiry-tracking-csv",
    ),
    path("attendance.csv", exports.attendance_csv, name="attendance-csv"),
]
