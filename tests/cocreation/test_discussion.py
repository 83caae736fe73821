"""The moderated public discussion of draft commitments during a virtual consultation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from tests.cocreation.test_contributions import form_data
from traza.cocreation import services
from traza.cocreation.models import Contribution, DiscussionPost, PostStatus
from traza.core.models import TraceEvent
from traza.core.services import SYSTEM
from traza.notifications.models import OutboxMessage
from traza.plans import services as plan_services
from traza.plans.models import Organization


def url(commitment) -> str:
    return f"/compromisos/{commitment.pk}/debate/"


def message(**overrides):
    data = form_data(text="¿Cómo se medirá la participación de las regiones?")
    data.pop("commitment", None)
    data.update(overrides)
    return data


def test_a_message_waits_for_moderation_then_becomes_a_contribution(client, draft, moderator):
    response = client.post(url(draft), message())
    assert response.status_code == 302
    post = DiscussionPost.objects.get()
    assert post.status == PostStatus.PENDING
    page = client.get(url(draft)).content.decode()
    assert "¿Cómo se medirá" not in page and "1 mensaje espera moderación" in page
    assert Contribution.objects.count() == 0

    services.moderate_post(moderator, post, PostStatus.PUBLISHED)
    post.refresh_from_db()
    contribution = post.contribution
    assert contribution.channel == "virtual_forum" and contribution.commitment == draft
    assert contribution.event.key == "consulta"
    page = client.get(url(draft)).content.decode()
    assert "¿Cómo se medirá" in page
    assert "Ana Quispe" not in page and "ana@example.org" not in page  # no consent to publish
    assert contribution.get_absolute_url() in page
    assert "En espera de una respuesta fundamentada" in page


def test_official_answers_are_marked_and_signed_by_their_institution(client, draft, moderator):
    services.post_message(
        draft, {"text": "Pregunta", "author_name": "Ana", "author_email": "a@example.org"}
    )
    question = DiscussionPost.objects.get()
    services.moderate_post(moderator, question, PostStatus.PUBLISHED)
    institution = Organization.objects.get(sector="public")
    client.force_login(moderator)
    response = client.post(
        url(draft),
        {
            "official": "on",
            "parent": question.pk,
            "organization": institution.pk,
            "text": "Con un indicador por región.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    answer = DiscussionPost.objects.get(official=True)
    assert answer.parent == question and answer.status == PostStatus.PUBLISHED
    assert answer.contribution is None  # an answer is not a contribution
    client.logout()
    page = client.get(url(draft)).content.decode()
    assert "Respuesta oficial" in page and institution.name in page
    assert page.index("Pregunta") < page.index("Con un indicador por región.")


def test_only_allowed_accounts_answer_officially(client, draft, outsider):
    institution = Organization.objects.get(sector="public")
    with pytest.raises(PermissionDenied):
        services.post_official_answer(outsider, draft, "No", institution)
    client.force_login(outsider)
    response = client.post(
        url(draft), {"official": "on", "organization": institution.pk, "text": "No"}
    )
    assert response.status_code == 403
    assert DiscussionPost.objects.count() == 0


def test_hiding_needs_a_public_reason_and_tells_the_author(client, draft, moderator, outsider):
    client.post(url(draft), message())
    post = DiscussionPost.objects.get()
    with pytest.raises(PermissionDenied):
        services.moderate_post(outsider, post, PostStatus.HIDDEN, "spam")
    with pytest.raises(ValidationError):
        services.moderate_post(moderator, post, PostStatus.HIDDEN, "  ", "personal_data")
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING and OutboxMessage.objects.count() == 0

    services.moderate_post(
        moderator,
        post,
        PostStatus.HIDDEN,
        "Contiene datos personales de terceros.",
        "personal_data",
    )
    mail = OutboxMessage.objects.get(purpose="post_hidden")
    assert mail.to == "ana@example.org" and "datos personales de terceros" in mail.body
    page = client.get(url(draft)).content.decode()
    assert "Mensaje ocultado por la moderación" in page
    assert "Contiene datos personales de terceros." in page and "¿Cómo se medirá" not in page
    assert Contribution.objects.count() == 0
    event = (
        TraceEvent.objects.filter(object_type="cocreation.discussionpost").order_by("-id").first()
    )
    # the trace keeps the category, not the moderator's words (they may quote the message)
    assert event.changes["moderation_category"] == [None, "personal_data"]
    assert "Contiene datos" not in event.reason and "¿Cómo se medirá" not in str(event.changes)
    assert "ana@example.org" not in str(event.changes)


@override_settings(TRAZA_DISCUSSION_PREMODERATION=False)
def test_replies_join_the_thread_and_are_not_contributions(client, draft):
    client.post(url(draft), message())
    opening = DiscussionPost.objects.get()
    assert opening.status == PostStatus.PUBLISHED and opening.contribution is not None
    response = client.post(
        url(draft) + f"?reply={opening.pk}", message(text="Estoy de acuerdo.", parent=opening.pk)
    )
    assert response.status_code == 302
    reply = DiscussionPost.objects.get(parent=opening)
    # a reply to a reply joins the same thread
    client.post(url(draft), message(text="Yo también.", parent=reply.pk))
    assert DiscussionPost.objects.filter(parent=opening).count() == 2
    assert Contribution.objects.count() == 1


def test_bad_messages_are_refused_and_nothing_is_written(client, draft):
    response = client.post(url(draft), message(consent=""))
    assert response.status_code == 400
    assert "Necesitamos su consentimiento" in response.content.decode()
    assert client.post(url(draft), message(author_email="no-es-correo")).status_code == 400
    assert client.post(url(draft), message(parent="999999")).status_code == 400
    assert client.post(url(draft), message(parent="abc")).status_code == 302  # ignored: new thread
    assert DiscussionPost.objects.filter(parent__isnull=False).count() == 0


def test_the_discussion_closes_with_the_consultation_and_with_the_draft(client, draft):
    plan_services.set_commitment_status(SYSTEM, draft, "approved", reason="Aprobado")
    assert client.post(url(draft), message()).status_code == 403
    with pytest.raises(ValidationError):
        services.post_message(
            draft, {"text": "x", "author_name": "A", "author_email": "a@example.org"}
        )
    assert DiscussionPost.objects.count() == 0
    assert client.get(url(draft)).status_code == 200


def test_the_discussion_page_has_a_fixed_number_of_queries(
    client, draft, moderator, django_assert_max_num_queries
):
    institution = Organization.objects.get(sector="public")
    for i in range(6):
        services.post_message(
            draft, {"text": f"m{i}", "author_name": "A", "author_email": f"a{i}@example.org"}
        )
    for post in DiscussionPost.objects.all():
        post = services.moderate_post(moderator, post, PostStatus.PUBLISHED)
        services.post_official_answer(moderator, draft, "r", institution, post)
    with django_assert_max_num_queries(8):
        assert client.get(url(draft)).status_code == 200
