"""A learner's learning account, an enrolment's split, a saved pathway and a program's
dashboard, reached with the keyboard on the seeded demo and checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Demo
from tests.browser.test_pages import LEARNER, serious_violations, sign_in_with_keyboard, visit

pytestmark = pytest.mark.browser

PROGRAM_OFFICER = "paul.nakamura@skillsfund.example"


def test_a_learner_reads_her_account_a_split_and_her_pathway(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, LEARNER)
    problems = visit(page, "Learning account", within="header")
    expect(page.get_by_role("heading", name="Your credit")).to_be_visible()
    problems += visit(page, "This month's statement")
    page.goto(f"{demo.url}/catalogue/lakeshore-college/health-information-tools")
    problems += visit(
        page, "Upcoming runs, and what they cost you after your learning-account credit"
    )
    latest_run = page.locator("main table").get_by_role("link").last
    problems += visit(page, latest_run.inner_text(), within="main table")
    expect(page.get_by_role("table", name="How the price is paid")).to_contain_text("You pay")
    problems += visit(page, "My enrolments")
    problems += visit(page, "My pathways", within="header")
    problems += visit(page, "Pathway to Patient Navigator at Northwind Health Network")
    expect(page.get_by_role("main")).to_contain_text("Closes your skill gaps")
    problems += visit(page, "Back to my pathways")
    problems += visit(page, "Plan a pathway")
    assert problems == []


def test_a_program_officer_reads_the_program_dashboard(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, PROGRAM_OFFICER)
    problems = visit(page, "Programs", within="header")
    problems += visit(page, "Skills Fund Learning Account", within="main table")
    expect(page.get_by_role("main")).to_contain_text("Budget left")
    assert serious_violations(page) == []
    assert problems == []
