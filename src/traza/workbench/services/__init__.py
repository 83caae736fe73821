"""Writes of the workbench (permission, rules and trace in one transaction), one module per
section; every public name is importable from here.

- ``decisions``: one decision for many contributions, a response in each person's words,
  drafted or published (through :mod:`traza.cocreation.services`);
- ``triage``: compute and store the triage engine's proposals for a plan;
- ``matrix``: import a secretariat's matrix of contributions and responses;
- ``digest``: the weekly e-mail to the secretariat about contributions awaiting a response."""

from traza.workbench.services.decisions import DecisionErrors as DecisionErrors
from traza.workbench.services.decisions import DecisionItem as DecisionItem
from traza.workbench.services.decisions import DraftChoice as DraftChoice
from traza.workbench.services.decisions import decide_many as decide_many
from traza.workbench.services.decisions import discard_drafts as discard_drafts
from traza.workbench.services.decisions import publish_drafts as publish_drafts
from traza.workbench.services.digest import send_weekly_digests as send_weekly_digests
from traza.workbench.services.matrix import MatrixChanged as MatrixChanged
from traza.workbench.services.matrix import check_matrix as check_matrix
from traza.workbench.services.matrix import forget_matrix_file as forget_matrix_file
from traza.workbench.services.matrix import import_matrix as import_matrix
from traza.workbench.services.matrix import upload_matrix as upload_matrix
from traza.workbench.services.templates import save_template as save_template
from traza.workbench.services.triage import run_triage as run_triage
