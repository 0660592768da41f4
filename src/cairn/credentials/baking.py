"""Open Badges 3.0 baked badges: a credential carried inside its own badge image.

A PNG carries it in one uncompressed ``iTXt`` chunk with the keyword
``openbadgecredential``; an SVG in one ``<openbadges:credential>`` element (namespace
``https://purl.imsglobal.org/ob/v3p0``) right after the root ``<svg>``, the JSON inside
CDATA or a compact JWT in its ``verify`` attribute (OB 3.0, "Baked Badges"). An image may
carry only one credential, so baking an already baked image replaces what it carried.

PNGs are baked chunk by chunk rather than re-encoded: the pixels, colour profile,
animation and any other metadata of a badge designed elsewhere come back unchanged. SVGs
are parsed without loading DTDs, resolving entities or touching the network, since the
file may come from anyone."""

from __future__ import annotations

import io
import json
import zlib
from typing import Final

from lxml import etree
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from cairn.credentials import jose
from cairn.kit.i18n import LazyString, gettext, lazy_gettext

OB3_NAMESPACE: Final = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE: Final = "http://openbadges.org"
SVG_NAMESPACE: Final = "http://www.w3.org/2000/svg"
PNG_KEYWORD: Final = b"openbadgecredential"
PNG_OB2_KEYWORD: Final = b"openbadges"
MAX_CREDENTIAL_BYTES: Final = 1024 * 1024
"""A compressed chunk from elsewhere is inflated no further than this."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CREDENTIAL_TAG = f"{{{OB3_NAMESPACE}}}credential"
_OB2_TAG = f"{{{OB2_NAMESPACE}}}assertion"
_SVG_TAG = f"{{{SVG_NAMESPACE}}}svg"


class NotABadge(ValueError):
    """The file is not an image that can carry a credential, or does not carry exactly
    one; the message says which, for the person who chose the file."""

    def __init__(self, message: LazyString) -> None:
        super().__init__(message)
        self.message = message


def bake_png(image: bytes, credential: str) -> bytes:
    """``image`` carrying ``credential`` (JSON or a compact JWT) in place of any it had."""
    text = _credential_text(credential).encode("utf-8")
    chunks = [chunk for chunk in _png_chunks(image) if not _is_credential_chunk(chunk)]
    baked = _png_chunk(b"iTXt", PNG_KEYWORD + b"\0\0\0\0\0" + text)
    return _PNG_SIGNATURE + chunks[0] + baked + b"".join(chunks[1:])


def bake_svg(svg: str | bytes, credential: str) -> str:
    """``svg`` carrying ``credential`` (JSON or a compact JWT) in place of any it had."""
    text = _credential_text(credential)
    root = _svg_root(svg)
    etree.strip_elements(root, _CREDENTIAL_TAG, with_tail=False)
    element = etree.Element(_CREDENTIAL_TAG, nsmap={"openbadges": OB3_NAMESPACE})
    if _is_jwt(text):
        element.set("verify", text)
    else:
        # "]]>" can only sit inside a JSON string, where \u003e means the same ">".
        element.text = etree.CDATA(text.replace("]]>", "]]\\u003e"))
    root.insert(0, element)
    etree.cleanup_namespaces(root, top_nsmap={"openbadges": OB3_NAMESPACE})
    return etree.tostring(root.getroottree(), encoding="unicode")


def unbake(data: bytes, filename: str | None = None) -> str:
    """The credential a baked PNG or SVG carries, as the JSON or JWT text it was baked with;
    ``filename`` only names the file in the reason it is refused."""
    name = filename or gettext("The file")
    if data.startswith(_PNG_SIGNATURE):
        return _unbake_png(data, name)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return _unbake_svg(data, name)
    raise NotABadge(
        lazy_gettext("%(name)s is not a PNG or SVG image, so it cannot carry a badge.", name=name)
    )


def _is_jwt(text: str) -> bool:
    """A JSON credential may hold exactly two dots too; a JWT never starts with a brace."""
    return not text.startswith("{") and jose.looks_like_jwt(text)


def _credential_text(credential: str) -> str:
    text = credential.strip()
    if _is_jwt(text):
        return text
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = None
    if not isinstance(parsed, dict):
        raise NotABadge(
            lazy_gettext("Only a JSON credential or a compact JWT can be baked into a badge.")
        )
    return text


def _png_chunks(png: bytes) -> list[bytes]:
    """Every chunk of a PNG whose checksums Pillow verified, up to and with ``IEND``."""
    try:
        with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise NotABadge(
            lazy_gettext("This is not a readable PNG image: %(why)s", why=str(error))
        ) from error
    chunks: list[bytes] = []
    position = len(_PNG_SIGNATURE)
    while not chunks or chunks[-1][4:8] != b"IEND":
        length = int.from_bytes(png[position : position + 4], "big")
        chunks.append(png[position : position + 12 + length])
        position += 12 + length
    return chunks


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(kind + data)
    return len(data).to_bytes(4, "big") + kind + data + checksum.to_bytes(4, "big")


def _keyword(chunk: bytes) -> bytes | None:
    if chunk[4:8] != b"iTXt":
        return None
    return chunk[8:-4].split(b"\0", 1)[0]


def _is_credential_chunk(chunk: bytes) -> bool:
    return _keyword(chunk) == PNG_KEYWORD


def _unbake_png(png: bytes, name: str) -> str:
    chunks = _png_chunks(png)
    baked = [chunk[8:-4] for chunk in chunks if _is_credential_chunk(chunk)]
    if len(baked) > 1:
        raise NotABadge(
            lazy_gettext(
                "%(name)s carries %(count)s credentials; a badge image may carry only one.",
                name=name,
                count=len(baked),
            )
        )
    if not baked:
        if any(_keyword(chunk) == PNG_OB2_KEYWORD for chunk in chunks):
            raise NotABadge(_ob2_badge(name))
        raise NotABadge(_no_credential(name))
    try:
        _, _, rest = baked[0].partition(b"\0")
        compressed, text = rest[0], rest[2:].split(b"\0", 2)[2]
        if compressed:
            inflater = zlib.decompressobj()
            text = inflater.decompress(text, MAX_CREDENTIAL_BYTES)
            if inflater.unconsumed_tail:
                raise ValueError("the credential is larger than 1 MiB")
        return _non_empty(text.decode("utf-8"), name)
    except (IndexError, ValueError, zlib.error) as error:
        raise NotABadge(
            lazy_gettext(
                "The credential inside %(name)s cannot be read: %(why)s", name=name, why=str(error)
            )
        ) from error


def _svg_root(svg: str | bytes) -> etree._Element:
    # No DTD, no entity expansion, no network: a file from anyone cannot read local files
    # (XXE) or blow up in memory (billion laughs).
    parser = etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    try:
        root = etree.fromstring(svg.encode("utf-8") if isinstance(svg, str) else svg, parser)
    except etree.XMLSyntaxError as error:
        raise NotABadge(
            lazy_gettext("This is not a readable SVG image: %(why)s", why=str(error))
        ) from error
    if root.tag != _SVG_TAG:
        raise NotABadge(lazy_gettext("This XML file is not an SVG image."))
    return root


def _unbake_svg(data: bytes, name: str) -> str:
    root = _svg_root(data)
    found = list(root.iter(_CREDENTIAL_TAG))
    if len(found) > 1:
        raise NotABadge(
            lazy_gettext(
                "%(name)s carries %(count)s credentials; a badge image may carry only one.",
                name=name,
                count=len(found),
            )
        )
    if not found:
        if next(root.iter(_OB2_TAG), None) is not None:
            raise NotABadge(_ob2_badge(name))
        raise NotABadge(_no_credential(name))
    element = found[0]
    return _non_empty(element.get("verify") or "".join(element.itertext()), name)


def _non_empty(text: str, name: str) -> str:
    if not text.strip():
        raise NotABadge(lazy_gettext("The credential element inside %(name)s is empty.", name=name))
    return text.strip()


def _no_credential(name: str) -> LazyString:
    return lazy_gettext(
        "%(name)s is an image, but no Open Badges credential is baked in it.", name=name
    )


def _ob2_badge(name: str) -> LazyString:
    return lazy_gettext(
        "%(name)s carries an Open Badges 2.0 assertion; Cairn reads Open Badges 3.0 credentials.",
        name=name,
    )


# The default badge: a cairn of four stones on a round plate, drawn the same in SVG and PNG.
_SIZE = 300
_STONES = (
    (150, 212, 74, 25, "#4f5d50"),
    (150, 170, 58, 21, "#6f8270"),
    (150, 134, 44, 18, "#98a890"),
    (150, 104, 30, 14, "#c3cdb6"),
)
_PLATE = "#f3efe6"
_INK = "#2e3a2f"
_TITLE_CHARACTERS = 24


def _short(title: str) -> str:
    title = " ".join(title.split())
    return (
        title if len(title) <= _TITLE_CHARACTERS else title[: _TITLE_CHARACTERS - 1].rstrip() + "…"
    )


def _svg(tag: str) -> str:
    return f"{{{SVG_NAMESPACE}}}{tag}"


def badge_svg(title: str, issuer: str) -> str:
    """An accessible badge image for a credential whose achievement has no image of its own:
    its text alternative names the achievement and the issuer."""
    svg = etree.Element(
        _SVG_TAG,
        nsmap={None: SVG_NAMESPACE},
        attrib={
            "viewBox": f"0 0 {_SIZE} {_SIZE}",
            "width": str(_SIZE),
            "height": str(_SIZE),
            "role": "img",
            "aria-labelledby": "badge-title badge-description",
        },
    )
    etree.SubElement(svg, _svg("title"), id="badge-title").text = title
    etree.SubElement(svg, _svg("desc"), id="badge-description").text = gettext(
        "Issued by %(issuer)s", issuer=issuer
    )
    etree.SubElement(
        svg,
        _svg("circle"),
        cx="150",
        cy="150",
        r="144",
        fill=_PLATE,
        stroke=_INK,
        attrib={"stroke-width": "6"},
    )
    for x, y, rx, ry, colour in _STONES:
        etree.SubElement(
            svg, _svg("ellipse"), cx=str(x), cy=str(y), rx=str(rx), ry=str(ry), fill=colour
        )
    text = etree.SubElement(
        svg,
        _svg("text"),
        x="150",
        y="262",
        fill=_INK,
        attrib={"text-anchor": "middle", "font-family": "sans-serif", "font-size": "17"},
    )
    text.text = _short(title)
    return etree.tostring(svg, encoding="unicode")


def badge_png(title: str, issuer: str) -> bytes:
    """The default badge as a PNG, drawn with Pillow's own font; the title and issuer
    travel in its ``Title`` and ``Author`` text chunks."""
    scale = 2
    image = Image.new("RGBA", (_SIZE * scale, _SIZE * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse(
        [6 * scale, 6 * scale, (_SIZE - 6) * scale, (_SIZE - 6) * scale],
        fill=_PLATE,
        outline=_INK,
        width=6 * scale,
    )
    for x, y, rx, ry, colour in _STONES:
        draw.ellipse(
            [(x - rx) * scale, (y - ry) * scale, (x + rx) * scale, (y + ry) * scale], fill=colour
        )
    font = ImageFont.load_default(size=17 * scale)
    label = _short(title)
    width = draw.textlength(label, font=font)
    draw.text(((_SIZE * scale - width) / 2, 244 * scale), label, fill=_INK, font=font)
    info = PngImagePlugin.PngInfo()
    info.add_itxt("Title", title)
    info.add_itxt("Author", issuer)
    output = io.BytesIO()
    image.save(output, format="PNG", pnginfo=info)
    return output.getvalue()
