from django.urls import path

from boards.views import agenda, public, setup, subjects

app_name = "boards"

urlpatterns = [
    # Everyone, through the visibility rule.
    path("boards/", public.board_list, name="board-list"),
    path("boards/<slug:slug>/", public.board_detail, name="board-detail"),
    path("meetings/", public.meeting_list, name="meeting-list"),
    path("meetings/<int:pk>/", public.meeting_detail, name="meeting-detail"),
    path("papers/<int:pk>/", public.paper_detail, name="paper-detail"),
    path("papers/<int:pk>/download/", public.paper_download, name="paper-download"),
    path("people/<int:pk>/photo/", setup.person_photo, name="person-photo"),
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
    # Setting up the council: clerks, and officers for the bodies they support.
    path("setup/", setup.setup_home, name="setup"),
    path("setup/bodies/", setup.body_list, name="setup-bodies"),
    path("setup/bodies/new/", setup.body_create, name="setup-body-create"),
    path("setup/bodies/<slug:slug>/", setup.body_setup, name="setup-body"),
    path("setup/bodies/<slug:slug>/edit/", setup.body_edit, name="setup-body-edit"),
    path("setup/bodies/<slug:slug>/dissolve/", setup.body_dissolve, name="setup-body-dissolve"),
    path("setup/bodies/<slug:slug>/history/", setup.body_history, name="setup-body-history"),
    path(
        "setup/bodies/<slug:slug>/standard-agenda/add/",
        setup.standard_line_add,
        name="setup-line-add",
    ),
    path(
        "setup/bodies/<slug:slug>/standard-agenda/<int:position>/",
        setup.standard_line_edit,
        name="setup-line-edit",
    ),
    path(
        "setup/bodies/<slug:slug>/standard-agenda/<int:position>/move/",
        setup.standard_line_move,
        name="setup-line-move",
    ),
    path(
        "setup/bodies/<slug:slug>/standard-agenda/<int:position>/remove/",
        setup.standard_line_remove,
        name="setup-line-remove",
    ),
    path("setup/bodies/<slug:slug>/members/add/", setup.membership_add, name="setup-member-add"),
    path("setup/memberships/<int:pk>/", setup.membership_edit, name="setup-membership"),
    path("setup/memberships/<int:pk>/end/", setup.membership_end, name="setup-membership-end"),
    path(
        "setup/bodies/<slug:slug>/substitutes/add/",
        setup.substitute_add,
        name="setup-substitute-add",
    ),
    path("setup/substitutes/<int:pk>/end/", setup.substitute_end, name="setup-substitute-end"),
    path("setup/people/", setup.person_list, name="setup-people"),
    path("setup/people/new/<slug:kind>/", setup.person_create, name="setup-person-create"),
    path("setup/people/<int:pk>/", setup.person_edit, name="setup-person"),
    path("setup/people/<int:pk>/history/", setup.person_history, name="setup-person-history"),
    path("setup/posts/", setup.post_list, name="setup-posts"),
    path("setup/posts/new/", setup.post_create, name="setup-post-create"),
    path("setup/posts/<int:pk>/", setup.post_edit, name="setup-post"),
    path("setup/posts/<int:pk>/holders/add/", setup.holding_add, name="setup-holding-add"),
    path("setup/posts/<int:pk>/history/", setup.post_history, name="setup-post-history"),
    path("setup/post-holdings/<int:pk>/", setup.holding_edit, name="setup-holding"),
    path("setup/wards-and-parties/", setup.wards_and_parties, name="setup-wards-and-parties"),
    path("setup/wards/new/", setup.ward_create, name="setup-ward-create"),
    path("setup/wards/<int:pk>/", setup.ward_edit, name="setup-ward"),
    path("setup/parties/new/", setup.party_create, name="setup-party-create"),
    path("setup/parties/<int:pk>/", setup.party_edit, name="setup-party"),
    # Any officer or clerk (a subject is the council's); an item's, those who edit its board.
    path("subjects/new/", subjects.subject_create, name="subject-create"),
    path("subjects/<slug:slug>/edit/", subjects.subject_edit, name="subject-edit"),
    path("items/<int:pk>/subject/", subjects.agenda_item_subject, name="agenda-item-subject"),
]
