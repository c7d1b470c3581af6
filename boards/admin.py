from django.contrib import admin

from boards import services
from boards.models import (
    Board,
    Council,
    Membership,
    MunicipalYear,
    NamedSubstitute,
    Party,
    Person,
    Post,
    PostHolding,
    Venue,
    Ward,
)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "telephone", "email"]

    def has_add_permission(self, request) -> bool:
        return not Council.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name"]
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "kind", "ward", "party", "job_title", "user"]
    list_filter = ["kind", "party", "ward"]
    search_fields = ["family_name", "given_name", "job_title", "organisation"]
    autocomplete_fields = ["ward", "party", "user"]
    list_select_related = ["ward", "party", "user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ["person"]
    extra = 0


class NamedSubstituteInline(admin.TabularInline):
    model = NamedSubstitute
    fk_name = "board"
    autocomplete_fields = ["person", "for_member"]
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "support_officer", "ends_on"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["support_officer", "head_of_scrutiny", "successor"]
    inlines = [MembershipInline, NamedSubstituteInline]


class PostHoldingInline(admin.TabularInline):
    model = PostHolding
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    search_fields = ["title"]
    inlines = [PostHoldingInline]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name"]


@admin.register(MunicipalYear)
class MunicipalYearAdmin(admin.ModelAdmin):
    list_display = ["label", "starts_on"]

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        services.municipal_years_reassign()

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None or not obj.meetings.exists()
