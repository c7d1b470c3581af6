from django.contrib import admin
from django.http import HttpRequest

from accounts.second_factor import Step, step_of
from boards.access import Ability, has_ability


class ScrutinyAdminSite(admin.AdminSite):
    """The Django admin, for administrators only: reference data, users and groups.

    Staff do their daily work in the app's own pages; being ``is_staff`` is not enough here.
    Administrators remove a person's lost passkey or authenticator app here, so that they can
    set up a new one.
    """

    site_header = "Scrutiny administration"
    site_title = "Scrutiny administration"
    index_title = "Reference data, users and groups"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        # Only once the second factor is given (the middleware sends them to give it first).
        return bool(
            user.is_staff
            and has_ability(user, Ability.ADMINISTER)
            and step_of(request) == Step.DONE
        )
