"""``cairn catalogue export`` writes what is on offer as CTDL JSON-LD, run for real."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from tests.cli import database, run_cairn
from tests.factories.catalogue import make_catalogue


def test_export_writes_one_issuers_offer_as_a_ctdl_graph(tmp_path: Path) -> None:
    assert run_cairn(tmp_path, "db", "upgrade").returncode == 0
    with database(tmp_path) as engine, Session(engine) as session:
        catalogue = make_catalogue(session)
        slug = catalogue.college.slug
        session.commit()
    output = tmp_path / "offer.jsonld"
    result = run_cairn(
        tmp_path, "catalogue", "export", "--format", "ctdl", "--org", slug, "--output", str(output)
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 micro-credentials" in result.stdout
    document = json.loads(output.read_text(encoding="utf-8"))
    names = sorted(
        node["ceterms:name"][next(iter(node["ceterms:name"]))]
        for node in document["@graph"]
        if node["@type"] == "ceterms:MicroCredential"
    )
    assert names == ["Care records, second edition", "Infection control", "Wound care essentials"]
