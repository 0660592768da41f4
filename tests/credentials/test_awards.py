"""Awards: a registrar records that a learner achieved one published version, once; the
learner's surveys are scheduled; and the learner sees what their awards count toward."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import service as catalogue_service
from cairn.catalogue import stacking_service
from cairn.catalogue.enums import SurveyKind
from cairn.catalogue.feedback_models import SurveyInvitation
from cairn.catalogue.stacking_schemas import StackRuleCreate
from cairn.credentials import service
from cairn.credentials.models import Award
from cairn.credentials.schemas import AwardCreate
from cairn.kit.actor import Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories.catalogue import make_specification
from tests.factories.credentials import make_award, make_issuer
from tests.factories.orgs import actor, make_member, make_org, make_person


def test_a_registrar_records_an_award_which_schedules_the_learners_surveys(
    session: Session,
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    learner = make_person(session, name="Lena Whitford")

    award = make_award(
        session, college, version, learner, awarded_on=date(2026, 8, 31), grade="Pass"
    )

    assert (award.version_id, award.issuer_org_id, award.grade) == (
        version.id,
        college.org.id,
        "Pass",
    )
    surveys = {
        s.kind: s.due_on
        for s in session.query(SurveyInvitation).filter_by(respondent_id=learner.id)
    }
    assert surveys == {
        SurveyKind.LEARNER_COMPLETION: date(2026, 8, 31),
        SurveyKind.LEARNER_FOLLOW_UP: date(2027, 2, 28),  # six calendar months, clamped
    }
    mine = service.my_awards(session, actor(session, learner))
    assert [(line.version.title, line.issuer.name) for line in mine] == [
        ("Wound care essentials", "Lakeshore College")
    ]
    listed = service.list_awards_for_issuer(session, college.registrar, college.org.id)
    assert [line.learner.display_name for line in listed] == ["Lena Whitford"]


def test_awards_are_refused_with_the_field_at_fault(session: Session) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    draft = make_specification(session, college.educator, college.org, slug="draft-only")
    other = make_issuer(session)
    theirs = other.publish(session, "theirs")
    learner = make_person(session)
    today = utcnow().date()

    def refused(**changes: object) -> str:
        fields: dict[str, object] = {
            "version_id": version.id,
            "learner_email": learner.email,
            "awarded_on": today,
            **changes,
        }
        with pytest.raises((InvalidInput, Conflict)) as error:
            service.record_award(
                session, college.registrar, college.org.id, AwardCreate.model_validate(fields)
            )
        return error.value.field_errors[0].field

    assert refused(version_id=draft.id) == "version_id"
    assert refused(version_id=theirs.id) == "version_id"
    assert refused(learner_email="nobody@example.org") == "learner_email"
    assert refused(awarded_on=today + timedelta(days=2)) == "awarded_on"
    make_award(session, college, version, learner)
    assert refused() == "learner_email"  # one award per learner and version: a conflict
    assert session.query(Award).count() == 1


def test_only_the_issuers_registrars_record_and_list_awards(session: Session) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    learner = make_person(session)
    data = AwardCreate(version_id=version.id, learner_email=learner.email, awarded_on=date.min)
    outsider = actor(session, make_member(session, make_org(session), Role.HR_ADMIN))
    college_learner = actor(session, make_member(session, college.org, Role.LEARNER))

    with pytest.raises(PermissionDenied):
        service.record_award(session, college.educator, college.org.id, data)
    with pytest.raises(PermissionDenied):
        service.list_awards_for_issuer(session, college_learner, college.org.id)
    with pytest.raises(NotFound):
        service.record_award(session, outsider, college.org.id, data)
    with pytest.raises(NotFound):
        service.list_awards_for_issuer(session, outsider, college.org.id)
    assert session.query(Award).count() == 0


def test_a_retired_version_is_awarded_only_for_a_date_before_its_retirement(
    session: Session,
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    catalogue_service.retire(session, college.registrar, version.id)
    retired_on = utcnow().date()

    make_award(session, college, version, make_person(session), awarded_on=retired_on)
    with pytest.raises(InvalidInput) as error:
        make_award(
            session,
            college,
            version,
            make_person(session),
            awarded_on=retired_on + timedelta(days=1),
        )
    assert error.value.field_errors[0].field == "version_id"


def test_a_learners_awards_count_toward_a_stacking_rule(session: Session) -> None:
    college = make_issuer(session)
    wounds = college.publish(session, "wounds", ects=2)
    meds = college.publish(session, "meds", ects=3, title="Safe medication")
    certificate = make_specification(session, college.educator, college.org, slug="certificate")
    rule = stacking_service.create_rule(
        session,
        college.educator,
        college.org.id,
        StackRuleCreate.model_validate(
            {
                "slug": "community-care",
                "title": "Community care certificate",
                "kind": "all_of",
                "target_specification_id": str(certificate.specification_id),
                "specification_ids": [str(wounds.specification_id), str(meds.specification_id)],
            }
        ),
    )
    person = make_person(session)
    learner = actor(session, person)
    assert service.counts_toward(session, learner) == []

    make_award(session, college, wounds, person)
    [standing] = service.counts_toward(session, learner)
    assert (standing.rule_id, standing.satisfied, standing.met, standing.required) == (
        rule.id,
        False,
        1,
        2,
    )
    assert standing.missing_specification_ids == [meds.specification_id]
    titles = service.specification_titles(session, learner, standing.missing_specification_ids)
    assert titles == {meds.specification_id: "Safe medication"}

    make_award(session, college, meds, person)
    assert service.counts_toward(session, learner)[0].satisfied


def test_a_specification_is_awarded_at_its_published_version_by_short_name(
    session: Session,
) -> None:
    college = make_issuer(session)
    version = college.publish(session, "wound-care")
    make_specification(session, college.educator, college.org, slug="draft-only")

    found = service.awardable_version(session, college.registrar, college.org.id, "wound-care")
    assert found.id == version.id
    with pytest.raises(InvalidInput) as error:
        service.awardable_version(session, college.registrar, college.org.id, "draft-only")
    assert error.value.field_errors[0].field == "specification"


def test_an_award_as_listed_is_shown_to_the_issuers_registrars_only(session: Session) -> None:
    college = make_issuer(session, name="Lakeshore College")
    version = college.publish(session, "wound-care")
    award = make_award(session, college, version, make_person(session, name="Lena Whitford"))

    line = service.award_line(session, college.registrar, award)

    assert (line.award.id, line.learner.display_name, line.version.title, line.issuer.name) == (
        award.id,
        "Lena Whitford",
        "Wound care essentials",
        "Lakeshore College",
    )
    with pytest.raises(PermissionDenied):
        service.award_line(session, college.educator, award)
    with pytest.raises(NotFound):
        service.award_line(session, make_issuer(session).registrar, award)


def test_a_rule_still_missing_inside_another_is_named_to_the_learner(session: Session) -> None:
    college = make_issuer(session)
    wounds = college.publish(session, "wounds")
    meds = college.publish(session, "meds", title="Safe medication")

    def rule(slug: str, title: str, **components: object) -> uuid.UUID:
        fields = {"slug": slug, "title": title, "kind": "all_of", "program_name": title}
        created = stacking_service.create_rule(
            session,
            college.educator,
            college.org.id,
            StackRuleCreate.model_validate({**fields, **components}),
        )
        return created.id

    module = rule("medication", "Medication module", specification_ids=[meds.specification_id])
    certificate = rule(
        "community-care",
        "Community care certificate",
        specification_ids=[wounds.specification_id],
        rule_ids=[module],
    )
    person = make_person(session)
    learner = actor(session, person)
    # Before any award nothing counts, so the page has no specification to name.
    assert service.counts_toward(session, learner) == []
    assert service.specification_titles(session, learner, []) == {}

    make_award(session, college, wounds, person)
    standing = next(s for s in service.counts_toward(session, learner) if s.rule_id == certificate)

    assert standing.missing_rule_ids == [module]
    assert service.rule_titles(session, learner, standing.missing_rule_ids) == {
        module: "Medication module"
    }
