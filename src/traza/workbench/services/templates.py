"""Response templates: written by the secretariat, traced like every other write."""

from traza.core.services import saver
from traza.workbench.models import ResponseTemplate

save_template = saver(
    ResponseTemplate,
    module=__name__,
    doc="Create or change a response template (traced). Its placeholders are checked by the "
    "form (traza.workbench.forms.TemplateForm) and again when it is used.",
)
