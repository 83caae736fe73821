from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from traza.monitoring import services
from traza.monitoring.forms import ProgressForm
from traza.plans.models import Commitment


@login_required
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """An institution officer reports progress on a milestone of their commitment."""
    commitment = get_object_or_404(
        Commitment.objects.select_related("lead_organization", "plan"), pk=pk
    )
    form = ProgressForm(request.POST or None, request.FILES or None, commitment=commitment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            files, links = form.evidence()
            try:
                services.submit_progress(
                    request.user,
                    form.cleaned_data["milestone"],
                    form.report_values(),
                    files=files,
                    links=links,
                )
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You cannot report on this commitment."))
                status = 403
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request, _("Thank you. Your report waits for the secretariat's review.")
                )
                return redirect(commitment.get_absolute_url())
        else:
            status = 400
    return render(
        request, "monitoring/report.html", {"commitment": commitment, "form": form}, status=status
    )
