"""Admin classes whose writes go through the domain services (never straight to the model)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class LabelledSplitDateTime(AdminSplitDateTime):
    """The admin's date + time inputs, each with an accessible name ("Received: date").

    Django's widget prints "Date:" and "Time:" as loose text, so neither input has a label
    (axe's critical "label" rule, WCAG 1.3.1 and 4.1.2).
    """

    def __init__(self, attrs=None, *, label: str = ""):
        super().__init__(attrs)
        self.label = label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        parts = (gettext("date"), gettext("time"))
        for subwidget, part in zip(context["widget"]["subwidgets"], parts, strict=False):
            name_ = f"{self.label}: {part}" if self.label else part
            subwidget["attrs"]["aria-label"] = name_
        return context


class LabelledValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter by each value of a field, with the blank value named: Django prints a
    blank string as a link without text (axe's serious "link-name", WCAG 2.4.4)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": self.empty_value_display}
            yield choice


class AccessibleAdminMixin:
    """Admin widgets that pass axe: split date/time inputs with an accessible name each, and
    list filters on optional text fields whose blank value has a name."""

    def get_list_filter(self, request):
        filters = []
        for item in super().get_list_filter(request):  # type: ignore[misc]
            field = None
            if isinstance(item, str) and "__" not in item:
                try:
                    field = self.model._meta.get_field(item)  # type: ignore[attr-defined]
                except FieldDoesNotExist:
                    field = None
            if isinstance(field, models.CharField) and field.blank and not field.choices:
                item = (item, LabelledValuesFilter)
            filters.append(item)
        return filters

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
            formfield.widget = LabelledSplitDateTime(
                formfield.widget.attrs, label=str(formfield.label or "")
            )
        return formfield


class ReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Why this change?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the public trace beside the change."),
    )


class TracedAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    """Saves through ``service(actor, instance_or_None, values, reason=...)``.

    The admin's own object carries the form's values already, so the service is handed the
    stored object and the values, and records exactly what changed.
    """

    form = ReasonForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    service: Any = None  # set by subclasses
    m2m_fields: tuple[str, ...] = ()  # many-to-many fields the service sets (traced)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "change_reason"]
        return [*fields, "change_reason"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record is kept; statuses say withdrawn or closed

    def _values(self, form: forms.ModelForm) -> dict[str, Any]:
        model_fields = {
            f.name for f in self.model._meta.concrete_fields if f.editable and not f.primary_key
        }
        return {k: v for k, v in form.cleaned_data.items() if k in model_fields}

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.get(pk=obj.pk) if change else None
        with transaction.atomic():
            saved = self.call_service(request.user, stored, form, self._values(form))
        obj.pk = saved.pk
        obj._state.adding = False

    def call_service(self, actor, stored, form, values):
        related = {name: form.cleaned_data.get(name) for name in self.m2m_fields}
        return type(self).service(
            actor, stored, values, reason=form.cleaned_data.get("change_reason", ""), **related
        )

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change)


class ReadOnlyAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
