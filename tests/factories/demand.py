"""Skills demand for tests: an importer, files of postings, and the employers' needs and
role profiles demand is counted from (made with the ORM: co-design has its own tests)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import demand_service
from cairn.catalogue.codesign_models import NeedSkill, SkillsNeed
from cairn.catalogue.demand_import import PostingsFile
from cairn.catalogue.enums import NeedStatus
from cairn.catalogue.skill_linking import PrepareLinker, model_linker
from cairn.kit.actor import Actor, Role
from cairn.orgs.enums import OrgKind
from cairn.orgs.models import Organisation, Person, SkillProfile, SkillProfileItem
from cairn.taxonomy.models import Framework, Skill
from tests.factories.orgs import actor, make_member, make_org, make_position

HEADER = ("title", "text", "region", "date", "id", "skills")


@dataclass(frozen=True)
class Importer:
    authority: Organisation
    person: Person
    actor: Actor


def make_importer(session: Session) -> Importer:
    """A program authority and one of its program administrators."""
    authority = make_org(session, name="Skills Fund", kind=OrgKind.PROGRAM_AUTHORITY)
    person = make_member(session, authority, Role.PROGRAM_ADMIN)
    return Importer(authority, person, actor(session, person))


def postings_csv(rows: Iterable[Sequence[str | None]], header: Sequence[str] = HEADER) -> bytes:
    """A CSV file; rows shorter than the header are padded, as spreadsheets write them,
    except rows ending in ``None``, which are written short."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if row and row[-1] is None:
            writer.writerow(row[:-1])
        else:
            writer.writerow([*row, *[""] * (len(header) - len(row))])
    return buffer.getvalue().encode()


def postings_jsonl(records: Iterable[object]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def import_csv(
    session: Session,
    importer: Importer,
    framework: Framework,
    rows: Iterable[Sequence[str | None]],
    *,
    source: str = "Job board",
    linker: PrepareLinker = model_linker,
) -> demand_service.ImportedBatch:
    return demand_service.import_postings(
        session,
        importer.actor,
        source=source,
        postings=PostingsFile("postings.csv", postings_csv(rows)),
        framework=f"{framework.slug}@{framework.version}",
        org_id=importer.authority.id,
        linker=linker,
    )


def make_need(
    session: Session,
    employer: Organisation,
    skills: Iterable[Skill],
    *,
    headcount: int | None = None,
    status: NeedStatus = NeedStatus.OPEN,
    region: str | None = None,
) -> SkillsNeed:
    need = SkillsNeed(
        org_id=employer.id,
        title="People who can do this",
        headcount=headcount,
        status=status,
        region=region,
    )
    session.add(need)
    session.flush()
    session.add_all(NeedSkill(need_id=need.id, skill_id=skill.id) for skill in skills)
    session.flush()
    return need


def make_role_profile(
    session: Session, employer: Organisation, skills: Iterable[Skill]
) -> SkillProfile:
    profile = SkillProfile(org_id=employer.id, position_id=make_position(session, employer).id)
    session.add(profile)
    session.flush()
    session.add_all(
        SkillProfileItem(profile_id=profile.id, skill_id=skill.id, target_level=2)
        for skill in skills
    )
    session.flush()
    return profile
