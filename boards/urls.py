from django.urls import path

from boards.views import agenda, public, subjects

app_name = "boards"

urlpatterns = [
    # Everyone, through the visibility rule.
    path("boards/", public.board_list, name="board-list"),
    path("boards/<slug:slug>/", public.board_detail, name="board-detail"),
    path("meetings/", public.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", public.meeting_detail, name="meeting-detail"),
    path("papers/<int:pk>/", public.paper_detail, name="paper-detail"),
    path("papers/<int:pk>/download/", public.paper_download, name="paper-download"),
    # A subject's history is the record of meetings' (minutes.urls): /subjects/<slug>/.
    path("subjects/", subjects.subject_list, name="subject-list"),
    # Officers and clerks.
    path("boards/<slug:slug>/meetings/new/", agenda.meeting_create, name="meeting-create"),
    path(
        "boards/<slug:slug>/standard-agenda/",
        agenda.agenda_template_edit,
        name="agenda-template-edit",
    ),
    path("boards/<slug:slug>/numbering/", agenda.board_numbering, name="board-numbering"),
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
    # Any officer or clerk (a subject is the council's); an item's, those who edit its board.
    path("subjects/new/", subjects.subject_create, name="subject-create"),
    path("subjects/<slug:slug>/edit/", subjects.subject_edit, name="subject-edit"),
    path("items/<int:pk>/subject/", subjects.agenda_item_subject, name="agenda-item-subject"),
]
