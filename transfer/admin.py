from django.contrib import admin

from transfer.models import ImportedRecord, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Runs are started on the import pages (/imports/); here they are read."""

    list_display = ["__str__", "created", "dry_run", "status", "started_by"]
    list_filter = ["source", "status", "dry_run"]
    list_select_related = ["started_by"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportedRecord)
class ImportedRecordAdmin(admin.ModelAdmin):
    """Where each imported record came from: its source and its identity there."""

    list_display = ["content_type", "object_id", "record", "source", "external_id", "last_run"]
    list_filter = ["content_type", "source", "last_run"]
    search_fields = ["external_id", "object_id", "source"]
    list_select_related = ["content_type", "last_run"]
    readonly_fields = [
        "content_type",
        "object_id",
        "source",
        "external_id",
        "fingerprint",
        "first_run",
        "last_run",
        "imported_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("record")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
