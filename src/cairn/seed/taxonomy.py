"""The demo's skills: Cairn's digital framework and its item bank always; ESCO, O*NET and
the NOC crosswalk when the public datasets are at hand; skill profiles for the demo roles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from cairn.assessment.bank_import import load_builtin_bank
from cairn.intelligence import service as intelligence_service
from cairn.kit.actor import Actor
from cairn.kit.progress import Progress
from cairn.orgs import repository as orgs_repository
from cairn.orgs import skill_profiles
from cairn.orgs.schemas import FromOccupation, SkillProfileItemWrite
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.importers import builtin, crosswalk, esco, onet
from cairn.taxonomy.importers.writer import ImportSummary
from cairn.taxonomy.search_repository import refresh_statistics

ONET_VERSION = "29.2"
DIGITAL_SLUG = "cairn-digital"

ROLE_OCCUPATIONS: dict[tuple[str, str], str] = {
    ("northwind-health", "Registered Nurse"): "29-1141.00",
    ("northwind-health", "Personal Support Worker"): "31-1122.00",
    ("northwind-health", "Physiotherapist"): "29-1123.00",
    ("northwind-health", "Health Records Clerk"): "29-2072.00",
    ("northwind-health", "Patient Navigator"): "43-4051.03",
    ("northwind-health", "IT Support Analyst"): "15-1232.00",
    ("northwind-health", "Clinical Data Analyst"): "15-2051.00",
    ("northwind-health", "Payroll Officer"): "43-3051.00",
    ("northwind-health", "HR Advisor"): "13-1071.00",
    ("maple-ridge-precision", "CNC Machinist"): "51-9161.00",
    ("maple-ridge-precision", "Assembler"): "51-2092.00",
    ("maple-ridge-precision", "Quality Technician"): "51-9061.00",
    ("maple-ridge-precision", "Production Supervisor"): "51-1011.00",
    ("maple-ridge-precision", "Office Administrator"): "43-9061.00",
    ("brightpath-logistics", "Warehouse Associate"): "53-7062.00",
    ("brightpath-logistics", "Forklift Operator"): "53-7051.00",
    ("brightpath-logistics", "Dispatcher"): "43-5032.00",
    ("brightpath-logistics", "Customer Service Representative"): "43-4051.00",
    ("brightpath-logistics", "Systems Administrator"): "15-1244.00",
}
"""O*NET-SOC occupations the demo roles start from (ESCO v1.2.0's shared copy has no
occupation-skill links, O*NET has importance and level for every skill)."""

DIGITAL_NEEDS: dict[str, tuple[tuple[str, int], ...]] = {
    "everyone": (("4.1", 3), ("4.2", 3), ("2.1", 3)),
    "office": (("1.3", 4), ("3.1", 3), ("5.2", 3)),
    "technical": (("5.1", 5), ("3.4", 4), ("1.2", 4)),
    "floor": (("5.1", 2), ("2.4", 2)),
}
"""Competences of Cairn's digital framework (code, target level 1-8) by kind of role."""

ROLE_KINDS: dict[str, str] = {
    "Health Records Clerk": "office",
    "Patient Navigator": "office",
    "Payroll Officer": "office",
    "HR Advisor": "office",
    "Office Administrator": "office",
    "Dispatcher": "office",
    "Customer Service Representative": "office",
    "IT Support Analyst": "technical",
    "Clinical Data Analyst": "technical",
    "Systems Administrator": "technical",
    "Production Supervisor": "office",
}


@dataclass(frozen=True)
class ReferenceSources:
    """Where the public datasets are; None for each one that is not available."""

    esco: list[Path] | None
    onet: Path | None
    noc_crosswalk: Path | None

    @classmethod
    def find(cls, shared: Path, esco_override: Path | None = None) -> ReferenceSources:
        esco_paths: list[Path] | None = None
        if esco_override is not None:
            esco_paths = [esco_override]
        elif (shared / "esco" / "v1.2.0").is_dir():
            esco_paths = [shared / "esco" / "v1.2.0"]
            rebuilt = shared / "esco" / "v1.2.0-rebuilt" / "skills_en.csv.gz"
            if rebuilt.is_file():
                esco_paths.append(rebuilt)
        onet_path = shared / "onet" / ONET_VERSION
        noc = shared / "noc" / "noc2021_onet26.csv"
        return cls(
            esco=esco_paths,
            onet=onet_path if onet_path.is_dir() else None,
            noc_crosswalk=noc if noc.is_file() else None,
        )


def load_reference_data(
    session: Session, sources: ReferenceSources, progress: Progress
) -> list[ImportSummary]:
    summaries = [
        builtin.load_digital_framework(session, progress=progress),
        load_builtin_bank(session, progress=progress),
    ]
    if sources.esco:
        summaries.append(esco.import_esco(session, sources.esco, version=None, progress=progress))
    if sources.onet:
        summaries.append(
            onet.import_onet(session, [sources.onet], version=ONET_VERSION, progress=progress)
        )
    if sources.noc_crosswalk:
        summaries.append(
            crosswalk.import_crosswalk(
                session,
                sources.noc_crosswalk,
                slug=None,
                source_system=None,
                target_system=None,
                progress=progress,
            )
        )
    intelligence_service.refresh_embeddings(session, progress)
    return summaries


def build_role_profiles(session: Session) -> None:
    """Each demo job role gets its O*NET occupation's essential skills (when O*NET is
    loaded) and the digital competences its kind of work needs."""
    operator = Actor.operator()
    digital = taxonomy_repository.find_framework(session, DIGITAL_SLUG)
    onet_framework = taxonomy_repository.find_framework(session, "onet")
    for (org_slug, title), soc_code in ROLE_OCCUPATIONS.items():
        org = orgs_repository.get_organisation_by_slug(session, org_slug)
        if org is None:
            continue
        target = skill_profiles.role_by_title(session, operator, org.id, title)
        if onet_framework is not None:
            found = taxonomy_repository.find_occupations_by_code(
                session, onet_framework.id, [soc_code]
            )
            if found:
                skill_profiles.start_from_occupation(
                    session, operator, target, FromOccupation(occupation_id=found[0].id)
                )
        if digital is None:
            continue
        needs = DIGITAL_NEEDS["everyone"] + DIGITAL_NEEDS[ROLE_KINDS.get(title, "floor")]
        for code, level in needs:
            skill = taxonomy_repository.find_skill_by_code(session, digital.id, code)
            if skill is not None:
                skill_profiles.set_item(
                    session,
                    operator,
                    target,
                    SkillProfileItemWrite(skill_id=skill.id, target_level=level, weight=3),
                )
    refresh_statistics(session)
