"""The secretariat's matrix of contributions and responses ("matriz de sistematización de
aportes"), both ways: exported as XLSX and CSV, imported with a column mapping and a dry
run, then all at once through the services."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from traza.workbench.matrix import views

urlpatterns: list = [
    path(_("plans/<int:plan_pk>/matrix.<str:fmt>"), views.export, name="matrix-export"),
    path(_("plans/<int:plan_pk>/matrix/import/"), views.import_start, name="matrix-import"),
    path(_("matrix-imports/<int:pk>/"), views.import_detail, name="matrix-import-detail"),
    path(_("matrix-imports/<int:pk>/import/"), views.import_run, name="matrix-import-run"),
]
