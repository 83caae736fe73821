"""The standards are a registry: an edition carries its dates as data, and a new edition or a
country's own rule is registered from outside the engine and shows up in the process health,
the page, the API and the overrides, then goes away when unregistered."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from traza.assessment import services as assessment_services
from traza.assessment.standards import (
    Contrary,
    Edition,
    Finding,
    ProcessData,
    Status,
    process_health,
    register_edition,
    standard,
    unregister_edition,
    unregister_standard,
)
from traza.assessment.standards.registry import registry


@pytest.fixture
def plan(make_plan):
    """A 2024-2026 plan with two commitments."""
    return make_plan(n=2, m=1)


@pytest.fixture
def test_edition() -> Iterator[Edition]:
    """An edition in force from 2024, with one standard and its own contrary rule."""

    def contrary(data, edition, development, implementation) -> Contrary:
        return Contrary("test-rule", True, False, ["the test edition says so"])

    edition = register_edition(
        Edition(
            key="test",
            name="test standards",
            heading="Test standards (2024)",
            caption="The test edition",
            effective_from=dt.date(2024, 1, 1),
            contrary=contrary,
        )
    )

    @standard(edition, "T.1", title="Commitments are published", evidence="the commitments")
    def commitments_published(data: ProcessData) -> Finding:
        n = data.plan.commitments.count()
        return Finding(Status.MET if n else Status.NOT_MET, f"{n} commitments.")

    yield edition  # a test may unregister it itself
    if "test" in [e.key for e in registry.editions()]:
        unregister_edition("test")


@pytest.fixture
def country_rule() -> Iterator[str]:
    """A country's own rule added to the 2017 edition, counting for a starred process."""

    @standard("2017", "PE.1", title="Summary in Quechua", evidence="the plan", starred=True)
    def quechua_summary(data: ProcessData) -> Finding:
        return Finding(Status.IN_PROGRESS, "Only the Spanish summary is published.")

    yield "PE.1"
    if registry.find("2017", "PE.1"):
        unregister_standard("2017", "PE.1")


def test_editions_carry_their_dates():
    assert registry.edition_on(dt.date(2012, 1, 1)).key == "2017"
    assert registry.edition_on(dt.date(2021, 12, 31)).key == "2017"
    assert registry.edition_on(dt.date(2022, 1, 1)).key == "2021"
    codes = [s.code for s in registry.edition("2021").standards()]
    assert codes == ["1.1", "2.1", "2.2", "3.1", "4.1", "5.1"]
    assert len(registry.edition("2017").standards()) == 17


def test_a_new_edition_registered_from_outside_shows_everywhere_then_goes(
    client, plan, test_edition, django_user_model
):
    health = process_health(plan)
    assert health.in_force == "test" and health.edition_in_force is test_edition
    assert [(s, v.code, v.final) for s, v in health.all_verdicts if s == "test"] == [
        ("test", "T.1", "met")
    ]
    assert health.contrary.rule_version == "test-rule" and health.contrary.final is True

    assessor = django_user_model.objects.create_user("evaluadora", "e@example.org", "x-Strong-1")
    assessor.user_permissions.set(Permission.objects.filter(codename__endswith="_processoverride"))
    assessor = django_user_model.objects.get(pk=assessor.pk)
    assessment_services.override_process(assessor, plan, "test:T.1", "not_met", "Revisado.")
    data = client.get(f"/api/v1/plans/{plan.pk}/standards").json()
    assert data["in_force"] == "test" and data["contrary_rule_version"] == "test-rule"
    rule = next(s for s in data["standards"] if s["set"] == "test")
    assert (rule["code"], rule["status"], rule["computed_status"]) == ("T.1", "not_met", "met")
    html = client.get(f"/planes/{plan.pk}/proceso/").content.decode()
    assert 'id="set-test">Test standards (2024)</h2>' in html and "2 commitments." in html
    assert html.index("set-test") < html.index("set-2021") < html.index("set-2017")

    unregister_edition("test")
    health = process_health(plan)
    assert health.in_force == "2021" and health.contrary.rule_version == "2022"
    assert all(s != "test" for s, _v in health.all_verdicts)
    with pytest.raises(ValidationError):
        assessment_services.override_process(assessor, plan, "test:T.1", "met", "Otra vez.")


def test_a_countrys_own_rule_joins_an_edition_and_the_starred_set(plan, country_rule):
    health = process_health(plan)
    codes = [v.code for s, v in health.all_verdicts if s == "2017"]
    assert codes[-1] == "PE.1" and len(codes) == 18
    assert health.starred_codes == ["PE.1"]
    assert health.starred_process is False  # in progress is not met
    unregister_standard("2017", country_rule)
    health = process_health(plan)
    assert len(health.verdicts("2017")) == 17
    assert health.starred_codes == [] and health.starred_process is None


def test_a_standard_is_declared_once():
    with pytest.raises(ValueError, match="already registered"):
        standard("2017", "1a", title="Forum established again", evidence="")(lambda data: None)
    with pytest.raises(LookupError):
        standard("1999", "1a", title="No such edition", evidence="")(lambda data: None)
    with pytest.raises(ValueError):
        register_edition(Edition(key="contrary", name="", heading="", caption=""))
