"""Every public entity as a dataset: the same definition drives the JSON API lists, the CSV,
JSON and XLSX downloads, the Frictionless data package and the data dictionary
(docs/data/dictionary.md). Only public data is here: no e-mail address, no author's name
without consent, no person's registration or attendance (only counts).

The api app imports no domain app for this: each app declares its own datasets in
``<app>/datasets.py`` and registers them at start-up in ``traza.core.datasets.registry``,
which lists them in their declared order. ``DATASETS`` is that registry.
"""

from __future__ import annotations

from traza.core.datasets import CHUNK, Column, Dataset, registry

__all__ = ["CHUNK", "DATASETS", "Column", "Dataset"]

DATASETS = registry
"""The open datasets by name, in their declared order (filled once the apps are ready)."""
