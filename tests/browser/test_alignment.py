"""align.js: a registrar aligns a draft's outcome to a skill with the keyboard, the matches
appearing while she types, and the level select taking focus once the skill is chosen.
Selectors are ids, not words: the registrar reads the pages in French."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Demo
from tests.browser.test_pages import serious_violations, sign_in_with_keyboard

pytestmark = pytest.mark.browser


def test_matches_appear_while_typing_and_the_level_comes_next(page: Page, demo: Demo) -> None:
    sign_in_with_keyboard(page, demo, "julie.gagnon@collegedunord.example")
    page.goto(f"{demo.url}/orgs")
    page.get_by_role("link", name="Collège du Nord").click()
    page.locator('nav.tabs a[href$="/specifications"]').click()
    page.get_by_role("link", name="Communication numérique en milieu de travail").click()
    page.goto(f"{page.url}/align")
    aligning = page.url

    page.locator("#q-1").press_sequentially("work together")
    first = page.locator("#skill-1")
    expect(first).to_be_visible()  # fetched while typing: the page was not reloaded
    assert page.url == aligning
    expect(page.locator("#align-status")).to_have_text(re.compile(r"\d"))
    assert serious_violations(page) == []

    first.focus()
    page.keyboard.press("Tab")  # to "Choose this skill"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    level = page.locator("#level-1")
    expect(level).to_be_focused()
    level.select_option("3")
    page.keyboard.press("Tab")  # to "Save the level"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#level-1")).to_have_value("3")
    assert serious_violations(page) == []
