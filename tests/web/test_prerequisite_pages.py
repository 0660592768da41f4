"""Prerequisite credentials on the web: on a draft's edit page an educator adds a clause by
ticking credentials in a fieldset, removes one with its own button, and reads each refusal
in the error summary; the public page links to the credentials to hold first."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from cairn.catalogue import prerequisite_service, service
from cairn.kit.actor import Role
from tests.factories.catalogue import make_specification, publish
from tests.factories.credentials import make_issuer
from tests.factories.orgs import make_member
from tests.helpers import submit
from tests.web.conftest import SignIn


def test_an_educator_adds_and_removes_a_clause_and_reads_each_refusal(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    other = make_issuer(session, name="Harbour College")
    first_aid = college.publish(session, "first-aid", title="First aid")
    theirs = other.publish(session, "infection-control", title="Infection control")
    draft = make_specification(
        session, college.educator, college.org, slug="wound-care", title="Wound care"
    )
    client = sign_in_as(make_member(session, college.org, Role.EDUCATOR))
    edit = f"/specifications/{draft.id}/edit"
    add = f"/specifications/{draft.id}/prerequisites"

    page = client.get(edit).text
    assert "<legend>Add a prerequisite: any one of these credentials</legend>" in page
    assert (
        f'id="specification_ids" name="specification_ids" value="{first_aid.specification_id}"'
        in page
    )
    assert 'Infection control <span class="meta">(Harbour College)</span>' in page
    assert f'value="{draft.specification_id}"' not in page  # never its own prerequisite

    empty = submit(client, edit, add, {})
    assert empty.status_code == 422
    assert 'href="#specification_ids"' in empty.text
    assert "Choose at least one credential for a clause." in empty.text

    chosen = [str(first_aid.specification_id), str(theirs.specification_id)]
    added = submit(client, edit, add, {"specification_ids": chosen})
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert re.search(r"One of: <a [^>]*>First aid</a>.*? or <a [^>]*>Infection control</a>", page)
    assert 'Remove<span class="visually-hidden"> prerequisite 1</span>' in page
    assert "One of: <a" in client.get(f"/specifications/{draft.id}").text

    repeated = submit(client, edit, add, {"specification_ids": list(reversed(chosen))})
    assert repeated.status_code == 422
    assert "This clause is already prerequisite 1." in repeated.text
    assert f'value="{theirs.specification_id}" checked' in repeated.text  # still ticked

    removed = submit(client, edit, f"{add}/remove", {"clause": "0"})
    assert removed.status_code == 303
    assert service.view(session, college.educator, draft.id).prerequisites == []


def test_a_cycle_is_refused_with_the_credentials_named(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    first_aid = college.publish(session, "first-aid", title="First aid")
    draft = make_specification(
        session, college.educator, college.org, slug="wound-care", title="Wound care"
    )
    next_first_aid = service.new_version(session, college.educator, first_aid.id)
    prerequisite_service.set_prerequisites(
        session, college.educator, next_first_aid.id, [[draft.specification_id]]
    )
    client = sign_in_as(make_member(session, college.org, Role.EDUCATOR))
    edit = f"/specifications/{draft.id}/edit"

    refused = submit(
        client,
        edit,
        f"/specifications/{draft.id}/prerequisites",
        {"specification_ids": [str(first_aid.specification_id)]},
    )

    assert refused.status_code == 409
    assert "go round in a circle: Wound care → First aid → Wound care." in refused.text


def test_the_public_page_links_to_the_credentials_to_hold_first(
    session: Session, sign_in_as: SignIn
) -> None:
    college = make_issuer(session, name="Lakeshore College")
    first_aid = college.publish(session, "first-aid", title="First aid")
    draft = make_specification(
        session, college.educator, college.org, slug="wound-care", title="Wound care"
    )
    prerequisite_service.set_prerequisites(
        session, college.educator, draft.id, [[first_aid.specification_id]]
    )
    publish(session, college.educator, college.registrar, draft)
    client = sign_in_as(make_member(session, college.org, Role.LEARNER))

    page = client.get(f"/catalogue/{college.org.slug}/wound-care").text

    assert "<dt>Credentials to hold first</dt>" in page
    assert f'<a href="/catalogue/{college.org.slug}/first-aid">First aid</a>' in page
