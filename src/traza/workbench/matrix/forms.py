"""The import's forms: the upload (checked before anything parses it) and the column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from traza.cocreation.models import Channel, DecidingBody
from traza.core.text import shorten
from traza.workbench.matrix.check import Options
from traza.workbench.matrix.mapping import IGNORE, TARGETS
from traza.workbench.matrix.reader import Table
from traza.workbench.services.matrix import check_matrix_file


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Matrix (XLSX or CSV)"),
        help_text=_(
            "The first sheet of a workbook, or a CSV file (UTF-8 or Windows, comma or "
            "semicolon). One row per contribution, one header row."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        check_matrix_file(upload)  # type, size and what an XLSX unpacks to: before parsing
        return upload


def _sample(table: Table, index: int) -> str:
    for _number, cells in table.rows[:20]:
        value = table.cell(cells, index)
        if value not in (None, ""):
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            return shorten(text, 60)
    return ""


class MappingForm(forms.Form):
    """One choice per column of the spreadsheet, then the defaults for rows that say nothing."""

    channel = forms.ChoiceField(
        label=_("Channel of the rows that name none"),
        choices=[("", _("None: each row names its channel")), *Channel.choices],
        required=False,
    )
    deciding_body = forms.ChoiceField(
        label=_("Deciding body of the responses that name none"),
        choices=[("", _("None: each response names who decided")), *DecidingBody.choices],
        required=False,
    )
    names_public = forms.BooleanField(
        label=_(
            "The names in the author column were published with their authors' consent "
            "(otherwise they are kept and not shown)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, table: Table, initial_columns: dict[int, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.table = table
        choices = [(IGNORE, _("— ignore this column —")), *TARGETS]
        columns = {}
        for index, header in enumerate(table.headers):
            sample = _sample(table, index)
            columns[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_columns.get(index, IGNORE),
                help_text=(_("e.g. “%(sample)s”") % {"sample": sample}) if sample else "",
            )
        # the columns first, in the spreadsheet's order
        self.fields = {**columns, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        used: dict[str, str] = {}
        labels = dict(TARGETS)
        for index, header in enumerate(self.table.headers):
            target = data.get(f"column_{index}") or IGNORE
            if not target:
                continue
            if target in used:
                self.add_error(
                    f"column_{index}",
                    _("“%(field)s” is already read from the column “%(other)s”.")
                    % {"field": labels[target], "other": used[target]},
                )
            used[target] = header
        if "code" not in used:
            raise ValidationError(
                _(
                    "Map one column to the code: Traza recognises each row by it, so that "
                    "importing the same matrix again changes nothing."
                )
            )
        return data

    def options(self) -> Options:
        data = self.cleaned_data
        return Options(
            columns={
                index: data.get(f"column_{index}") or IGNORE
                for index in range(len(self.table.headers))
            },
            channel=data.get("channel", ""),
            deciding_body=data.get("deciding_body", ""),
            names_public=bool(data.get("names_public")),
        )
