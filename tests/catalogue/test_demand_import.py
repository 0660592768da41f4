"""Importing job postings: CSV and JSON lines read alike, skills found by what a posting
lists and by labels word for word, and a file with any bad row refused whole, every bad row
named by file, line and field."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cairn.catalogue import demand_service
from cairn.catalogue.demand_import import MAX_PROBLEMS, PostingsFile, PostingsRefused
from cairn.catalogue.demand_models import JobPosting, PostingBatch, PostingSkill
from cairn.catalogue.demand_repository import SkillLabels
from cairn.catalogue.enums import SkillMatch
from cairn.catalogue.skill_linking import (
    ExactLinker,
    Match,
    PostingText,
    SkillLinker,
    exact_linker,
)
from cairn.taxonomy.models import Framework, Skill
from tests.factories.demand import (
    Importer,
    import_csv,
    make_importer,
    postings_csv,
    postings_jsonl,
)
from tests.factories.intelligence import with_embeddings
from tests.factories.taxonomy import make_framework, make_skill


@dataclass(frozen=True)
class Vocabulary:
    framework: Framework
    spreadsheets: Skill
    wound_care: Skill
    wounds: Skill
    less: Skill
    java: Skill


@pytest.fixture
def vocabulary(session: Session) -> Vocabulary:
    framework = make_framework(session)
    vocabulary = Vocabulary(
        framework=framework,
        spreadsheets=make_skill(
            session, framework, "use spreadsheets software", alt_labels=["spreadsheets", "Excel"]
        ),
        wound_care=make_skill(session, framework, "wound care", code="WC-1"),
        wounds=make_skill(session, framework, "wound"),
        less=make_skill(session, framework, "LESS"),
        java=make_skill(session, framework, "Java", alt_labels=["J"]),
    )
    with_embeddings(session, framework)
    return vocabulary


def _linked(session: Session, batch: PostingBatch) -> dict[int, set[tuple[uuid.UUID, SkillMatch]]]:
    rows = session.execute(
        select(JobPosting.line, PostingSkill.skill_id, PostingSkill.matched_by)
        .join(PostingSkill, PostingSkill.posting_id == JobPosting.id)
        .where(JobPosting.batch_id == batch.id)
    )
    found: dict[int, set[tuple[uuid.UUID, SkillMatch]]] = {}
    for line, skill_id, matched_by in rows:
        found.setdefault(line, set()).add((skill_id, matched_by))
    return found


def _batches(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(PostingBatch)) or 0


def test_the_skill_linker_adds_skills_named_in_other_words(
    session: Session, vocabulary: Vocabulary
) -> None:
    imported = import_csv(
        session,
        make_importer(session),
        vocabulary.framework,
        [
            ("Ward clerk", "Keep the rota in Excel.", "Sudbury", "2026-01-15"),
            ("Analyst", "Build budgets in spreadsheet programs.", "Sudbury", "2026-01-16"),
        ],
    )
    batch = imported.batch
    assert batch.linker == "exact-label-v1+cairn-linker-v1/wordllama-l2-supercat-256"
    linked = _linked(session, batch)
    assert (vocabulary.spreadsheets.id, SkillMatch.LABEL) in linked[2]  # written out: exact
    assert (vocabulary.spreadsheets.id, SkillMatch.MODEL) in linked[3]  # in other words
    span = session.scalars(
        select(PostingSkill.span)
        .join(JobPosting, JobPosting.id == PostingSkill.posting_id)
        .where(JobPosting.batch_id == batch.id, JobPosting.line == 3)
    ).one()
    assert span is not None
    assert "spreadsheet" in span


def test_a_csv_file_is_imported_with_listed_and_found_skills(
    session: Session, vocabulary: Vocabulary
) -> None:
    importer = make_importer(session)
    imported = import_csv(
        session,
        importer,
        vocabulary.framework,
        [
            ("Ward clerk", "Keep the rota in Excel and spreadsheets.", "Sudbury", "2026-01-15"),
            ("Nurse", "Wound-care and wound dressing; less paperwork.", "", "2026-02-01"),
            ("Developer", "Java and LESS; not javascript.", "Sudbury", "2026-03-01"),
            ("Porter", "Moving patients safely.", "Sudbury", "2026-03-02", "p-4", "WC-1;wound"),
        ],
        linker=exact_linker,
    )

    batch = imported.batch
    assert (batch.postings, batch.mentions, batch.linker) == (4, 7, "exact-label-v1")
    assert (imported.skills, imported.unlinked) == (5, 0)
    v = vocabulary
    assert _linked(session, batch) == {
        2: {(v.spreadsheets.id, SkillMatch.LABEL)},
        3: {(v.wound_care.id, SkillMatch.LABEL), (v.wounds.id, SkillMatch.LABEL)},
        4: {(v.java.id, SkillMatch.LABEL), (v.less.id, SkillMatch.LABEL)},
        5: {(v.wound_care.id, SkillMatch.LISTED), (v.wounds.id, SkillMatch.LISTED)},
    }
    posting = session.scalars(select(JobPosting).where(JobPosting.line == 3)).one()
    assert posting.region is None
    assert session.scalars(select(JobPosting.external_id).where(JobPosting.line == 5)).one() == (
        "p-4"
    )


def test_json_lines_read_as_csv_does(session: Session, vocabulary: Vocabulary) -> None:
    importer = make_importer(session)
    imported = demand_service.import_postings(
        session,
        importer.actor,
        source="Job board, JSON",
        postings=PostingsFile(
            "postings.jsonl",
            postings_jsonl(
                [
                    {"title": "Clerk", "text": "Spreadsheets daily.", "date": "2026-01-15"},
                    {
                        "title": "Nurse",
                        "text": "Night shifts.",
                        "region": "Sudbury",
                        "date": "2026-02-01",
                        "id": "n-1",
                        "skills": [vocabulary.wound_care.uri],
                    },
                ]
            ),
        ),
        framework=f"{vocabulary.framework.slug}@{vocabulary.framework.version}",
        org_id=importer.authority.id,
    )

    assert _linked(session, imported.batch) == {
        1: {(vocabulary.spreadsheets.id, SkillMatch.LABEL)},
        2: {(vocabulary.wound_care.id, SkillMatch.LISTED)},
    }
    assert imported.batch.filename == "postings.jsonl"


def test_the_longest_label_wins_on_word_boundaries_and_names_keep_their_case() -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    linker = ExactLinker(
        [
            SkillLabels(a, "urn:a", None, "care", ()),
            SkillLabels(b, "urn:b", None, "wound care", ("dressing wounds",)),
            SkillLabels(c, "urn:c", None, "C++", ("IT",)),
            SkillLabels(d, "urn:d", None, "problem solving", ("care",)),
        ]
    )

    found = linker.link(
        PostingText("Wound care nurse", "Problem-solving, C++; it is careful care.")
    )
    assert {(m.skill_id, m.span) for m in found} == {
        (b, "Wound care"),
        (d, "Problem-solving"),
        (c, "C++"),
        (a, "care"),
    }
    assert linker.link(PostingText("", "carefully it")) == []


def test_every_bad_row_is_named_and_nothing_is_imported(
    session: Session, vocabulary: Vocabulary
) -> None:
    importer = make_importer(session)
    good = ("Clerk", "Spreadsheets.", "Sudbury", "2026-01-15", "", "")
    rows = [
        good,
        ("", "No title.", "Sudbury", "2026-01-15", "", ""),
        ("Clerk", "Bad date.", "Sudbury", "15/01/2026", "", ""),
        ("Clerk", "No such day.", "Sudbury", "2026-02-30", "", ""),
        ("Clerk", "Unknown skill.", "Sudbury", "2026-01-15", "", "juggling"),
        ("Clerk", "Too few values.", "Sudbury", None),
        ("x" * 301, "Long title.", "Sudbury", "2026-01-15", "", ""),
        ("Clerk", "First.", "Sudbury", "2026-01-15", "dup", ""),
        ("Clerk", "Same id.", "Sudbury", "2026-01-15", "dup", ""),
        ("Clerk", "", "Sudbury", "", "", ""),
    ]

    with pytest.raises(PostingsRefused) as refused:
        import_csv(session, importer, vocabulary.framework, rows)

    assert [(p.file, p.line, p.column) for p in refused.value.problems] == [
        ("postings.csv", 3, "title"),
        ("postings.csv", 4, "date"),
        ("postings.csv", 5, "date"),
        ("postings.csv", 7, "-"),
        ("postings.csv", 8, "title"),
        ("postings.csv", 11, "text"),
        ("postings.csv", 11, "date"),
        ("postings.csv", 10, "id"),
        ("postings.csv", 6, "skills"),
    ]
    assert "juggling" in refused.value.problems[-1].reason
    assert {e.field for e in refused.value.field_errors} == {"file"}
    assert _batches(session) == 0
    assert session.scalar(select(func.count()).select_from(JobPosting)) == 0


def test_bad_json_lines_and_headers_are_named(session: Session, vocabulary: Vocabulary) -> None:
    importer = make_importer(session)

    def refused(name: str, data: bytes) -> list[tuple[int, str]]:
        with pytest.raises(PostingsRefused) as error:
            demand_service.import_postings(
                session,
                importer.actor,
                source="Bad",
                postings=PostingsFile(name, data),
                framework=f"{vocabulary.framework.slug}@{vocabulary.framework.version}",
                org_id=importer.authority.id,
            )
        return [(p.line, p.column) for p in error.value.problems]

    lines = b"\n".join(
        [
            b'{"title": "Clerk", "text": "Fine.", "date": "2026-01-15"}',
            b"{not json",
            b'["a list"]',
            b'{"title": 3, "text": "Typed.", "date": "2026-01-15", "salary": 1}',
            b'{"title": "Clerk", "text": "Skills.", "date": "2026-01-15", "skills": "Excel"}',
            b"",
        ]
    )
    assert refused("postings.jsonl", lines) == [
        (2, "-"),
        (3, "-"),
        (4, "salary"),
        (4, "title"),
        (5, "skills"),
    ]
    assert refused("postings.csv", postings_csv([], header=("title", "body", "date"))) == [
        (1, "body"),
        (1, "text"),
        (1, "region"),
    ]
    assert refused("postings.csv", b"") == [(1, "-")]
    assert refused("postings.csv", b"title,text,region,date\n\xff\n") == [(2, "-")]
    assert _batches(session) == 0


def test_problems_past_the_cap_are_counted_not_listed(
    session: Session, vocabulary: Vocabulary
) -> None:
    importer = make_importer(session)
    rows = [("Clerk", "Text.", "Sudbury", "never", "", "")] * (MAX_PROBLEMS + 20)

    with pytest.raises(PostingsRefused) as refused:
        import_csv(session, importer, vocabulary.framework, rows)

    assert len(refused.value.problems) == MAX_PROBLEMS
    assert refused.value.more == 20
    assert "120 problems" in str(refused.value.message)


class ListedOnly(SkillLinker):
    """A stand-in for the later linker: it understands listed URIs and nothing else."""

    name = "listed-only"

    def __init__(self, skills: dict[str, uuid.UUID]) -> None:
        self.skills = skills

    def link(self, posting: PostingText) -> list[Match]:
        return [
            Match(self.skills[entry], SkillMatch.LISTED, entry)
            for entry in posting.listed
            if entry in self.skills
        ]


def test_another_linker_can_replace_the_exact_one(session: Session, vocabulary: Vocabulary) -> None:
    importer: Importer = make_importer(session)
    uri = vocabulary.java.uri

    imported = demand_service.import_postings(
        session,
        importer.actor,
        source="Job board",
        postings=PostingsFile(
            "p.csv", postings_csv([("Dev", "Java, spreadsheets.", "", "2026-01-01", "", uri)])
        ),
        framework=f"{vocabulary.framework.slug}@{vocabulary.framework.version}",
        org_id=importer.authority.id,
        linker=lambda _session, _framework: ListedOnly({uri: vocabulary.java.id}),
    )

    assert imported.batch.linker == "listed-only"
    assert _linked(session, imported.batch) == {2: {(vocabulary.java.id, SkillMatch.LISTED)}}


def test_real_esco_labels_are_found(session: Session, esco: Framework) -> None:
    importer = make_importer(session)
    text = (
        "Personal support worker. You will provide home care, assist with personal hygiene, "
        "and use Microsoft Office. Knowledge of first aid and teamwork principles."
    )

    imported = demand_service.import_postings(
        session,
        importer.actor,
        source="ESCO check",
        postings=PostingsFile("esco.csv", postings_csv([("PSW", text, "Sudbury", "2026-05-01")])),
        org_id=importer.authority.id,
    )

    spans = dict(
        session.execute(
            select(Skill.preferred_label, PostingSkill.span)
            .join(PostingSkill, PostingSkill.skill_id == Skill.id)
            .where(Skill.framework_id == esco.id)
        ).all()
    )
    assert spans["first aid"] == "first aid"
    assert spans["teamwork principles"] == "teamwork principles"
    assert spans["provide domestic care"] == "provide home care"
    assert imported.batch.framework_id == esco.id
