"""Writes of the workbench (permission, rules and trace in one transaction), one module per
section; every public name is importable from here.

- ``decisions``: one decision for many contributions, a response in each person's words,
  drafted or published (through :mod:`traza.cocreation.services`);
- ``triage``: compute and store the triage engine's proposals for a plan;
- ``matrix``: import a secretariat's matrix of contributions and responses."""
