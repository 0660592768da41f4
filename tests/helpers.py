"""Helpers for tests that drive the pages over HTTP."""

from __future__ import annotations

import re

import httpx

from tests.factories.orgs import PASSWORD

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    assert match is not None, "the page has no CSRF field"
    return match.group(1)


def web_sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    """Sign in through the real form, as a browser would."""
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_from(page.text),
            "next": "/",
        },
    )


def form_page(client: httpx.Client, path: str) -> str:
    """GET a page that holds a form and return its CSRF token."""
    page = client.get(path)
    assert page.status_code == 200, f"{path} answered {page.status_code}"
    return csrf_from(page.text)


def submit(
    client: httpx.Client, page_path: str, action: str, data: dict[str, str | list[str]]
) -> httpx.Response:
    """Fill and post a form as a browser would: the token comes from the page showing the form."""
    return client.post(action, data={**data, "csrf_token": form_page(client, page_path)})
