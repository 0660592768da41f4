"""The skills pages as a person uses them: search ESCO with typing mistakes and filters, read a
skill in its hierarchy, an occupation with its skills grouped, and the frameworks credited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cairn.kit.actor import Role
from cairn.kit.i18n import LOCALE_COOKIE
from cairn.orgs.models import Person
from cairn.taxonomy.models import Framework, Occupation, Skill
from tests.factories.orgs import make_member, make_org
from tests.factories.taxonomy import make_small_framework
from tests.web.conftest import SignIn
from tests.web.test_page_structure import outline_of, problems_with

RESULT_LINK = re.compile(r'<th scope="row">\s*<a href="/skills/[^"]+">([^<]+)</a>')
BREADCRUMB = re.compile(r'<nav aria-label="Breadcrumb" class="breadcrumb">(.*?)</nav>', re.S)


def result_labels(html: str) -> list[str]:
    return RESULT_LINK.findall(html)


def breadcrumb_of(html: str) -> list[str]:
    found = BREADCRUMB.search(html)
    assert found is not None, "the page has no breadcrumb"
    return re.findall(r">([^<]+)</a>", found.group(1))


@pytest.fixture
def reader(session: Session) -> Person:
    return make_member(session, make_org(session), Role.LEARNER)


def skill_id(session: Session, framework: Framework, label: str) -> str:
    found = session.scalars(
        select(Skill.id).where(Skill.framework_id == framework.id, Skill.preferred_label == label)
    ).one()
    return str(found)


# --- search ---------------------------------------------------------------------------


def test_search_ranks_python_first_and_keeps_the_query(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)

    page = client.get("/skills", params={"q": "python programming"})

    assert page.status_code == 200
    assert "Python (computer programming)" in result_labels(page.text)[:3]
    assert 'value="python programming"' in page.text
    assert problems_with("/skills?q=python", page.text) == []


def test_a_typing_mistake_still_finds_the_skill(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)

    assert "Python (computer programming)" in result_labels(
        client.get("/skills", params={"q": "pyhton"}).text
    )
    assert "use spreadsheets software" in result_labels(
        client.get("/skills", params={"q": "spreadsheet"}).text
    )


def test_filters_narrow_the_results_and_stay_chosen(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)
    everything = result_labels(client.get("/skills", params={"q": "software"}).text)

    page = client.get(
        "/skills",
        params={"q": "software", "framework": "esco@v1.2.0", "type": "knowledge"},
    )
    knowledge = result_labels(page.text)
    digital = result_labels(
        client.get("/skills", params={"q": "data", "collection": "digital"}).text
    )

    assert knowledge
    assert knowledge != everything
    assert '<option value="knowledge" selected>' in page.text
    assert '<option value="esco@v1.2.0" selected>' in page.text
    assert re.findall(r"<td>(Knowledge|Skill or competence)</td>", page.text) == [
        "Knowledge"
    ] * len(knowledge)
    assert digital
    assert digital != result_labels(client.get("/skills", params={"q": "data"}).text)


def test_an_empty_search_explains_and_a_fruitless_one_says_so(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)

    empty = client.get("/skills").text
    nothing = client.get("/skills", params={"q": "qqqqxxxx zzzzwwww"}).text

    assert "Search the skills of every framework you can see" in empty
    assert 'href="/frameworks"' in empty
    assert "<table" not in empty
    assert "No skill matches “qqqqxxxx zzzzwwww”." in nothing
    assert 'role="status"' in nothing


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"framework": "no-such-framework"}, "framework", "No framework called no-such-framework."),
        ({"collection": "no-such-collection"}, "collection", "No collection called"),
        ({"type": "wisdom"}, "type", "Choose one of the listed options."),
    ],
)
def test_a_bad_filter_is_pointed_out_beside_its_field(
    esco: Framework,
    sign_in_as: SignIn,
    reader: Person,
    params: dict[str, str],
    field: str,
    message: str,
) -> None:
    client = sign_in_as(reader)

    page = client.get("/skills", params={"q": "python", **params})

    assert page.status_code == 422
    assert f'href="#{field}"' in page.text
    assert message in page.text
    assert f'id="{field}" name="{field}"' in page.text
    assert "<table" not in page.text
    assert problems_with("/skills", page.text) == []


def test_the_search_page_speaks_french(esco: Framework, sign_in_as: SignIn, reader: Person) -> None:
    client = sign_in_as(reader)
    client.cookies.set(LOCALE_COOKIE, "fr")

    page = client.get("/skills", params={"q": "python"})

    assert page.status_code == 200
    assert outline_of(page.text).lang == "fr"
    assert "Python (computer programming)" in page.text
    client.cookies.delete(LOCALE_COOKIE)
    accepted = client.get("/skills", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    assert outline_of(accepted.text).lang == "fr"


# --- a skill and an occupation of ESCO ------------------------------------------------


def test_python_sits_in_its_hierarchy(
    esco: Framework, session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)
    python = skill_id(session, esco, "Python (computer programming)")

    page = client.get(f"/skills/{python}")

    assert page.status_code == 200
    assert "<h1>Python (computer programming)</h1>" in page.text
    trail = breadcrumb_of(page.text)
    assert trail[:2] == ["Skills", "ESCO v1.2.0"]
    assert "computer programming" in trail
    assert trail[-1] == "Python (computer programming)"
    for heading in ("Broader concepts", "Related skills", "Occupations that need it"):
        assert f"<h2>{heading}</h2>" in page.text
    assert "Digital skills" in page.text
    assert "Knowledge" in page.text
    assert "CC BY 4.0" in page.text
    assert problems_with(f"/skills/{python}", page.text) == []


def test_related_skills_are_listed_by_relation(
    esco: Framework, session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)
    strategy = skill_id(session, esco, "plan marketing strategy")

    page = client.get(f"/skills/{strategy}").text

    essential = page.split("<h3>Essential with this skill</h3>", 1)[1].split("</ul>", 1)[0]
    assert "marketing principles" in essential


def test_an_esco_occupation_shows_its_codes_and_isco_hierarchy(
    esco: Framework, session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)
    developer = session.scalars(
        select(Occupation.id).where(
            Occupation.framework_id == esco.id,
            Occupation.preferred_label == "ICT application developer",
        )
    ).one()

    page = client.get(f"/occupations/{developer}")

    assert page.status_code == 200
    assert "<h1>ICT application developer</h1>" in page.text
    assert "2514.2" in page.text
    assert "application developer" in page.text
    trail = breadcrumb_of(page.text)
    assert "Software and applications developers and analysts" in trail
    assert trail[-1] == "ICT application developer"
    assert problems_with(f"/occupations/{developer}", page.text) == []


def test_the_occupation_search_finds_titles(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)

    page = client.get("/occupations", params={"q": "application developer"})

    assert page.status_code == 200
    assert ">ICT application developer</a>" in page.text
    assert problems_with("/occupations", page.text) == []
    assert "No occupation matches" in client.get("/occupations", params={"q": "zzzzqqqq"}).text


# --- frameworks -----------------------------------------------------------------------


def test_frameworks_are_listed_with_their_licence_and_credit(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)

    listing = client.get("/frameworks").text
    page = client.get(f"/frameworks/{esco.id}").text

    assert f'href="/frameworks/{esco.id}"' in listing
    assert "European Commission" in listing
    assert "CC BY 4.0" in listing
    assert "<h1>ESCO v1.2.0</h1>" in page
    assert "Data from ESCO v1.2.0 by European Commission" in page
    assert 'href="https://esco.ec.europa.eu/' in page
    assert "Digital skills" in page
    assert "collection=digital" in page
    assert "13623" in page
    assert problems_with("/frameworks", listing) == []
    assert problems_with(f"/frameworks/{esco.id}", page) == []


def test_a_frameworks_skills_and_occupations_come_in_pages(
    esco: Framework, sign_in_as: SignIn, reader: Person
) -> None:
    client = sign_in_as(reader)

    first = client.get(f"/frameworks/{esco.id}/skills").text
    second = client.get(f"/frameworks/{esco.id}/skills", params={"page": 2}).text
    nurses = client.get(f"/frameworks/{esco.id}/occupations", params={"q": "nurse"}).text

    assert 'rel="next"' in first
    assert result_labels(first) != result_labels(second)
    assert len(result_labels(first)) == 50
    assert "Page 2 of" in second
    assert "nurse" in nurses
    assert 'value="nurse"' in nurses
    assert problems_with(f"/frameworks/{esco.id}/occupations", nurses) == []


# --- a small framework with one of everything ----------------------------------------


def test_an_occupation_groups_its_skills_under_their_top_group(
    session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    small = make_small_framework(session)
    client = sign_in_as(reader)

    page = client.get(f"/occupations/{small.occupation.id}").text

    care = page.split("<h3>caring for people</h3>", 1)[1].split("</table>", 1)[0]
    other = page.split("<h3>Other skills</h3>", 1)[1].split("</table>", 1)[0]
    assert "dress wounds" in care
    assert "Essential" in care
    assert "keep records" in other
    assert "Optional" in other
    assert page.index("Visit patients.") < page.index("Order supplies.")
    assert "<h3>Core tasks</h3>" in page
    assert "31301" in page
    assert "ISCO-08 code" in page
    assert breadcrumb_of(page)[-2:] == ["health professionals", "community nurse"]
    assert problems_with("/occupations/…", page) == []


def test_a_skill_shows_its_own_level_descriptors_and_occupations(
    session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    small = make_small_framework(session)
    client = sign_in_as(reader)

    page = client.get(f"/skills/{small.skill.id}").text

    assert "Dresses simple wounds." in page
    assert "Practised in general." in page
    assert "community nurse" in page
    assert "prevent infection" in page
    assert "Clinical skills" in page
    assert "apply wound dressings" in page
    assert breadcrumb_of(page)[-2:] == ["caring for people", "dress wounds"]
    assert problems_with("/skills/…", page) == []


def test_another_organisations_framework_is_not_found(
    session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    private = make_small_framework(
        session, title="Acme Internal", owner_org_id=make_org(session).id
    )
    client = sign_in_as(reader)

    assert client.get(f"/frameworks/{private.framework.id}").status_code == 404
    assert client.get(f"/skills/{private.skill.id}").status_code == 404
    assert client.get(f"/occupations/{private.occupation.id}").status_code == 404
    assert "Acme Internal" not in client.get("/frameworks").text
    found = client.get("/skills", params={"q": "dress wounds"}).text
    assert f"/skills/{private.skill.id}" not in found


def test_the_main_navigation_marks_the_skills_section(
    session: Session, sign_in_as: SignIn, reader: Person
) -> None:
    small = make_small_framework(session)
    client = sign_in_as(reader)

    assert 'href="/skills" aria-current="page"' in client.get("/skills").text
    for path in (f"/skills/{small.skill.id}", "/frameworks", f"/occupations/{small.occupation.id}"):
        assert 'href="/skills" aria-current="true"' in client.get(path).text, path


def test_a_corrected_typo_is_shown_with_the_results(
    session: Session, esco: Framework, sign_in_as: SignIn
) -> None:
    client = sign_in_as(make_member(session, make_org(session), Role.LEARNER))

    page = client.get("/skills", params={"q": "pyhton"}).text

    assert "Showing results for “python”." in page
    assert "Python (computer programming)" in page
