"""Every write goes through a service, and this test keeps it so (docs/architecture.md).

A service (a module named ``services.py``, or one inside a ``services/`` package) checks the
permission, applies the rules and writes the trace in one transaction. Anywhere else under
``src/traza``, writing a model is a bypass: the change would not be traced, or its rules
not applied.

Why a static check rather than a runtime guard (pre_save/post_delete signals checking a
context variable set by a ``@service`` decorator): signals never see ``QuerySet.update()``,
``QuerySet.delete()`` of models without relations, ``bulk_create`` or ``bulk_update``, which
are exactly the writes that slip past review; a runtime guard also only sees the paths the
suite happens to run, and it would make every service carry a decorator. Parsing the source
sees every path, run or not, at no cost to the suite.

What counts as a write, outside services (migrations and tests are not scanned):

- ``.save(``, ``.delete(``, ``.create(``, ``bulk_create``, ``bulk_update``,
  ``get_or_create``, ``update_or_create`` on anything (a model, a manager, a queryset, a
  form), except a file storage (``default_storage.save``);
- ``.update(`` on a manager or a queryset (``X.objects.update``, ``….filter(…).update``,
  ``queryset.update``) — ``dict.update`` is not a write;
- ``.set(`` / ``.add(`` / ``.remove(`` / ``.clear(`` on an attribute (``obj.tags.add``: a
  related manager) — ``names.add`` on a local set is not;
- a ``ModelAdmin`` hook that writes (``super().save_model``, ``delete_model``,
  ``save_related``, ``save_formset``, ``delete_queryset``).

Django's admin also writes without any call in our code: a registered admin that can change
or delete falls back on ``ModelAdmin.save_model`` / ``delete_model``. The second test checks
that every admin of a Traza model either cannot change and delete, or hands the write to a
service (``TracedAdmin``, or its own ``save_model``/``delete_model``).

Known blind spot: a queryset kept in a variable with another name and then updated
(``links = X.objects.filter(…); links.update(…)``) is not seen; ``delete`` on it is.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.contrib import admin
from django.contrib.admin import ModelAdmin

import traza
from traza.core.admin_base import TracedAdmin

ROOT = Path(traza.__file__).parent

ALWAYS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "save_model",
    "delete_model",
    "save_related",
    "save_formset",
    "delete_queryset",
}
QUERYSET = {
    "all",
    "filter",
    "exclude",
    "select_for_update",
    "select_related",
    "prefetch_related",
    "order_by",
    "only",
    "defer",
    "distinct",
    "using",
    "none",
}
RELATED = {"set", "add", "remove", "clear"}

# Writes outside services that are not domain writes, each with its reason. Keyed by
# "path::function" (the enclosing function, with its class), so a new write elsewhere in
# the same module is still caught.
ALLOWED = {
    "reports/render/docx.py::render_docx": (
        "python-docx's Document.save writes the generated file into a bytes buffer, not a "
        "model; the file is stored through repository.services.add_version"
    ),
    "core/models.py::AppendOnly.save": (
        "the append of the trace's events, seals and checkpoints (it refuses any other save), "
        "called only by core.services.record and write_checkpoint; the sealer writes seals in "
        "bulk"
    ),
    "core/tracefields.py::type_id_of": (
        "the content type of a model label the trace records for the first time (Django writes "
        "the same at migrate): part of core.services.record's append"
    ),
    "core/sealing.py::_seal_batches": (
        "the sealer: the seals of committed events and the removal of their pending rows, in "
        "one transaction; the events it seals were traced by core.services.record"
    ),
    "accounts/forms.py::OutboxPasswordResetForm.save": (
        "Django's PasswordResetForm.save writes no model: it composes the reset mail, which "
        "goes through the outbox service"
    ),
    "accounts/roles.py::ensure_roles": (
        "a post_migrate handler keeping the role groups' permissions in step with the code: "
        "framework configuration, idempotent, no actor and nothing to trace"
    ),
    "core/admin_base.py::TracedAdmin.save_related": (
        "inline formsets of TracedAdmin: only read-only inlines, whose formsets write "
        "nothing (test_admins_write_through_services checks it)"
    ),
    "repository/search.py::index": (
        "the search index: derived data rebuilt from the models (reindex), kept in step by "
        "signals after the service's write; never part of the record, never traced"
    ),
    "repository/search.py::unindex": "the search index (see index)",
    "repository/search.py::reindex_all": "the search index (see index)",
    "repository/search.py::_insert": "the search index, a batch of reindex_all (see index)",
}


def _is_service(rel: Path) -> bool:
    return rel.name == "services.py" or "services" in rel.parts[:-1]


def _writes(node: ast.Call) -> bool:
    if not isinstance(node.func, ast.Attribute):
        return False
    name, receiver = node.func.attr, node.func.value
    text = ast.unparse(receiver)
    if name in ALWAYS:
        return not text.endswith("storage")  # a file storage, not a model
    if name == "update":
        return (
            (
                isinstance(receiver, ast.Call)
                and isinstance(receiver.func, ast.Attribute)
                and receiver.func.attr in QUERYSET
            )
            or text.endswith(("objects", "_default_manager"))
            or "queryset" in text
        )
    if name in RELATED:
        return isinstance(receiver, ast.Attribute)
    return False


class _Finder(ast.NodeVisitor):
    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.stack: list[str] = []
        self.found: list[tuple[str, int, str]] = []

    def _scope(self, node: ast.AST) -> None:
        self.stack.append(node.name)  # type: ignore[attr-defined]
        self.generic_visit(node)
        self.stack.pop()

    visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _scope

    def visit_Call(self, node: ast.Call) -> None:
        if _writes(node):
            key = f"{self.rel}::{'.'.join(self.stack)}"
            self.found.append((key, node.lineno, ast.unparse(node.func)))
        self.generic_visit(node)


def writes_outside_services() -> list[tuple[str, int, str]]:
    """(path::function, line, call) of every model write outside a service module."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or _is_service(rel):
            continue
        finder = _Finder(rel.as_posix())
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        found.extend(finder.found)
    return found


def test_models_are_written_only_in_services():
    bypasses = [
        f"{key} (line {line}): {call}(…)"
        for key, line, call in writes_outside_services()
        if key not in ALLOWED
    ]
    assert not bypasses, "Writes outside a service:\n" + "\n".join(bypasses)


def test_the_allowlist_has_no_stale_entries():
    """An entry whose write moved into a service goes too, so the list stays short."""
    keys = {key for key, _line, _call in writes_outside_services()}
    assert not set(ALLOWED) - keys


def test_the_check_sees_a_bypass(tmp_path):
    """The parser flags the writes it is meant to flag, and not their look-alikes."""
    source = """
def view(request, obj, names, data):
    obj.save()
    Thing.objects.filter(pk=1).update(x=1)
    Thing.objects.create(x=1)
    obj.tags.add(1)
    names.add(1)
    data.update(x=1)
    default_storage.save("a", b"")
"""
    finder = _Finder("x/views.py")
    finder.visit(ast.parse(source))
    assert [call for _key, _line, call in finder.found] == [
        "obj.save",
        "Thing.objects.filter(pk=1).update",
        "Thing.objects.create",
        "obj.tags.add",
    ]


# Admins of Traza models that still write through Django's defaults, each with its reason.
ADMIN_ALLOWED = {
    "accounts.User": (
        "Django's UserAdmin: changes go through accounts.services.save_account; deleting an "
        "account stays Django's (superusers only; erasure is the traced way to remove a person)"
    ),
    "cocreation.Registration": (
        "every field read-only: its change form has nothing to write; attendance is marked by "
        "actions that call the services"
    ),
}


def _writable_inlines(model_admin: ModelAdmin, request) -> list[str]:
    """Inlines whose formsets could write: deletable, addable or with an editable field."""
    found = []
    for inline in model_admin.get_inline_instances(request):
        editable = set(inline.get_fields(request)) - set(inline.get_readonly_fields(request))
        if inline.can_delete or inline.has_add_permission(request, None) or editable:
            found.append(type(inline).__name__)
    return found


def test_admins_write_through_services(rf):
    request = rf.get("/")

    class Superuser:
        is_active = is_staff = is_superuser = is_authenticated = True

        def has_perm(self, perm, obj=None):
            return True

    request.user = Superuser()
    wrong = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if not model.__module__.startswith("traza.") or label in ADMIN_ALLOWED:
            continue
        cls, obj = type(model_admin), model()
        can_save = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request, obj
        )
        if can_save and cls.save_model is ModelAdmin.save_model:
            wrong.append(f"{label}: saved by ModelAdmin.save_model")
        if can_save and cls.save_related in (ModelAdmin.save_related, TracedAdmin.save_related):
            for inline in _writable_inlines(model_admin, request):
                wrong.append(f"{label}: inline {inline} would be saved outside a service")
        if model_admin.has_delete_permission(request, obj):
            if cls.delete_model is ModelAdmin.delete_model:
                wrong.append(f"{label}: deleted by ModelAdmin.delete_model")
            if cls.delete_queryset is ModelAdmin.delete_queryset:
                wrong.append(f"{label}: deleted by ModelAdmin.delete_queryset")
    assert not wrong, "\n".join(wrong)
