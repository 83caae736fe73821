from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from traza.api import downloads
from traza.api.urls import api
from traza.ops.health import healthz

admin.site.site_header = _("Traza — secretariat")
admin.site.site_title = _("Traza")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("trace/", include("traza.core.urls")),
    path("api/v1/", api.urls),
    path("data/datapackage.json", downloads.datapackage, name="datapackage"),
    path("data/<slug:name>.<str:fmt>", downloads.download, name="download"),
]

# Spanish (the default) lives at /, English at /en/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("traza.plans.urls")),
    path("", include("traza.accounts.urls")),
    path("", include("traza.cocreation.urls")),
    path("", include("traza.monitoring.urls")),
    path("", include("traza.assessment.urls")),
    path("", include("traza.forum.urls")),
    path("", include("traza.repository.urls")),
    path("", include("traza.activity.urls")),
    path("", include("traza.reports.urls")),
    path(_("workbench/"), include("traza.workbench.urls")),
    path(_("open-data/"), downloads.data_page, name="open_data"),
    prefix_default_language=False,
)

handler404 = "traza.core.views.page_not_found"
handler500 = "traza.core.views.server_error"
