from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from traza.core.admin_base import ReadOnlyAdmin, ReasonForm, TracedAdmin
from traza.core.uploads import check_upload
from traza.repository import services
from traza.repository.models import Document, DocumentVersion


class DocumentForm(ReasonForm):
    upload = forms.FileField(
        label=_("File (a new version)"),
        required=False,
        help_text=_(
            "PDF, office documents, images, audio, video, CSV or text; checked and kept with its SHA-256."
        ),
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            check_upload(upload)  # type, content, size, unpacked size: a form error, not a 500
        return upload

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not data.get("upload") and "upload" not in self.errors:
            self.add_error("upload", _("A new document needs its file."))
        return data


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ("number", "uploaded_at", "sha256", "size", "content_type", "text_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(TracedAdmin):
    form = DocumentForm
    list_display = ("title", "kind", "document_date", "plan", "language")
    list_filter = ("kind", "plan", "language")
    search_fields = ("title", "description")
    autocomplete_fields = ("commitment",)
    inlines = [VersionInline]

    def call_service(self, actor, stored, form, values):
        reason = form.cleaned_data.get("change_reason", "")
        document = services.save_document(actor, stored, values, reason=reason)
        if form.cleaned_data.get("upload"):
            services.add_version(actor, document, form.cleaned_data["upload"], reason)
        return document


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ("document", "number", "uploaded_at", "size", "content_type", "text_status")
    list_filter = ("text_status",)
