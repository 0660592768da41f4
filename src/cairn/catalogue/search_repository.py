"""Queries of the public catalogue: published versions by words and filters, their facets,
and what a public specification page shows. Words go through the full-text index of
migration 0007 (decisions 0013 and 0030): FTS5 on SQLite, a weighted tsvector on PostgreSQL,
both over title, summary and outcome statements, each word also a prefix."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVarTuple

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from cairn.catalogue.enums import Participation, VersionStatus
from cairn.catalogue.models import (
    Endorsement,
    LearningOutcome,
    Specification,
    SpecificationIssuer,
    SpecificationVersion,
)
from cairn.orgs.models import Organisation
from cairn.taxonomy.models import Framework, Skill, SkillBroader

TITLE_WEIGHT, TEXT_WEIGHT = 10.0, 1.0
"""SQLite bm25 column weights: a word in the title counts most (the title is also part of
the text). PostgreSQL weighs the title A and the text D."""
NARROWER_DEPTH = 4
"""How far down the skill hierarchy a skill filter reaches when narrower skills count."""
TERM = re.compile(r"[^\W_]+")
"""Letters and digits: nothing an FTS5 or tsquery expression would read as syntax."""


def _plain_letters() -> dict[int, str]:
    """The accented Latin letters PostgreSQL's index folds (migration 0007's ``translate``,
    made by the same rule); SQLite's folds them too, so "quebec" finds "Québec" on both."""
    plain: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        decomposed = unicodedata.normalize("NFKD", chr(code))
        base, marks = decomposed[0], decomposed[1:]
        if marks and base.isascii() and all(unicodedata.combining(mark) for mark in marks):
            plain[code] = base
    return plain


PLAIN_LETTERS = _plain_letters()

Column = ColumnElement[Any] | InstrumentedAttribute[Any]
Columns = TypeVarTuple("Columns")


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    PRICE = "price"


@dataclass(frozen=True)
class CatalogueFilter:
    words: Sequence[str] = ()
    """Lower-cased; each must begin a word of the title, the summary or an outcome."""
    skill_uri: str | None = None
    narrower: bool = False
    min_skill_level: int | None = None
    """An outcome aligned to the skill at this proficiency rank or above."""
    eqf_level: int | None = None
    region: str | None = None
    language: str | None = None
    max_price_minor: int | None = None
    participation: Participation | None = None
    endorser_id: uuid.UUID | None = None
    issuer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Entry:
    """One published version as a result line."""

    version_id: uuid.UUID
    org_slug: str
    org_name: str
    slug: str
    number: int
    title: str
    summary: str | None
    language: str
    region: str | None
    country: str | None
    eqf_level: int | None
    ects: float | None
    workload_hours: float | None
    participation: Participation | None
    price_minor: int | None
    currency: str | None
    published_at: datetime | None


def _terms(words: Sequence[str]) -> list[str]:
    return [term for word in words for term in TERM.findall(word.translate(PLAIN_LETTERS))]


def _with_words(
    session: Session, query: Select[*Columns], terms: Sequence[str]
) -> tuple[Select[*Columns], Column]:
    """The versions whose text has every term (each stemmed, and also a prefix, so "wound"
    finds "wounds"), and an order of relevance, best first."""
    if session.get_bind().dialect.name == "sqlite":
        fts: ColumnElement[Any] = literal_column("specification_versions_fts")
        query = query.join_from(
            SpecificationVersion,
            table("specification_versions_fts"),
            literal_column("specification_versions_fts.rowid")
            == literal_column("specification_versions.rowid"),
        ).where(fts.op("MATCH")(" AND ".join(f'"{term}"*' for term in terms)))
        return query, func.bm25(fts, TITLE_WEIGHT, TEXT_WEIGHT)
    tsquery = func.to_tsquery(
        literal_column("'english'::regconfig"), " & ".join(f"{term}:*" for term in terms)
    )
    vector: ColumnElement[Any] = literal_column("specification_versions.search_vector")
    return query.where(vector.op("@@")(tsquery)), func.ts_rank_cd(vector, tsquery).desc()


def _skill_ids(uri: str, narrower: bool) -> Select[uuid.UUID]:
    """The skills with this URI (one per framework version), and their narrower skills a
    few levels down when asked: one recursive query, the same on both databases."""
    roots = select(Skill.id.label("id"), literal(0, Integer).label("depth")).where(Skill.uri == uri)
    if not narrower:
        return select(roots.subquery().c.id.label("id"))
    tree = roots.cte("skill_tree", recursive=True)
    tree = tree.union_all(
        select(SkillBroader.skill_id, tree.c.depth + 1)
        .join(tree, SkillBroader.broader_id == tree.c.id)
        .where(tree.c.depth < NARROWER_DEPTH)
    )
    return select(tree.c.id)


def _conditions(filters: CatalogueFilter) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [SpecificationVersion.status == VersionStatus.PUBLISHED]
    if filters.skill_uri is not None:
        aligned = select(LearningOutcome.version_id).where(
            LearningOutcome.skill_id.in_(_skill_ids(filters.skill_uri, filters.narrower))
        )
        if filters.min_skill_level is not None:
            aligned = aligned.where(LearningOutcome.level >= filters.min_skill_level)
        found.append(SpecificationVersion.id.in_(aligned))
    if filters.eqf_level is not None:
        found.append(SpecificationVersion.eqf_level == filters.eqf_level)
    if filters.region is not None:
        region = filters.region.strip()
        found.append(
            or_(
                func.lower(SpecificationVersion.region) == region.lower(),
                SpecificationVersion.country == region.upper(),
            )
        )
    if filters.language is not None:
        language = filters.language.strip().lower()
        found.append(
            or_(
                func.lower(SpecificationVersion.language) == language,
                func.lower(SpecificationVersion.language).startswith(
                    f"{language}-", autoescape=True
                ),
            )
        )
    if filters.max_price_minor is not None:
        found.append(SpecificationVersion.price_minor <= filters.max_price_minor)
    if filters.participation is not None:
        found.append(SpecificationVersion.participation == filters.participation)
    if filters.endorser_id is not None:
        found.append(
            SpecificationVersion.id.in_(
                select(Endorsement.version_id).where(Endorsement.org_id == filters.endorser_id)
            )
        )
    if filters.issuer_id is not None:
        owned = select(Specification.id).where(Specification.owner_org_id == filters.issuer_id)
        found.append(
            or_(
                SpecificationVersion.specification_id.in_(owned),
                SpecificationVersion.id.in_(
                    select(SpecificationIssuer.version_id).where(
                        SpecificationIssuer.org_id == filters.issuer_id
                    )
                ),
            )
        )
    return found


def tally(
    session: Session, filters: CatalogueFilter
) -> list[tuple[Participation | None, str, int | None, int]]:
    """How many versions match, by form of participation, language and EQF level: one
    pass gives both the total and every facet."""
    counted = func.count().label("n")
    query = (
        select(
            SpecificationVersion.participation,
            SpecificationVersion.language,
            SpecificationVersion.eqf_level,
            counted,
        )
        .where(*_conditions(filters))
        .group_by(
            SpecificationVersion.participation,
            SpecificationVersion.language,
            SpecificationVersion.eqf_level,
        )
    )
    if terms := _terms(filters.words):
        query, _ = _with_words(session, query, terms)
    rows = session.execute(query).all()
    return [(participation, language, eqf, int(n)) for participation, language, eqf, n in rows]


def page_ids(
    session: Session, filters: CatalogueFilter, sort: Sort, *, limit: int, offset: int
) -> list[uuid.UUID]:
    """One page of matching versions; ties fall back to the title, then the identity, so
    pages never overlap."""
    query = select(SpecificationVersion.id).where(*_conditions(filters))
    order: list[Column] = []
    if terms := _terms(filters.words):
        query, relevance = _with_words(session, query, terms)
        if sort is Sort.RELEVANCE:
            order.append(relevance)
    if sort is Sort.PRICE:
        order += [SpecificationVersion.price_minor.is_(None), SpecificationVersion.price_minor]
    else:
        order.append(SpecificationVersion.published_at.desc())
    order += [SpecificationVersion.title, SpecificationVersion.id]
    return list(session.scalars(query.order_by(*order).limit(limit).offset(offset)))


def entries(session: Session, version_ids: Sequence[uuid.UUID]) -> list[Entry]:
    """The result lines of one page, in the order given."""
    if not version_ids:
        return []
    rows = session.execute(
        select(SpecificationVersion, Specification.slug, Organisation.slug, Organisation.name)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(SpecificationVersion.id.in_(list(version_ids)))
    ).all()
    found = {row[0].id: _entry(*row) for row in rows}
    return [found[version_id] for version_id in version_ids if version_id in found]


def _entry(version: SpecificationVersion, slug: str, org_slug: str, org_name: str) -> Entry:
    return Entry(
        version_id=version.id,
        org_slug=org_slug,
        org_name=org_name,
        slug=slug,
        number=version.number,
        title=version.title,
        summary=version.summary,
        language=version.language,
        region=version.region,
        country=version.country,
        eqf_level=version.eqf_level,
        ects=version.ects,
        workload_hours=version.workload_hours,
        participation=version.participation,
        price_minor=version.price_minor,
        currency=version.currency,
        published_at=version.published_at,
    )


def issuing_organisations(session: Session) -> Sequence[Organisation]:
    """Organisations that own a published specification: the issuer filter's choices."""
    published = (
        select(Specification.owner_org_id)
        .join(SpecificationVersion, SpecificationVersion.specification_id == Specification.id)
        .where(SpecificationVersion.status == VersionStatus.PUBLISHED)
    )
    return session.scalars(
        select(Organisation).where(Organisation.id.in_(published)).order_by(Organisation.name)
    ).all()


def endorsing_organisations(session: Session) -> Sequence[Organisation]:
    endorsing = (
        select(Endorsement.org_id)
        .join(SpecificationVersion, SpecificationVersion.id == Endorsement.version_id)
        .where(SpecificationVersion.status == VersionStatus.PUBLISHED)
    )
    return session.scalars(
        select(Organisation).where(Organisation.id.in_(endorsing)).order_by(Organisation.name)
    ).all()


def aligned_skills(session: Session, limit: int) -> list[tuple[str, str]]:
    """(URI, label) of the skills published outcomes align to, most used first: the skill
    filter's choices. One URI stands for the skill in every version of its framework."""
    used = func.count(func.distinct(LearningOutcome.version_id)).label("used")
    rows = session.execute(
        select(Skill.uri, func.min(Skill.preferred_label), used)
        .join(LearningOutcome, LearningOutcome.skill_id == Skill.id)
        .join(SpecificationVersion, SpecificationVersion.id == LearningOutcome.version_id)
        .where(SpecificationVersion.status == VersionStatus.PUBLISHED)
        .group_by(Skill.uri)
        .order_by(used.desc(), func.min(Skill.preferred_label))
        .limit(limit)
    ).all()
    return sorted(((uri, label) for uri, label, _ in rows), key=lambda row: row[1].lower())


# --- one specification ----------------------------------------------------------------


def public_versions(
    session: Session, org_slug: str, spec_slug: str
) -> tuple[Specification, Organisation, list[SpecificationVersion]] | None:
    """A specification and its versions that were ever published, newest first."""
    found = session.execute(
        select(Specification, Organisation)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(Organisation.slug == org_slug, Specification.slug == spec_slug)
    ).first()
    if found is None:
        return None
    specification, org = found
    versions = session.scalars(
        select(SpecificationVersion)
        .where(
            SpecificationVersion.specification_id == specification.id,
            SpecificationVersion.status.in_([VersionStatus.PUBLISHED, VersionStatus.RETIRED]),
            SpecificationVersion.published_at.is_not(None),
        )
        .order_by(SpecificationVersion.number.desc())
    ).all()
    return specification, org, list(versions)


def on_offer(
    session: Session, owner_org_id: uuid.UUID | None
) -> list[tuple[SpecificationVersion, Specification, Organisation]]:
    """Every version on offer now (one per specification), by issuer and slug."""
    query = (
        select(SpecificationVersion, Specification, Organisation)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(SpecificationVersion.status == VersionStatus.PUBLISHED)
        .order_by(Organisation.slug, Specification.slug)
    )
    if owner_org_id is not None:
        query = query.where(Specification.owner_org_id == owner_org_id)
    return [(version, specification, org) for version, specification, org in session.execute(query)]


def outcome_skills(
    session: Session, version_id: uuid.UUID
) -> list[tuple[LearningOutcome, Skill | None, Framework | None]]:
    rows = session.execute(
        select(LearningOutcome, Skill, Framework)
        .outerjoin(Skill, Skill.id == LearningOutcome.skill_id)
        .outerjoin(Framework, Framework.id == Skill.framework_id)
        .where(LearningOutcome.version_id == version_id)
        .order_by(LearningOutcome.position)
    ).all()
    return [(outcome, skill, framework) for outcome, skill, framework in rows]


def endorsements_of(
    session: Session, version_id: uuid.UUID
) -> list[tuple[Endorsement, Organisation]]:
    rows = session.execute(
        select(Endorsement, Organisation)
        .join(Organisation, Organisation.id == Endorsement.org_id)
        .where(Endorsement.version_id == version_id)
        .order_by(Organisation.name)
    ).all()
    return [(endorsement, org) for endorsement, org in rows]


def issuers_of(session: Session, version_id: uuid.UUID) -> Sequence[Organisation]:
    """The co-issuers named on the version, beside the owner."""
    return session.scalars(
        select(Organisation)
        .join(SpecificationIssuer, SpecificationIssuer.org_id == Organisation.id)
        .where(SpecificationIssuer.version_id == version_id)
        .order_by(Organisation.name)
    ).all()


@dataclass(frozen=True)
class PublicLink:
    """Where a specification is read in public: its issuer's and its own short names, and
    the version the page shows (the one on offer, else the newest published)."""

    specification_id: uuid.UUID
    version_id: uuid.UUID
    title: str
    org_slug: str
    slug: str


def public_links(
    session: Session, specification_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, PublicLink]:
    """Those of ``specification_ids`` ever published, each at the version its page shows."""
    if not specification_ids:
        return {}
    rows = session.execute(
        select(SpecificationVersion, Specification.slug, Organisation.slug)
        .join(Specification, Specification.id == SpecificationVersion.specification_id)
        .join(Organisation, Organisation.id == Specification.owner_org_id)
        .where(
            SpecificationVersion.specification_id.in_(list(specification_ids)),
            SpecificationVersion.status.in_([VersionStatus.PUBLISHED, VersionStatus.RETIRED]),
            SpecificationVersion.published_at.is_not(None),
        )
    ).all()
    found: dict[uuid.UUID, PublicLink] = {}
    # The one on offer last, else the newest: each overwrites the one before.
    for version, slug, org_slug in sorted(
        rows, key=lambda row: (row[0].status is VersionStatus.PUBLISHED, row[0].number)
    ):
        found[version.specification_id] = PublicLink(
            version.specification_id, version.id, version.title, org_slug, slug
        )
    return found
