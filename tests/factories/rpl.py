"""Recognition-of-prior-learning claims, and small real files to back them."""

from __future__ import annotations

import struct
import zlib

from sqlalchemy.orm import Session

from cairn.assessment import rpl
from cairn.assessment.models import RplClaim
from cairn.assessment.rpl_schemas import ClaimCreate, LinkWrite
from cairn.orgs.models import Organisation, Person
from cairn.taxonomy.models import Skill
from tests.factories.orgs import actor


def tiny_pdf(text: str = "Certificate of completion") -> bytes:
    """A one-page PDF that readers open: a page with one line of text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def make_claim(
    session: Session,
    person: Person,
    org: Organisation,
    skill: Skill,
    *,
    level: int = 2,
    with_file: bool = True,
) -> RplClaim:
    """A claim as the learner would submit it: a link, and a PDF unless ``with_file`` is off."""
    return rpl.submit_claim(
        session,
        actor(session, person),
        ClaimCreate(
            org_id=org.id,
            skill_id=skill.id,
            claimed_level=level,
            statement="Three years dressing wounds at a community clinic.",
            links=[LinkWrite(url="https://portfolio.example.org/wounds", title="Portfolio")],
        ),
        [rpl.Upload("certificate.pdf", tiny_pdf())] if with_file else [],
    )
