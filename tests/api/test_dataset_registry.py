"""The open datasets are declared by the apps that own them and registered at start-up; the
registry keeps their declared order, and the api reads it without importing a domain app."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import traza
from traza.api.opendata import DATASETS
from traza.core.datasets import Column, Dataset, DatasetRegistry

SRC = Path(traza.__file__).parent
DOMAIN_APPS = {"plans", "cocreation", "monitoring", "forum", "repository", "assessment"}


def _dataset(name: str, position: int) -> Dataset:
    return Dataset(name, name, "", [Column("id", "integer", "identifier")], position=position)


def test_the_registry_lists_by_position_whatever_the_order_of_registration():
    registry = DatasetRegistry()
    late, early = _dataset("late", 20), _dataset("early", 10)
    registry.register(late)
    registry.register(early)
    registry.register(late)  # a repeated ready() is harmless
    assert list(registry) == ["early", "late"]
    assert [d.name for d in registry.values()] == ["early", "late"]
    assert "late" in registry and len(registry) == 2
    with pytest.raises(ImproperlyConfigured):
        registry.register(_dataset("late", 30))
    with pytest.raises(ImproperlyConfigured):
        registry.register(_dataset("other", 10))
    assert registry.unregister("early") is early and list(registry) == ["late"]


def test_each_app_registers_the_datasets_it_declares():
    from importlib import import_module

    for app in sorted(DOMAIN_APPS):
        for dataset in import_module(f"traza.{app}.datasets").DATASETS:
            assert DATASETS[dataset.name] is dataset
    positions = [d.position for d in DATASETS.values()]
    assert positions == sorted(positions)


def test_the_open_data_engine_imports_no_domain_app():
    for name in ("opendata.py", "downloads.py", "lists.py"):
        source = (SRC / "api" / name).read_text(encoding="utf-8")
        assert "get_model" not in source, name
        for node in ast.walk(ast.parse(source)):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                parts = module.split(".")
                assert parts[:1] != ["traza"] or parts[1] in ("api", "core"), (name, module)
