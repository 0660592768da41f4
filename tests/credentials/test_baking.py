"""A learner downloads a badge image that carries its credential, and anyone can take the
credential back out of it; a file that cannot be a baked badge is refused with the reason."""

from __future__ import annotations

import io
import json
import zlib
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image, PngImagePlugin

from cairn.credentials.baking import (
    NotABadge,
    badge_png,
    badge_svg,
    bake_png,
    bake_svg,
    unbake,
)

CREDENTIAL = json.dumps(
    {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Safety <first> & \u00e9l\u00e8ves ]]> always",
    }
)
JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2lnbmF0dXJl"
OB3 = "https://purl.imsglobal.org/ob/v3p0"


def chunk(kind: bytes, data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")


def with_chunk(png: bytes, kind: bytes, data: bytes) -> bytes:
    """``png`` with one more chunk just before its end."""
    end = png.rindex(b"IEND") - 4
    return png[:end] + chunk(kind, data) + png[end:]


def itxt(keyword: bytes, text: bytes, *, compressed: bool = False) -> bytes:
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return keyword + b"\0" + flag + b"en\0\0" + (zlib.compress(text) if compressed else text)


@pytest.fixture(scope="module")
def png() -> bytes:
    return badge_png("Digital safety at work", "Lakeshore College")


@pytest.fixture(scope="module")
def svg() -> str:
    return badge_svg("Digital safety at work", "Lakeshore College")


@pytest.mark.parametrize("credential", [CREDENTIAL, JWT])
def test_a_credential_baked_into_a_png_comes_back_out_as_it_went_in(
    png: bytes, credential: str
) -> None:
    baked = bake_png(png, credential)

    assert unbake(baked, "badge.png") == credential
    with Image.open(io.BytesIO(baked)) as image:
        assert isinstance(image, PngImagePlugin.PngImageFile)
        assert image.text["openbadgecredential"] == credential  # as other readers see it
        assert image.size == (600, 600)


def test_baking_a_png_keeps_its_pixels_and_chunks_and_uses_one_uncompressed_itxt(
    png: bytes,
) -> None:
    baked = bake_png(png, CREDENTIAL)

    assert baked.count(b"openbadgecredential\x00\x00\x00") == 1
    assert (
        baked.replace(chunk(b"iTXt", b"openbadgecredential\0\0\0\0\0" + CREDENTIAL.encode()), b"")
        == png
    )


def test_rebaking_replaces_the_credential_rather_than_adding_one(png: bytes, svg: str) -> None:
    png_twice = bake_png(bake_png(png, CREDENTIAL), JWT)
    svg_twice = bake_svg(bake_svg(svg, CREDENTIAL), JWT)

    assert unbake(png_twice) == unbake(svg_twice.encode()) == JWT
    assert png_twice.count(b"openbadgecredential") == 1
    assert svg_twice.count("openbadges:credential") == 1


def test_a_json_credential_sits_in_cdata_right_after_the_svg_tag(svg: str) -> None:
    baked = bake_svg(svg, CREDENTIAL)
    root = etree.fromstring(baked.encode())

    assert root.nsmap["openbadges"] == OB3
    assert root[0].tag == f"{{{OB3}}}credential"
    assert "<![CDATA[" in baked
    assert json.loads(unbake(baked.encode())) == json.loads(CREDENTIAL)


def test_a_jwt_sits_in_the_verify_attribute(svg: str) -> None:
    baked = bake_svg(svg.encode(), JWT)

    assert etree.fromstring(baked.encode())[0].get("verify") == JWT
    assert unbake(baked.encode(), "badge.svg") == JWT


def test_an_svg_made_elsewhere_keeps_its_declaration_comments_and_drawing() -> None:
    original = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- drawn by hand -->\n'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="10" height="10"/></svg>'
    )

    baked = bake_svg(original, JWT)

    assert "<!-- drawn by hand -->" in baked
    assert '<rect width="10" height="10"/>' in baked
    assert unbake(baked.encode("utf-8")) == JWT


def test_the_default_badges_say_what_and_who_in_words(png: bytes, svg: str) -> None:
    root = etree.fromstring(svg.encode())
    names = {"svg": "http://www.w3.org/2000/svg"}

    assert root.get("role") == "img"
    assert root.findtext("svg:title", namespaces=names) == "Digital safety at work"
    assert root.findtext("svg:desc", namespaces=names) == "Issued by Lakeshore College"
    assert set(root.get("aria-labelledby", "").split()) == {
        element.get("id") for element in root if element.get("id")
    }
    with Image.open(io.BytesIO(png)) as image:
        assert isinstance(image, PngImagePlugin.PngImageFile)
        assert image.text == {"Title": "Digital safety at work", "Author": "Lakeshore College"}


def test_a_long_title_is_shortened_on_the_picture_but_whole_in_its_text() -> None:
    title = "Safe and responsible use of generative tools at work"

    root = etree.fromstring(badge_svg(title, "<Lakeshore & Co>").encode())
    names = {"svg": "http://www.w3.org/2000/svg"}

    assert root.findtext("svg:title", namespaces=names) == title
    assert root.findtext("svg:text", namespaces=names) == "Safe and responsible us…"
    assert root.findtext("svg:desc", namespaces=names) == "Issued by <Lakeshore & Co>"


def test_a_badge_made_elsewhere_may_carry_a_compressed_credential(png: bytes) -> None:
    baked = with_chunk(
        png, b"iTXt", itxt(b"openbadgecredential", CREDENTIAL.encode(), compressed=True)
    )

    assert unbake(baked) == CREDENTIAL


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"GIF89a\x01\x00", "photo.gif is not a PNG or SVG image"),
        (b"\x89PNG\r\n\x1a\nbroken", "not a readable PNG image"),
        (b"<svg", "not a readable SVG image"),
        (b"<html xmlns='http://www.w3.org/1999/xhtml'/>", "not an SVG image"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><circle r='1'/></svg>",
            "no Open Badges credential is baked in it",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:o='http://openbadges.org'>"
            b"<o:assertion verify='a.b.c'/></svg>",
            "Open Badges 2.0 assertion",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:o='https://purl.imsglobal.org/ob/v3p0'>"
            b"<o:credential verify='a.b.c'/><g><o:credential verify='d.e.f'/></g></svg>",
            "carries 2 credentials",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:o='https://purl.imsglobal.org/ob/v3p0'>"
            b"<o:credential>  </o:credential></svg>",
            "is empty",
        ),
    ],
)
def test_what_is_not_a_baked_badge_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(NotABadge) as refused:
        unbake(data, "photo.gif")

    assert reason in str(refused.value)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ([], "The file is an image, but no Open Badges credential is baked in it"),
        ([itxt(b"openbadges", b"{}")], "Open Badges 2.0 assertion"),
        ([itxt(b"openbadgecredential", b"{}")] * 2, "carries 2 credentials"),
        ([b"openbadgecredential\0\0"], "cannot be read"),
        ([itxt(b"openbadgecredential", b"\xff\xfe")], "cannot be read"),
        ([itxt(b"openbadgecredential", b"  ")], "is empty"),
        (
            [itxt(b"openbadgecredential", b"x" * (1024 * 1024 + 1), compressed=True)],
            "larger than 1 MiB",
        ),
        ([b"openbadgecredential\0\x01\x00en\0\0not deflate"], "cannot be read"),
    ],
)
def test_a_png_without_exactly_one_readable_credential_is_refused(
    png: bytes, extra: list[bytes], reason: str
) -> None:
    image = png
    for data in extra:
        image = with_chunk(image, b"iTXt", data)

    with pytest.raises(NotABadge, match=reason):
        unbake(image)


def test_a_png_chunk_with_a_wrong_checksum_is_refused(png: bytes) -> None:
    tampered = with_chunk(png, b"tEXt", b"Comment\0hello")
    tampered = tampered.replace(b"Comment\0hello", b"Comment\0jello")

    with pytest.raises(NotABadge, match="not a readable PNG image"):
        bake_png(tampered, CREDENTIAL)


def test_an_svg_cannot_make_the_server_read_its_files(tmp_path: Path) -> None:
    secret = "the server's secret"
    path = tmp_path / "secret.txt"
    path.write_text(secret)
    attack = (
        f'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY leak SYSTEM "file://{path}">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="https://purl.imsglobal.org/ob/v3p0">'
        "<o:credential>&leak;{}</o:credential></svg>"
    ).encode()

    try:
        carried = unbake(attack)
    except NotABadge:
        carried = ""

    assert secret not in carried
    assert secret not in bake_svg(attack, JWT)


@pytest.mark.parametrize("credential", ["", "[1, 2]", "not a credential", "a.b"])
def test_only_a_json_credential_or_a_jwt_can_be_baked(
    png: bytes, svg: str, credential: str
) -> None:
    for bake in (lambda: bake_png(png, credential), lambda: bake_svg(svg, credential)):
        with pytest.raises(NotABadge, match="JSON credential or a compact JWT"):
            bake()


def test_an_image_that_is_not_a_png_or_svg_cannot_be_baked() -> None:
    with pytest.raises(NotABadge, match="not a readable PNG image"):
        bake_png(b"GIF89a\x01\x00", CREDENTIAL)
    with pytest.raises(NotABadge, match="not an SVG image"):
        bake_svg("<html xmlns='http://www.w3.org/1999/xhtml'/>", CREDENTIAL)
