"""Stacking on the web: an issuer's educator writes a rule from published micro-credentials
with checkboxes, sees it on its Stacks tab, on its own page and on each component's page;
a circular rule is refused on the form with the cycle named; another issuer cannot change
it, and a learner cannot write one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from cairn.catalogue import stacking_service
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.stacking_schemas import StackRuleCreate
from cairn.kit.actor import Role
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person
from tests.factories.catalogue import make_published
from tests.factories.orgs import actor, make_member, make_org
from tests.helpers import submit
from tests.web.conftest import SignIn


@dataclass
class College:
    org: Organisation
    educator: Person
    safety: SpecificationVersion
    sheets: SpecificationVersion
    online: SpecificationVersion


@pytest.fixture
def college(session: Session) -> College:
    org = make_org(session, name="Lakeshore College", kind=OrgKind.PROVIDER)
    educator = make_member(session, org, Role.EDUCATOR)
    designer = actor(session, educator)
    registrar = actor(session, make_member(session, org, Role.ISSUER_ADMIN))
    made = [
        make_published(session, designer, registrar, org, slug=slug, title=title, ects=2)
        for slug, title in (
            ("safety", "Digital safety at work"),
            ("sheets", "Spreadsheets for operations"),
            ("online", "Collaborating online"),
        )
    ]
    return College(org, educator, *made)


def _rule(session: Session, college: College, slug: str, title: str, **more: object) -> uuid.UUID:
    data = StackRuleCreate.model_validate(
        {
            "slug": slug,
            "title": title,
            "kind": "all_of",
            "program_name": "Office Administration diploma",
            "specification_ids": [str(college.safety.specification_id)],
            **more,
        }
    )
    designer = actor(session, college.educator)
    return stacking_service.create_rule(session, designer, college.org.id, data).id


def test_an_educator_writes_a_rule_and_it_shows_where_its_parts_are(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    client = sign_in_as(college.educator)
    stacks = f"/orgs/{college.org.id}/stacks"
    assert f'href="{stacks}"' in client.get(stacks).text  # the tab
    new = f"{stacks}/new"
    form = client.get(new).text
    assert 'name="specification_ids"' in form
    assert "Spreadsheets for operations" in form

    made = submit(
        client,
        new,
        new,
        {
            "title": "Digital Workplace Certificate",
            "slug": "digital-workplace",
            "kind": "n_of",
            "n": "2",
            "program_name": "Office Administration diploma",
            "program_code": "OA-1",
            "specification_ids": [
                str(college.safety.specification_id),
                str(college.sheets.specification_id),
                str(college.online.specification_id),
            ],
        },
    )
    assert made.status_code == 303, made.text
    rule_page = made.headers["location"].split("?")[0]
    page = client.get(rule_page).text
    assert "2 of 3" in page
    assert "The program Office Administration diploma" in page
    assert "Collaborating online" in page

    listing = client.get(stacks).text
    assert "Digital Workplace Certificate" in listing
    assert "Some of a set" in listing
    component = client.get(f"/specifications/{college.sheets.id}").text
    assert "Counts toward" in component
    assert rule_page in component

    too_many = submit(
        client,
        f"{rule_page}/edit",
        f"{rule_page}/edit",
        {
            "title": "Digital Workplace Certificate",
            "kind": "n_of",
            "n": "4",
            "program_name": "Office Administration diploma",
            "specification_ids": [str(college.safety.specification_id)],
        },
    )
    assert too_many.status_code == 422
    assert 'href="#n"' in too_many.text
    assert "It asks for 4 components but has only 1." in too_many.text


def test_a_circular_rule_is_refused_on_the_form_with_the_cycle_named(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    core = _rule(session, college, "core", "Core skills")
    diploma = _rule(session, college, "diploma", "Diploma route", rule_ids=[str(core)])
    client = sign_in_as(college.educator)
    edit = f"/stacks/{core}/edit"

    refused = submit(
        client,
        edit,
        edit,
        {
            "title": "Core skills",
            "kind": "all_of",
            "program_name": "Office Administration diploma",
            "specification_ids": [str(college.safety.specification_id)],
            "rule_ids": [str(diploma)],
        },
    )
    assert refused.status_code == 409
    assert (
        "These rules would depend on themselves: Core skills → Diploma route → Core skills."
        in refused.text
    )
    assert 'href="#rule_ids"' in refused.text
    assert 'id="rule_ids"' in refused.text
    session.expire_all()
    assert stacking_service.get_rule(session, actor(session, college.educator), core).rule_ids == []

    deleting = submit(client, f"/stacks/{core}", f"/stacks/{core}/delete", {})
    assert deleting.status_code == 409
    assert "Other rules include this one: Diploma route." in deleting.text


def test_another_issuer_and_a_learner_cannot_change_the_rules(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    rule = _rule(session, college, "core", "Core skills")
    institute = make_org(session, name="Harbour Institute", kind=OrgKind.PROVIDER)
    outsider = make_member(session, institute, Role.EDUCATOR)
    learner = make_member(session, college.org, Role.LEARNER)

    client = sign_in_as(outsider)
    page = client.get(f"/stacks/{rule}")
    assert page.status_code == 200  # rules are public
    assert "Edit the rule" not in page.text
    assert client.get(f"/stacks/{rule}/edit").status_code == 404
    assert client.get(f"/orgs/{college.org.id}/stacks").status_code == 404
    changed = submit(
        client,
        f"/stacks/{rule}",
        f"/stacks/{rule}/edit",
        {"title": "Stolen", "kind": "all_of", "program_name": "Theirs"},
    )
    assert changed.status_code == 404
    assert submit(client, f"/stacks/{rule}", f"/stacks/{rule}/delete", {}).status_code == 404

    client = sign_in_as(learner)
    assert "New stacking rule" not in client.get(f"/orgs/{college.org.id}/stacks").text
    assert client.get(f"/orgs/{college.org.id}/stacks/new").status_code == 403
    made = submit(
        client,
        f"/orgs/{college.org.id}/stacks",
        f"/orgs/{college.org.id}/stacks/new",
        {"title": "Mine", "slug": "mine", "kind": "all_of", "program_name": "Mine"},
    )
    assert made.status_code == 403

    session.expire_all()
    [kept] = stacking_service.list_rules(session, actor(session, learner), college.org.id)
    assert kept.title == "Core skills"


def test_an_equivalence_and_an_assessment_only_route_are_declared_on_the_stacks_tab(
    session: Session, sign_in_as: SignIn, college: College
) -> None:
    institute = make_org(session, name="Collège du Nord", kind=OrgKind.PROVIDER)
    registraire = actor(session, make_member(session, institute, Role.ISSUER_ADMIN))
    securite = make_published(
        session,
        registraire,
        registraire,
        institute,
        slug="securite",
        title="Sécurité numérique au travail",
    )
    _rule(session, college, "core", "Core skills")
    client = sign_in_as(college.educator)
    stacks = f"/orgs/{college.org.id}/stacks"

    declared = submit(
        client,
        stacks,
        f"{stacks}/equivalences",
        {
            "specification_id": str(college.safety.specification_id),
            "equivalent_specification_id": str(securite.specification_id),
            "note": "Same outcomes, in French.",
        },
    )
    assert declared.status_code == 303, declared.text
    again = submit(
        client,
        stacks,
        f"{stacks}/equivalences",
        {
            "specification_id": str(college.safety.specification_id),
            "equivalent_specification_id": str(securite.specification_id),
        },
    )
    assert again.status_code == 409
    assert "This equivalence is already declared." in again.text
    missing = submit(client, stacks, f"{stacks}/rpl-routes", {"description": "An interview."})
    assert missing.status_code == 422
    assert 'href="#rpl_specification_id"' in missing.text
    added = submit(
        client,
        stacks,
        f"{stacks}/rpl-routes",
        {
            "rpl_specification_id": str(college.safety.specification_id),
            "description": "A practical assessment for people already doing the work.",
        },
    )
    assert added.status_code == 303

    page = client.get(stacks).text
    assert "Sécurité numérique au travail" in page
    assert "A practical assessment for people already doing the work." in page
    french = client.get(f"/specifications/{securite.id}").text
    assert "Core skills" in french
    assert "recognised as equivalent to Digital safety at work" in french
