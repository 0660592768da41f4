"""Specifications: the profile check names each missing element, publishing needs a pass
and a registrar, a published version never changes, and other organisations see only
what is published."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import service
from cairn.catalogue.enums import Profile, VersionStatus
from cairn.catalogue.schemas import SpecificationFields
from cairn.kit.actor import Actor, Role
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation
from tests.factories.catalogue import make_specification
from tests.factories.orgs import actor, make_member, make_org


@pytest.fixture
def college(session: Session) -> Organisation:
    return make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)


@pytest.fixture
def registrar(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.ISSUER_ADMIN))


@pytest.fixture
def educator(session: Session, college: Organisation) -> Actor:
    return actor(session, make_member(session, college, Role.EDUCATOR))


EU_ELEMENTS: dict[str, dict[str, object]] = {
    "title": {"title": " "},
    "country": {"country": None},
    "learning_outcomes": {"outcomes": []},
    "workload": {"workload_hours": None, "ects": None},
    "level": {"eqf_level": None, "national_level": None},
    "assessment_type": {"assessment_type": None},
    "participation": {"participation": None},
    "quality_assurance": {"quality_assurance": ""},
}


@pytest.mark.parametrize("element", sorted(EU_ELEMENTS))
def test_the_eu_check_names_exactly_the_missing_element(
    session: Session, college: Organisation, educator: Actor, element: str
) -> None:
    version = make_specification(session, educator, college)
    assert service.view(session, educator, version.id).check.passed
    blank = EU_ELEMENTS[element]
    if "title" in blank:
        version.title = ""
    else:
        service.update_draft(
            session, educator, version.id, SpecificationFields.model_validate(blank)
        )

    check = service.view(session, educator, version.id).check
    assert [finding.element for finding in check.missing] == [element]


def test_the_ecampus_check_asks_for_endorsement_and_a_transcript(
    session: Session, college: Organisation, educator: Actor
) -> None:
    version = make_specification(
        session, educator, college, profile=Profile.ECAMPUS_ONTARIO, transcriptable=False
    )
    missing = {f.element for f in service.view(session, educator, version.id).check.missing}
    assert missing == {"endorsement", "transcriptable", "relevance"}


def test_publishing_needs_a_pass_and_a_registrar(
    session: Session, college: Organisation, educator: Actor, registrar: Actor
) -> None:
    version = make_specification(session, educator, college, participation=None)
    service.submit_for_review(session, educator, version.id)
    with pytest.raises(PermissionDenied):
        service.publish(session, educator, version.id)
    with pytest.raises(InvalidInput) as refused:
        service.publish(session, registrar, version.id)
    assert [error.field for error in refused.value.field_errors] == ["participation"]
    assert version.status is VersionStatus.IN_REVIEW

    service.return_to_draft(session, educator, version.id)
    service.update_draft(session, educator, version.id, SpecificationFields(participation="online"))
    service.submit_for_review(session, educator, version.id)
    assert service.publish(session, registrar, version.id).status is VersionStatus.PUBLISHED


def test_a_published_version_never_changes_and_a_new_one_replaces_it(
    session: Session, college: Organisation, educator: Actor, registrar: Actor
) -> None:
    first = make_specification(session, educator, college)
    service.submit_for_review(session, educator, first.id)
    service.publish(session, registrar, first.id)

    with pytest.raises(Conflict):
        service.update_draft(session, educator, first.id, SpecificationFields(title="Changed"))
    second = service.new_version(session, educator, first.id)
    assert (second.number, second.status, second.title) == (2, VersionStatus.DRAFT, first.title)
    assert [o.statement for o in service.view(session, educator, second.id).draft.outcomes] == [
        "Assess a wound and choose a dressing."
    ]
    with pytest.raises(Conflict):
        service.new_version(session, educator, first.id)
    service.update_draft(session, educator, second.id, SpecificationFields(title="Wound care 2"))
    service.submit_for_review(session, educator, second.id)
    service.publish(session, registrar, second.id)

    assert first.title == "Wound care essentials"
    assert first.status is VersionStatus.RETIRED
    assert second.status is VersionStatus.PUBLISHED


def test_other_organisations_see_only_published_versions(
    session: Session, college: Organisation, educator: Actor, registrar: Actor
) -> None:
    version = make_specification(session, educator, college)
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    learner = actor(session, make_member(session, college))

    with pytest.raises(NotFound):
        service.view(session, outsider, version.id)
    with pytest.raises(NotFound):
        service.update_draft(session, outsider, version.id, SpecificationFields(title="Mine"))
    with pytest.raises(PermissionDenied):
        service.update_draft(session, learner, version.id, SpecificationFields(title="Mine"))

    service.submit_for_review(session, educator, version.id)
    service.publish(session, registrar, version.id)
    assert service.view(session, outsider, version.id).version.title == "Wound care essentials"


def test_an_employer_endorses_a_version_in_review_and_an_issuer_cannot_endorse_itself(
    session: Session, college: Organisation, educator: Actor, registrar: Actor
) -> None:
    version = make_specification(session, educator, college, profile=Profile.ECAMPUS_ONTARIO)
    employer = make_org(session, name="Northwind Health")
    hr = actor(session, make_member(session, employer, Role.HR_ADMIN))
    nurse = actor(session, make_member(session, employer))
    with pytest.raises(NotFound):  # a draft stays inside the college
        service.endorse(session, hr, version.id, employer.id)
    service.submit_for_review(session, educator, version.id)

    with pytest.raises(NotFound):  # in review: open to administrators only
        service.view(session, nurse, version.id)
    with pytest.raises(InvalidInput):
        service.endorse(session, registrar, version.id, college.id)
    service.endorse(session, hr, version.id, employer.id, "Exactly what our wards need.")
    with pytest.raises(Conflict):
        service.endorse(session, hr, version.id, employer.id)

    check = service.view(session, registrar, version.id).check
    assert {f.element for f in check.missing} == {"relevance"}
    assert service.view(session, registrar, version.id).draft.endorser_names == ["Northwind Health"]


def test_a_level_without_a_skill_is_refused(
    session: Session, college: Organisation, educator: Actor
) -> None:
    version = make_specification(session, educator, college)
    with pytest.raises(InvalidInput) as refused:
        service.update_draft(
            session,
            educator,
            version.id,
            SpecificationFields.model_validate({"outcomes": [{"statement": "Do it", "level": 3}]}),
        )
    assert refused.value.field_errors[0].field == "outcomes.1.level"
