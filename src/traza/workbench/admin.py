"""The workbench in the admin: templates are written through their traced service; the
triage runs and matrix imports are records, read only (the workbench's own screens
compute and import them)."""

from django.contrib import admin

from traza.core.admin_base import ReadOnlyAdmin, TracedAdmin
from traza.workbench import services
from traza.workbench.models import MatrixImport, ResponseTemplate, TriageRun


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(TracedAdmin):
    service = services.save_template
    list_display = ["name", "outcome"]
    list_filter = ["outcome"]
    search_fields = ["name", "body"]


@admin.register(TriageRun)
class TriageRunAdmin(ReadOnlyAdmin):
    list_display = ["plan", "computed_at", "contributions", "seconds"]
    exclude = ["result"]


@admin.register(MatrixImport)
class MatrixImportAdmin(ReadOnlyAdmin):
    list_display = ["filename", "plan", "status", "uploaded_at", "imported_at"]
    list_filter = ["status"]
    exclude = ["file", "report", "mapping"]
