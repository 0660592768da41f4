"""People: registration, passwords, memberships, the learner profile and equity attributes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.kit.actor import Actor, Role, Scope
from cairn.kit.errors import Conflict, InvalidInput, PermissionDenied
from cairn.kit.pagination import PageParams
from cairn.kit.passwords import verify_password
from cairn.orgs import people
from cairn.orgs.enums import AgeBand, OfficialLanguage, OrgKind, RegionType, YesNoUndisclosed
from cairn.orgs.models import EquityAttributes, LearnerProfile
from cairn.orgs.schemas import EquityAttributesWrite, PersonCreate, ProfileUpdate
from tests.factories.orgs import actor, make_member, make_org, make_person


def test_a_person_is_registered_with_an_argon2id_hash_and_a_profile(session: Session) -> None:
    person = people.create_person(
        session,
        PersonCreate(
            email="Lena.Whitford@Example.ORG",
            display_name="Lena Whitford",
            password="a long pass phrase",
        ),
    )

    assert person.email == "lena.whitford@example.org"
    assert person.password_hash is not None
    assert person.password_hash.startswith("$argon2id$")
    assert "a long pass phrase" not in person.password_hash
    assert verify_password(person.password_hash, "a long pass phrase")
    assert session.get(LearnerProfile, person.id) is not None
    assert people.get_person_by_email(session, "LENA.whitford@example.org") is person


def test_an_address_is_registered_once_whatever_its_case(session: Session) -> None:
    make_person(session, email="omar@example.org")

    with pytest.raises(Conflict) as error:
        people.create_person(
            session, PersonCreate(email="OMAR@example.org", display_name="Omar again")
        )
    assert [item.field for item in error.value.field_errors] == ["email"]


def test_a_person_without_a_password_cannot_sign_in_yet(session: Session) -> None:
    person = people.create_person(
        session, PersonCreate(email="staff@example.org", display_name="Staff")
    )
    assert person.password_hash is None


@pytest.mark.parametrize("password", ["short", "x" * 11, "x" * 257])
def test_a_password_has_12_to_256_characters(session: Session, password: str) -> None:
    person = make_person(session)
    before = person.password_hash

    with pytest.raises(InvalidInput):
        people.set_password(session, person, password)
    assert person.password_hash == before
    with pytest.raises(ValidationError):
        PersonCreate(email="new@example.org", display_name="New", password=password)


def test_setting_a_password_replaces_the_old_one(session: Session) -> None:
    person = make_person(session, with_password=False)

    people.set_password(session, person, "twelve chars")
    assert person.password_hash is not None
    assert verify_password(person.password_hash, "twelve chars")
    people.set_password(session, person, "another long one")
    assert not verify_password(person.password_hash, "twelve chars")


def test_adding_a_role_held_already_changes_nothing(session: Session) -> None:
    org = make_org(session)
    person = make_person(session)

    first = people.add_membership(session, person, org, Role.LEARNER)
    again = people.add_membership(session, person, org, Role.LEARNER)
    people.add_membership(session, person, org, Role.MANAGER)

    assert again.id == first.id
    assert people.actor_for(session, person).roles_in(org.id) == {Role.LEARNER, Role.MANAGER}


def test_the_actor_carries_every_membership(session: Session) -> None:
    employer, college = make_org(session), make_org(session, kind=OrgKind.PROVIDER)
    person = make_member(session, employer, Role.MANAGER)
    make_member(session, college, Role.EDUCATOR, person=person)

    me = people.actor_for(session, person)

    assert me.memberships == {(employer.id, Role.MANAGER), (college.id, Role.EDUCATOR)}
    assert me.scopes is None
    assert not me.is_platform_admin
    assert {(m.role, org.id) for m, org in people.my_memberships(session, me)} == {
        (Role.MANAGER, employer.id),
        (Role.EDUCATOR, college.id),
    }


def test_only_a_platform_administrator_lists_everyone(session: Session) -> None:
    org = make_org(session)
    hr_admin = actor(session, make_member(session, org, Role.HR_ADMIN))
    platform_admin = actor(session, make_member(session, org, Role.PLATFORM_ADMIN))

    with pytest.raises(PermissionDenied):
        people.list_people(session, hr_admin, PageParams())
    listed = people.list_people(session, platform_admin, PageParams(per_page=200))
    assert {hr_admin.person_id, platform_admin.person_id} <= {p.id for p in listed.items}
    assert people.list_people(session, Actor.operator(), PageParams()).total == listed.total


def test_people_edit_their_own_profile(session: Session) -> None:
    me = actor(session, make_person(session, name="Dale"))

    updated = people.update_my_profile(
        session,
        me,
        ProfileUpdate(display_name="Dale Kowalski", headline="CNC machinist", locale="fr"),
    )
    assert (updated.display_name, updated.headline, updated.locale) == (
        "Dale Kowalski",
        "CNC machinist",
        "fr",
    )
    cleared = people.update_my_profile(session, me, ProfileUpdate(headline=""))
    assert cleared.headline is None
    assert cleared.display_name == "Dale Kowalski"  # untouched when not sent
    with pytest.raises(ValidationError):
        ProfileUpdate(locale="de")


def test_a_token_needs_the_profile_scopes(session: Session) -> None:
    person = make_person(session)
    read_only = people.actor_for(session, person, scopes=frozenset({Scope.PROFILE_READ}))

    assert people.get_my_profile(session, read_only).person_id == person.id
    with pytest.raises(PermissionDenied):
        people.update_my_profile(session, read_only, ProfileUpdate(headline="Nope"))
    with pytest.raises(PermissionDenied):
        people.set_my_equity_attributes(session, read_only, EquityAttributesWrite(consent=True))


# --- equity attributes -----------------------------------------------------------------


def answers(**changes: object) -> EquityAttributesWrite:
    values: dict[str, object] = {
        "consent": True,
        "region_type": RegionType.RURAL,
        "indigenous_identity": YesNoUndisclosed.PREFER_NOT,
        "age_band": AgeBand.AGE_40_54,
        "disability": YesNoUndisclosed.NO,
        "newcomer": YesNoUndisclosed.YES,
        "official_language": OfficialLanguage.FRENCH,
    }
    return EquityAttributesWrite.model_validate({**values, **changes})


@pytest.mark.parametrize("consent", [False, None, "no"])
def test_equity_attributes_need_consent(consent: object) -> None:
    payload = {"age_band": "25_39"} if consent is None else {"consent": consent}
    with pytest.raises(ValidationError) as error:
        EquityAttributesWrite.model_validate(payload)
    assert [item["loc"] for item in error.value.errors()] == [("consent",)]


def test_only_the_person_reads_their_equity_attributes(session: Session) -> None:
    org = make_org(session)
    learner = actor(session, make_member(session, org))
    hr_admin = actor(session, make_member(session, org, Role.HR_ADMIN))

    stored = people.set_my_equity_attributes(session, learner, answers())

    assert stored.person_id == learner.person_id
    assert stored.consented_at is not None
    mine = people.get_my_equity_attributes(session, learner)
    assert mine is not None
    assert (mine.region_type, mine.newcomer) == (RegionType.RURAL, YesNoUndisclosed.YES)
    # Their administrator (or anyone else) reaches only their own answers: none.
    assert people.get_my_equity_attributes(session, hr_admin) is None
    assert people.get_my_equity_attributes(session, Actor.operator()) is None


def test_declaring_again_replaces_every_answer(session: Session) -> None:
    me = actor(session, make_person(session))
    people.set_my_equity_attributes(session, me, answers())

    people.set_my_equity_attributes(
        session, me, EquityAttributesWrite(consent=True, age_band="25_39")
    )

    session.expire_all()
    again = people.get_my_equity_attributes(session, me)
    assert again is not None
    assert again.age_band is AgeBand.AGE_25_39
    assert (again.region_type, again.newcomer, again.official_language) == (None, None, None)


def test_withdrawing_consent_deletes_the_answers(session: Session) -> None:
    me = actor(session, make_person(session))
    other = actor(session, make_person(session))
    people.set_my_equity_attributes(session, me, answers())
    people.set_my_equity_attributes(session, other, answers())

    people.withdraw_my_equity_attributes(session, me)
    people.withdraw_my_equity_attributes(session, me)  # nothing left: not an error

    session.expire_all()
    rows = session.scalar(
        select(func.count())
        .select_from(EquityAttributes)
        .where(EquityAttributes.person_id == me.person_id)
    )
    assert rows == 0
    assert people.get_my_equity_attributes(session, other) is not None
