from django.contrib import admin
from django.http import HttpRequest

from boards.access import Ability, has_ability


class ScrutinyAdminSite(admin.AdminSite):
    """The Django admin, for administrators only: reference data, users and groups.

    Staff do their daily work in the app's own pages; being ``is_staff`` is not enough here.
    """

    site_header = "Scrutiny administration"
    site_title = "Scrutiny administration"
    index_title = "Reference data, users and groups"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_staff and has_ability(user, Ability.ADMINISTER))
