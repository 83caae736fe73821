"""The standalone verifier, imported from where the site serves it (it is not a package)."""

import importlib.util
import sys

from traza.core.trace_views import VERIFIER

_spec = importlib.util.spec_from_file_location("traza_verify", VERIFIER)
assert _spec is not None and _spec.loader is not None
traza_verify = importlib.util.module_from_spec(_spec)
sys.modules["traza_verify"] = traza_verify
_spec.loader.exec_module(traza_verify)
