"""Signs in with the keyboard, walks the administration pages and checks each with axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import Demo

pytestmark = pytest.mark.browser

HR_ADMIN = "hannah.okafor@northwind.example"
PLATFORM_ADMIN = "priya.raman@cairn.example"
LEARNER = "lena.whitford@northwind.example"
AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    """axe-core violations of serious or critical impact, one readable line each."""
    results: Any = AXE.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
            )
    return found


def sign_in_with_keyboard(page: Page, demo: Demo, email: str) -> None:
    page.goto(f"{demo.url}/sign-in")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.get_by_label("E-mail address").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(demo.password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo.url}/")


def test_sign_in_page_is_accessible(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.url}/sign-in")
    assert serious_violations(page) == []


def test_wrong_password_is_announced(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.url}/sign-in")
    page.get_by_label("E-mail address").fill(HR_ADMIN)
    page.get_by_label("Password").fill("not the demo password")
    page.get_by_role("button", name="Sign in").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The e-mail address or password is not right.")
    expect(alert).to_be_focused()
    assert serious_violations(page) == []


def visit(page: Page, link: str, *, within: str = "main") -> list[str]:
    """Follow a link by its accessible name, as a keyboard user would, then run axe."""
    target = page.locator(within).get_by_role("link", name=link, exact=True).first
    target.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return [f"{page.url}: {problem}" for problem in serious_violations(page)]


def test_hr_admin_signs_in_and_every_admin_page_is_accessible(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, HR_ADMIN)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hannah Okafor")
    problems = serious_violations(page)
    problems += visit(page, "Organisations", within="header")
    problems += visit(page, "Northwind Health Network")
    problems += visit(page, "Edit the organisation")
    problems += visit(page, "Departments", within="nav.tabs")
    problems += visit(page, "Nursing")
    problems += visit(page, "Job roles", within="nav.tabs")
    problems += visit(page, "Registered Nurse")
    problems += visit(page, "People", within="nav.tabs")
    page.get_by_label("Search by name or e-mail").fill("tremblay")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    problems += visit(page, "Marc Tremblay")
    problems += visit(page, "Invitations", within="nav.tabs")
    problems += visit(page, "My profile", within="header")
    problems += visit(page, "About me (optional)", within="nav.tabs")
    problems += visit(page, "API tokens", within="nav.tabs")
    problems += visit(page, "API", within="header")
    assert problems == []


def test_an_invitation_is_sent_and_read_in_the_outbox(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, HR_ADMIN)
    page.goto(f"{demo.url}/orgs")
    page.get_by_role("link", name="Northwind Health Network").click()
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Invitations"
    ).click()
    page.get_by_label("E-mail address").fill("new.colleague@northwind.example")
    page.get_by_label("Role (required)").select_option(label="Manager")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("The invitation is on its way.")
    expect(page.get_by_role("table")).to_contain_text("new.colleague@northwind.example")
    assert serious_violations(page) == []

    page.context.clear_cookies()
    sign_in_with_keyboard(page, demo, PLATFORM_ADMIN)
    problems = visit(page, "Mail outbox", within="header")
    problems += visit(page, "You are invited to join Northwind Health Network on Cairn")
    expect(page.locator("pre")).to_contain_text("/invitations/")
    assert problems == []


def test_invalid_input_is_announced_and_linked_to_its_field(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, HR_ADMIN)
    page.goto(f"{demo.url}/orgs")
    page.get_by_role("link", name="Northwind Health Network").click()
    page.get_by_role("navigation", name="Organisation").get_by_role(
        "link", name="Departments"
    ).click()
    page.get_by_role("button", name="Add the department").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Name")).to_be_focused()
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page) == []


def test_pages_in_french_are_accessible(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, LEARNER)
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="Tableau de bord")).to_be_visible()
    problems = serious_violations(page)
    problems += visit(page, "Mon profil", within="header")
    assert problems == []


def test_skills_are_searched_and_read_with_the_keyboard(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, LEARNER)
    problems = visit(page, "Skills", within="header")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a skill")
    page.get_by_label("Framework").select_option(label="Cairn Digital Competence Framework 1.0")
    search = page.get_by_label("Skill, knowledge or competence")
    search.focus()
    page.keyboard.type("password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(search).to_have_value("password")
    results = page.locator("main").get_by_role("table")
    expect(results).to_contain_text("keep devices and accounts secure")
    problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]

    problems += visit(page, "keep devices and accounts secure", within="main table")
    expect(page.get_by_role("heading", level=1)).to_have_text("keep devices and accounts secure")
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    expect(
        breadcrumb.get_by_role("link", name="Cairn Digital Competence Framework 1.0")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Levels of keep devices and accounts secure")
    ).to_be_visible()
    assert problems == []


def test_skill_profiles_gaps_and_my_skills_are_accessible(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, HR_ADMIN)
    problems = visit(page, "Organisations", within="header")
    problems += visit(page, "Northwind Health Network")
    problems += visit(page, "Job roles", within="nav.tabs")
    problems += visit(page, "Skill profile Registered Nurse")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registered Nurse")
    problems += visit(page, "Skill gaps", within="nav.tabs")
    expect(page.get_by_role("table")).to_contain_text("%")
    problems += visit(page, "My profile", within="header")
    problems += visit(page, "My skills", within="nav.tabs")
    assert problems == []


def answer_with_keyboard(page: Page) -> None:
    """Give some answer to the question on screen, as a keyboard user would."""
    form = page.locator("form.question")
    first_choice = form.locator("input[type=radio], input[type=checkbox]").first
    places = form.locator("select")
    if first_choice.count():
        first_choice.focus()
        page.keyboard.press("Space")
    elif places.count():
        for index in range(places.count()):
            places.nth(index).select_option(str(index + 1))
    else:
        form.get_by_label("Your answer").focus()
        page.keyboard.type("12")
    form.get_by_role("button", name="Answer and continue").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_learner_takes_an_adaptive_test_to_the_end(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, LEARNER)
    problems = visit(page, "Assessments", within="header")
    page.get_by_label("What to test").select_option(index=0)  # everything
    page.get_by_role("button", name="Start the test").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]

    for _ in range(31):
        if not page.locator("form.question").count():
            break
        expect(page.locator("legend")).to_contain_text("Question")
        answer_with_keyboard(page)

    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.locator(".result-level")).to_contain_text("Level")
    problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
    problems += visit(page, "See your skills profile")
    expect(page.get_by_role("table")).to_contain_text("Online test")

    problems += visit(page, "Assessments", within="header")
    page.get_by_label("Self-paced quiz").check()
    page.get_by_role("button", name="Start the test").click()
    expect(page.get_by_role("group")).to_have_count(12)
    problems += [f"{page.url}: {problem}" for problem in serious_violations(page)]
    assert problems == []


def test_a_registrar_reads_a_micro_credential_and_its_profile_check(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, "irene.baptiste@lakeshore.example")
    problems = visit(page, "Organisations", within="header")
    problems += visit(page, "Lakeshore College")
    problems += visit(page, "Micro-credentials", within="nav.tabs")
    problems += visit(page, "Data for frontline teams")
    check = page.get_by_role("table", name="Elements of the profile")
    expect(check).to_contain_text("Learning outcomes")
    expect(page.get_by_role("table", name="Demand for each outcome's skill")).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_be_visible()
    assert problems == []
