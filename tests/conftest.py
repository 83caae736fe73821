import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from traza.core.services import SYSTEM
from traza.plans import services
from traza.plans.models import ActionPlan, Commitment


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return ActionPlan.objects.get(member__slug="peru", number=3)


@pytest.fixture
def editor(django_user_model):
    """A secretariat officer allowed to add and change plans' objects."""
    user = django_user_model.objects.create_user("editor", "editor@example.org", "x-Strong-pass-1")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["plans", "cocreation"])
    )
    return django_user_model.objects.get(pk=user.pk)


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", "o@example.org", "x-Strong-pass-1")


@pytest.fixture
def make_plan(db):
    """Build a plan with ``n`` commitments of ``m`` milestones each, through the services."""

    def build(n: int = 3, m: int = 2, number: int = 1) -> ActionPlan:
        member = services.save_member(
            SYSTEM, None, {"slug": f"m{number}", "name": f"Member {number}"}
        )
        theme = services.save_theme(SYSTEM, None, {"slug": f"t{number}", "name": f"Theme {number}"})
        org = services.save_organization(
            SYSTEM, None, {"slug": f"o{number}", "name": f"Org {number}", "sector": "public"}
        )
        helper = services.save_organization(
            SYSTEM,
            None,
            {
                "slug": f"h{number}",
                "name": f"Helper {number}",
                "sector": "civil_society",
                "civil_society_type": "ngo",
            },
        )
        plan = services.save_plan(
            SYSTEM,
            None,
            {
                "member": member,
                "number": number,
                "title": f"Plan {number}",
                "period_start": 2024,
                "period_end": 2026,
                "stage": "implementation",
            },
        )
        for i in range(1, n + 1):
            commitment = services.save_commitment(
                SYSTEM,
                None,
                {
                    "plan": plan,
                    "number": i,
                    "title": f"Commitment {i}",
                    "theme": theme,
                    "lead_organization": org,
                    "status": "approved",
                    "civic_participation": True,
                    "starts_on": dt.date(2024, 1, 1),
                    "ends_on": dt.date(2025, 12, 31),
                },
                supporting=[helper],
            )
            for j in range(1, m + 1):
                services.save_milestone(
                    SYSTEM, None, {"commitment": commitment, "number": j, "text": f"Milestone {j}"}
                )
        return plan

    return build


@pytest.fixture
def commitment(make_plan) -> Commitment:
    return make_plan(n=1, m=1).commitments.get()


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language: a request to an /en/ page leaves English
    active in the thread, which would make later tests depend on their order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def staff_second_factor_off(settings):
    """Tests sign staff in with force_login; the second factor has its own tests
    (tests/accounts/test_accounts.py), which switch it back on."""
    settings.TRAZA_REQUIRE_STAFF_2FA = False


@pytest.fixture(autouse=True)
def rate_limits_off(settings):
    """The suite sends many requests from one address; the limits have their own test
    (tests/core/test_security.py), which switches them back on."""
    settings.TRAZA_RATE_LIMITS = False
