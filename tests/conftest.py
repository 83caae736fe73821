import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from tests import factories
from traza.plans.models import ActionPlan, Commitment


@pytest.fixture(autouse=True)
def page_cache(request, settings):
    """The public page cache (``traza.ops.pagecache``) is off unless a test is marked
    ``page_cache``: tests roll their data back, so ids and trace versions repeat from one
    test to the next, and many tests change rows directly, without the trace that would
    invalidate a stored page. The marked tests check the cache against real writes."""
    from django.core.cache import caches

    if request.node.get_closest_marker("page_cache") is None:
        settings.TRAZA_PAGE_CACHE_SECONDS = 0
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def download_cache_off(settings):
    """Downloads are kept as files by data version (``traza.api.downloads``) only in tests
    that give them their own folder (tests/api/test_download_cache.py): for the reasons
    above, a version here does not always mean the same data, and var/ is shared."""
    settings.TRAZA_DOWNLOAD_CACHE_DIR = None


@pytest.fixture
def demo(db):
    """Peru's 2017-2019 plan, loaded with ``load_demo`` (some 3 s): only for tests of its real
    facts; others use ``make_plan``, ``sample_plan`` or ``tests.factories``."""
    call_command("load_demo", real_only=True, verbosity=0)
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
    """Build a plan with ``n`` commitments of ``m`` milestones each, through the services
    (``tests.factories.plan_with_commitments``)."""
    return factories.plan_with_commitments


@pytest.fixture
def sample_plan(db) -> ActionPlan:
    """A small plan with commitments, milestones, an event and answered contributions, for
    tests that need a plan with something in it but none of Peru's facts (``demo``)."""
    return factories.sample_plan()


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


@pytest.fixture(autouse=True)
def trace_verified_file(settings, tmp_path):
    """`traza verify-trace` goes on from the state it saved last time: each test keeps its own,
    as each has its own trace (the signing key under var/ is shared: it signs, it holds no
    state)."""
    settings.TRAZA_TRACE_VERIFIED_FILE = tmp_path / "trace-verified.json"
