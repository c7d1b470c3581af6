from django.urls import path

from boards import feeds
from boards.views import accounts, agenda, follow, minutes, packs, public
from boards.views import search as search_views

app_name = "boards"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("officer/", accounts.officer_home, name="officer-home"),
    path("clerk/", accounts.clerk_home, name="clerk-home"),
    path("councillor/", accounts.councillor_home, name="councillor-home"),
    path("administration/", accounts.administrator_home, name="administrator-home"),
    # Everyone, through the visibility rule.
    path("boards/", public.board_list, name="board-list"),
    path("boards/<slug:slug>/", public.board_detail, name="board-detail"),
    path("meetings/", public.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", public.meeting_detail, name="meeting-detail"),
    path("papers/<int:pk>/", public.paper_detail, name="paper-detail"),
    path("papers/<int:pk>/download/", public.paper_download, name="paper-download"),
    path("meetings/<int:pk>/minutes/", minutes.minutes_detail, name="minutes-detail"),
    path("meetings/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes-pdf"),
    path("meetings/<int:pk>/pack/<str:edition>/", packs.pack_status, name="pack-status"),
    path("meetings/<int:pk>/pack/<str:edition>.pdf", packs.pack_download, name="pack-download"),
    path("meetings/<int:pk>/pack/<str:edition>/build/", packs.pack_build, name="pack-build"),
    path("subjects/<slug:slug>/", public.subject_detail, name="subject-detail"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("search/", search_views.search_page, name="search"),
    path("boards/<slug:slug>/attendance/", minutes.attendance_figures, name="attendance-figures"),
    # Following: calendars and Atom feeds (public), subscriptions (signed in), unsubscribing
    # from an e-mail's signed link (no sign-in).
    path("calendar/meetings.ics", follow.calendar_all, name="calendar-all"),
    path("calendar/boards/<slug:slug>.ics", follow.calendar_board, name="calendar-board"),
    path("feeds/published.atom", feeds.feed_all, name="feed-all"),
    path("feeds/boards/<slug:slug>.atom", feeds.feed_board, name="feed-board"),
    path("feeds/inquiries/<slug:slug>.atom", feeds.feed_inquiry, name="feed-inquiry"),
    path("subscriptions/", follow.subscription_list, name="subscription-list"),
    path("follow/<str:kind>/<int:pk>/", follow.subscribe, name="subscribe"),
    path("follow/<str:kind>/<int:pk>/stop/", follow.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/", follow.unsubscribe_by_token, name="unsubscribe-token"),
    # Officers and clerks.
    path("boards/<slug:slug>/meetings/new/", agenda.meeting_create, name="meeting-create"),
    path(
        "boards/<slug:slug>/standard-agenda/",
        agenda.agenda_template_edit,
        name="agenda-template-edit",
    ),
    path("meetings/<int:pk>/move/", agenda.meeting_move, name="meeting-move"),
    path(
        "meetings/<int:pk>/cancel/",
        agenda.meeting_stop,
        {"action": "cancel"},
        name="meeting-cancel",
    ),
    path(
        "meetings/<int:pk>/postpone/",
        agenda.meeting_stop,
        {"action": "postpone"},
        name="meeting-postpone",
    ),
    path("meetings/<int:pk>/agenda/", agenda.agenda_edit, name="agenda-edit"),
    path("meetings/<int:pk>/agenda/add/", agenda.agenda_item_add, name="agenda-item-add"),
    path("meetings/<int:pk>/agenda/reorder/", agenda.agenda_reorder, name="agenda-reorder"),
    path("meetings/<int:pk>/publish/", agenda.agenda_publish, name="agenda-publish"),
    path("items/<int:pk>/edit/", agenda.agenda_item_edit, name="agenda-item-edit"),
    path("items/<int:pk>/move/", agenda.agenda_item_move, name="agenda-item-move"),
    path("items/<int:pk>/remove/", agenda.agenda_item_remove, name="agenda-item-remove"),
    path("items/<int:pk>/papers/upload/", agenda.paper_upload, name="paper-upload"),
    path("items/<int:item_pk>/papers/write/", agenda.paper_write, name="paper-write"),
    path("papers/<int:pk>/edit/", agenda.paper_write, name="paper-edit"),
    path("papers/<int:pk>/withdraw/", agenda.paper_withdraw, name="paper-withdraw"),
    # The minute-taker's console.
    path("meetings/<int:pk>/console/", minutes.minutes_console, name="minutes-console"),
    path("meetings/<int:pk>/console/times/", minutes.minutes_times, name="minutes-times"),
    path(
        "meetings/<int:pk>/console/attendance/<int:person_pk>/",
        minutes.attendance_update,
        name="attendance-update",
    ),
    path("meetings/<int:pk>/console/attendees/", minutes.attendee_add, name="attendee-add"),
    path("attendances/<int:pk>/remove/", minutes.attendee_remove, name="attendee-remove"),
    path(
        "meetings/<int:pk>/console/declarations/",
        minutes.declaration_add,
        name="declaration-add",
    ),
    path("declarations/<int:pk>/remove/", minutes.declaration_remove, name="declaration-remove"),
    path("meetings/<int:pk>/console/minutes/", minutes.minute_take, name="minute-take"),
    path("meetings/<int:pk>/console/approve/", minutes.minutes_approve, name="minutes-approve"),
    path("minutes/<int:pk>/save/", minutes.minute_save, name="minute-save"),
    path("minutes/<int:pk>/edit/", minutes.minute_edit, name="minute-edit"),
    path("minutes/<int:pk>/withdraw/", minutes.minute_withdraw, name="minute-withdraw"),
    path("minutes/<int:pk>/history/", minutes.minute_history, name="minute-history"),
    path(
        "minutes/<int:pk>/history/<int:history_id>/restore/",
        minutes.minute_restore,
        name="minute-restore",
    ),
    path("minutes/<int:pk>/resolutions/", minutes.resolution_add, name="resolution-add"),
    path("resolutions/<int:pk>/remove/", minutes.resolution_remove, name="resolution-remove"),
    path("resolutions/<int:pk>/done/", minutes.action_done, name="action-done"),
]
