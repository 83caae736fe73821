"""Fixtures of the public discussion of drafts, shared by its tests."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import virtual_consultation
from traza.core.services import SYSTEM
from traza.plans import services as plan_services


@pytest.fixture
def draft(make_plan):
    """A draft commitment of a plan whose virtual consultation runs now."""
    plan = make_plan(n=1, m=1)
    commitment = plan.commitments.get()
    plan_services.set_commitment_status(SYSTEM, commitment, "proposal", reason="Borrador")
    virtual_consultation(plan)
    return commitment


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user("mod", "mod@example.org", "x-Strong-pass-1")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["moderate_discussion", "answer_officially", "report_for_any_organization"]
        )
    )
    return django_user_model.objects.get(pk=user.pk)
