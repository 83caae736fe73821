from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from traza.core.params import as_id
from traza.core.uploads import serve_checked_file
from traza.plans.models import ActionPlan, Theme
from traza.repository import following, queries, search
from traza.repository.forms import FOLLOW_CONSENT, FollowForm
from traza.repository.models import Document, DocumentKind, DocumentVersion


def _row_url(source: str, pk: int) -> str:
    if source == "document":
        return reverse("repository:document", args=[pk])
    if source == "event_evidence":
        return reverse("cocreation:evidence", args=[pk])
    return reverse("monitoring:evidence", args=[pk])


def document_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    kind = kind if kind in DocumentKind.values else ""
    language = request.GET.get("language", "")
    language = language if language in dict(Document._meta.get_field("language").choices) else ""
    plan = as_id(request.GET.get("plan"))
    page = Paginator(queries.listing(kind, plan, language), 30).get_page(request.GET.get("page"))
    plans = {p.pk: p for p in ActionPlan.objects.select_related("member")}
    rows = [
        {
            "source": source,
            "title": title,
            "kind": DocumentKind(kind_value).label
            if kind_value in DocumentKind.values
            else kind_value,
            "day": day,
            "plan": plans.get(plan_ref),
            "language": lang,
            "url": link or _row_url(source, pk),
        }
        for source, pk, title, kind_value, day, plan_ref, lang, link in page.object_list
    ]
    chosen = {"kind": kind, "plan": plan or "", "language": language}
    return render(
        request,
        "repository/document_list.html",
        {
            "page": page,
            "rows": rows,
            "kinds": DocumentKind.choices,
            "plans": plans.values(),
            "languages": Document._meta.get_field("language").choices,
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
            "updated": {
                p: queries.last_updated(plans[p]) for p in ([plan] if plan in plans else [])
            },
        },
    )


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("plan", "event", "commitment"), pk=pk
    )
    return render(
        request,
        "repository/document_detail.html",
        {"document": document, "versions": document.versions.order_by("-number")},
    )


def version_file(request: HttpRequest, pk: int) -> FileResponse:
    version = get_object_or_404(DocumentVersion, pk=pk)
    if not version.file:
        raise Http404
    return serve_checked_file(version)


def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    kind = request.GET.get("type", "")
    kind = kind if kind in search.KINDS else ""
    plan, theme = as_id(request.GET.get("plan")), as_id(request.GET.get("theme"))
    page_number = as_id(request.GET.get("page")) or 1
    status, error, results = 200, "", search.Results(0, [])
    try:
        results = search.search(q, kind=kind, plan=plan, theme=theme, page=page_number)
    except search.QueryTooLong:
        status = 400
        error = _("The search is too long: use at most %(n)d characters.") % {"n": search.MAX_QUERY}
    total, hits = results
    pages = max(1, -(-total // search.PAGE_SIZE))
    chosen = {"q": q[: search.MAX_QUERY], "type": kind, "plan": plan or "", "theme": theme or ""}
    return render(
        request,
        "repository/search.html",
        {
            "q": chosen["q"],
            "hits": hits,
            "total": total,
            "more": results.more,
            "error": error,
            "chosen": chosen,
            "kinds": [(k, search.kind_label(k)) for k in search.KINDS],
            "plans": ActionPlan.objects.select_related("member"),
            "themes": Theme.objects.all(),
            "page_number": page_number,
            "pages": pages,
            "query": urlencode({k: v for k, v in chosen.items() if v}),
        },
        status=status,
    )


def follow(request: HttpRequest, target: str, pk: int) -> HttpResponse:
    """Follow a plan, commitment or event by e-mail (the confirmation comes by e-mail)."""
    try:
        obj = following.target_object(target, pk)
    except ValidationError:
        raise Http404 from None
    form = FollowForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            following.follow(
                {
                    "email": form.cleaned_data["email"],
                    "target": target,
                    "target_id": obj.pk,
                    "frequency": form.cleaned_data["frequency"],
                    "consent_text": str(FOLLOW_CONSENT),
                }
            )
            return render(request, "repository/follow_sent.html", {"object": obj})
        status = 400
    return render(request, "repository/follow.html", {"object": obj, "form": form}, status=status)


def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = following.confirm(token)
    except ValidationError as error:
        return render(
            request, "repository/follow_done.html", {"error": error.messages[0]}, status=404
        )
    obj = following.target_object(subscription.target, subscription.target_id)
    return render(request, "repository/follow_done.html", {"object": obj, "confirmed": True})


@csrf_exempt  # RFC 8058 one-click unsubscribe: mail clients POST without a form
def unfollow(request: HttpRequest, token: str) -> HttpResponse:
    subscription = following.unfollow(token)
    if subscription is None:
        return render(
            request,
            "repository/follow_done.html",
            {"error": _("This link is not valid any more.")},
            status=404,
        )
    obj = following.target_object(subscription.target, subscription.target_id)
    return render(request, "repository/follow_done.html", {"object": obj, "unsubscribed": True})
