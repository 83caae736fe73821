"""The house is layered, and this test keeps it so (docs/architecture.md).

Every module under ``src/traza`` is parsed (never imported) and each dependency it has on
another app is checked against one order, lowest first. A lower app never depends on a
higher one, counting:

- imports, at module level or inside a function (``import traza.x``, ``from traza.x import``,
  relative imports too);
- ``apps.get_model("x", "Model")`` / ``get_model("x.Model")``: a lookup by name that would
  dodge the import;
- string targets of relations, ``ForeignKey("x.Model")`` (and ``OneToOneField``,
  ``ManyToManyField``, ``to="x.Model"``).

An upper app that needs to lend a lower one something registers it there, in its
``AppConfig.ready()`` (``traza.core.hooks``, ``traza.core.datasets``, ``traza.accounts.privacy``,
``monitoring.queries.register_self_assessment_section``…).

Migrations are history and are not checked: a model that moved (the institution officer)
keeps its old dependencies in the migrations that built it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

import traza

# The order of the house, lowest first. An app may depend on the apps before it, never on
# the apps after it. The top-level modules (TOP) stand above all of them.
LAYERS = [
    "core",
    "notifications",
    "accounts",
    "plans",
    "cocreation",
    "forum",
    "monitoring",
    "repository",
    "assessment",
    "workbench",
    "reports",
    "api",
    "activity",
    "ops",
]
TOP = {"cli", "urls", "settings", "wsgi", "__main__", "__init__"}
# Libraries that are not apps: anyone may use them; they use no app at all.
LIBRARIES = {"triage"}
# Packages that hold no Python code of their own (data, templates, translations).
NOT_CODE = {"demo", "locale", "templates"}

# The two relations that still point upward, at the database level only (no Python import):
# both fields are in the hashed trace payload of every commitment and contribution written
# so far, so moving them into the upper app would change what new trace events carry
# (docs/architecture.md, "The layers"). Only a string relation is excused, never an import.
DATABASE_ONLY_EXCEPTIONS: set[tuple[str, str]] = {
    ("plans/models.py", "traza.cocreation"),  # Commitment.origin_event → cocreation.Event
    ("cocreation/models/contributions.py", "traza.monitoring"),  # Contribution.self_assessment
}

SRC = Path(traza.__file__).parent
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class Edge:
    path: str  # relative to src/traza, e.g. "plans/queries.py"
    line: int
    target: str  # the module depended on, e.g. "traza.cocreation.models"
    how: str

    @property
    def target_app(self) -> str:
        return self.target.split(".")[1]

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.how} {self.target}"


def layer_of(path: str) -> str:
    """The app (or TOP / library) a module belongs to, from its path under src/traza."""
    first = path.split("/")[0]
    return first.removesuffix(".py") if "/" not in path else first


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module an ImportFrom reads, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _string_arg(call: ast.Call, position: int, keyword: str) -> str | None:
    if len(call.args) > position and isinstance(call.args[position], ast.Constant):
        value = call.args[position].value
        return value if isinstance(value, str) else None
    for kw in call.keywords:
        if kw.arg == keyword and isinstance(kw.value, ast.Constant):
            return kw.value.value if isinstance(kw.value.value, str) else None
    return None


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def edges_of(path: Path) -> list[Edge]:
    """Every dependency of one module on a traza package."""
    relative = path.relative_to(SRC).as_posix()
    found: list[Edge] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("traza."):
                    found.append(Edge(relative, node.lineno, alias.name, "imports"))
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, path)
            if module == "traza":  # from traza import plans
                for alias in node.names:
                    found.append(Edge(relative, node.lineno, f"traza.{alias.name}", "imports"))
            elif module.startswith("traza."):
                found.append(Edge(relative, node.lineno, module, "imports"))
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            if name == "get_model":
                label = _string_arg(node, 0, "app_label")
                if label:
                    app = label.split(".")[0]
                    found.append(Edge(relative, node.lineno, f"traza.{app}", "get_model of"))
            elif name in RELATIONS:
                target = _string_arg(node, 0, "to")
                if target and "." in target:
                    app = target.split(".")[0]
                    found.append(Edge(relative, node.lineno, f"traza.{app}", f"{name} to"))
            elif name == "import_module":
                target = _string_arg(node, 0, "name")
                if target and target.startswith("traza."):
                    found.append(Edge(relative, node.lineno, target, "import_module of"))
    return sorted(found, key=lambda edge: edge.line)


def modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.relative_to(SRC).parts)


def violations() -> list[Edge]:
    """Every edge from a lower layer to a higher one (or out of a library, or into TOP)."""
    rank = {app: n for n, app in enumerate(LAYERS)}
    wrong = []
    for path in modules():
        for edge in edges_of(path):
            source, target = layer_of(edge.path), edge.target_app
            if target not in rank and target not in TOP and target not in LIBRARIES:
                continue  # a label of Django's own apps (auth, contenttypes) or a third party's
            if source == target:
                continue
            if source in TOP:
                continue
            if target in TOP:
                wrong.append(edge)  # no app imports the settings, the URLs or the CLI
            elif source in LIBRARIES:
                wrong.append(edge)
            elif target in LIBRARIES:
                continue
            elif rank[target] > rank[source]:
                wrong.append(edge)
    return wrong


def _allowed(edge: Edge) -> bool:
    prefix = ".".join(edge.target.split(".")[:2])
    relation = edge.how.endswith(" to")  # "ForeignKey to", "OneToOneField to", …
    return relation and (edge.path, prefix) in DATABASE_ONLY_EXCEPTIONS


def test_every_package_has_a_place_in_the_order():
    """A new app must be placed in LAYERS (or declared a library) before it can be checked."""
    placed = set(LAYERS) | TOP | LIBRARIES | NOT_CODE
    packages = {layer_of(p.relative_to(SRC).as_posix()) for p in modules()}
    assert packages - placed == set()
    installed = {
        name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("traza.")
    }
    assert installed <= set(LAYERS)


def test_no_app_depends_on_an_app_above_it():
    wrong = [edge for edge in violations() if not _allowed(edge)]
    assert not wrong, (
        "Upward dependencies (lowest first: "
        + " < ".join(LAYERS)
        + "):\n"
        + ("\n".join(str(edge) for edge in wrong))
    )


def test_the_checker_sees_every_kind_of_dependency(tmp_path, monkeypatch):
    """The parser itself: function-level imports, relative imports, get_model, string
    relations and import_module are all seen."""
    package = tmp_path / "traza" / "plans"
    package.mkdir(parents=True)
    (tmp_path / "traza" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    module = package / "queries.py"
    module.write_text(
        "from django.apps import apps\n"
        "from django.db import models\n"
        "from ..core import services\n"
        "def f():\n"
        "    from traza.cocreation.models import Event\n"
        "    apps.get_model('monitoring', 'Officer')\n"
        "    apps.get_model('forum.Session')\n"
        "    models.ForeignKey('repository.Document', on_delete=None)\n"
        "    models.ManyToManyField(to='api.Token')\n"
        "    import_module('traza.ops.backup')\n"
    )
    monkeypatch.setattr(f"{__name__}.SRC", tmp_path / "traza")
    assert [(e.line, e.target) for e in edges_of(module)] == [
        (3, "traza.core"),
        (5, "traza.cocreation.models"),
        (6, "traza.monitoring"),
        (7, "traza.forum"),
        (8, "traza.repository"),
        (9, "traza.api"),
        (10, "traza.ops.backup"),
    ]
    expected = ["cocreation", "monitoring", "forum", "repository", "api", "ops"]
    assert [e.target_app for e in violations()] == expected
