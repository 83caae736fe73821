from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from traza.forum import queries, services
from traza.forum.forms import ForumInputForm
from traza.forum.models import Criterion, Forum


def forum_list(request: HttpRequest) -> HttpResponse:
    forums = Forum.objects.select_related("member").order_by("member__name", "-established_on")
    return render(request, "forum/forum_list.html", {"forums": forums})


def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_object_or_404(Forum.objects.select_related("member"), pk=pk)
    form = ForumInputForm(request.POST or None, forum=forum)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contribution = services.submit_forum_input(
                    forum, form.cleaned_data["plan"], form.contribution_values()
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. Your input was received; you will get the reasoned response by e-mail."
                    ),
                )
                return redirect(contribution.get_absolute_url())
        else:
            status = 400
    return render(
        request,
        "forum/forum_detail.html",
        {"page": queries.forum_page(forum), "form": form},
        status=status,
    )


def network(request: HttpRequest) -> HttpResponse:
    chosen = {k: request.GET.get(k, "")[:100] for k in ("theme", "region", "kind")}
    paginator = Paginator(queries.directory(**chosen), 25)
    return render(
        request,
        "forum/network.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            **queries.directory_filters(),
        },
    )


def good_practices(request: HttpRequest) -> HttpResponse:
    criterion = request.GET.get("criterion", "")
    if criterion not in Criterion.values:
        criterion = ""
    paginator = Paginator(queries.good_practices(criterion), 25)
    return render(
        request,
        "forum/good_practices.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "criterion": criterion,
            "criteria": Criterion.choices,
            "query": urlencode({"criterion": criterion}) if criterion else "",
        },
    )
