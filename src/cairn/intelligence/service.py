"""Skill intelligence use cases: skills named in a text, occupations for a job title, and
the stored embeddings they need. Higher domains (role profiles, catalogue alignment,
learner profiles, job postings) call these and decide what to do with the suggestions."""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from cairn.config import get_settings
from cairn.intelligence import repository, store
from cairn.intelligence.concepts import Concept
from cairn.intelligence.embedders import Embedder, embedder_named
from cairn.intelligence.errors import EmbeddingsMissing, EmptyText
from cairn.intelligence.index import ConceptIndex
from cairn.intelligence.linker import Linker, Ranked, TitleMatcher, checked_text
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.kit.progress import NoProgress, Progress
from cairn.taxonomy import service as taxonomy_service
from cairn.taxonomy.models import Framework

DEFAULT_TOP = 10
MAX_TOP = 100
MIN_SCORE = 1.15
"""Below this a per-sentence finding is not suggested. A label or alternative label
written word for word in a short list item scores about 1.2 to 1.8; on the dev sets, the
top three per sentence above 1.15 hold 98% of the annotated skills, and the rest are near
misses a person dismisses at a glance (decision 0040)."""
DEFAULT_FRAMEWORK = "esco"


class ConceptKind(StrEnum):
    SKILLS = "skills"
    OCCUPATIONS = "occupations"


@dataclass(frozen=True)
class Suggestion:
    concept_id: uuid.UUID
    uri: str
    label: str
    score: float
    quote: str
    """The words of the text it was found in."""
    start: int
    end: int
    matched_label: str
    """The label or alternative label those words fit; the preferred label when equal."""


@dataclass(frozen=True)
class Suggestions:
    framework: Framework
    embedder: str
    items: list[Suggestion]


def current_embedder() -> Embedder:
    """The model settings name, loaded once per process."""
    return embedder_named(get_settings().embedder)


def _framework(session: Session, actor: Actor, name: str | None) -> Framework:
    """The framework a person named, or ESCO when they named none; unknown names and
    frameworks outside the caller's organisations are refused alike."""
    return taxonomy_service.framework_by_slug(session, actor, name or DEFAULT_FRAMEWORK)


def _concepts(session: Session, framework: Framework, kind: ConceptKind) -> list[Concept]:
    if kind is ConceptKind.SKILLS:
        return repository.skill_concepts(session, framework.id)
    return repository.occupation_concepts(session, framework.id)


def _file(framework: Framework, kind: ConceptKind, embedder: Embedder) -> str:
    return store.file_name(framework.slug, framework.version, kind, framework.id.hex, embedder.name)


def _cache_key(framework: Framework, kind: ConceptKind, embedder: Embedder) -> Hashable:
    """Changes with every import or edit of the framework, so a cached index is never
    older than its framework."""
    return (framework.id, framework.imported_at, framework.updated_at, kind, embedder.name)


def _index(session: Session, framework: Framework, kind: ConceptKind) -> ConceptIndex:
    embedder = current_embedder()
    key = _cache_key(framework, kind, embedder)
    found = store.cached(key)
    if found is not None:
        return found
    concepts = _concepts(session, framework, kind)
    if not concepts:
        message = lazy_gettext(
            "%(framework)s %(version)s has no %(kind)s to link to.",
            framework=framework.title,
            version=framework.version,
            kind=_kind_name(kind),
        )
        raise InvalidInput(message, [FieldError("framework", message)])
    loaded = store.stored(_file(framework, kind, embedder), concepts, embedder)
    if loaded is None:
        raise EmbeddingsMissing(
            lazy_gettext(
                "The %(kind)s of %(framework)s %(version)s have no embeddings for the "
                "%(model)s model yet (or the framework changed since). Build them with: "
                "cairn skills index --framework %(slug)s@%(version)s",
                kind=_kind_name(kind),
                framework=framework.title,
                version=framework.version,
                model=embedder.name,
                slug=framework.slug,
            )
        )
    return store.remember(key, loaded)


def _kind_name(kind: ConceptKind) -> str:
    return gettext("skills") if kind is ConceptKind.SKILLS else gettext("occupations")


def _top(top: int) -> int:
    if not 1 <= top <= MAX_TOP:
        message = lazy_gettext("Ask for between 1 and %(most)s suggestions.", most=MAX_TOP)
        raise InvalidInput(message, [FieldError("top", message)])
    return top


def suggest_skills(
    session: Session,
    actor: Actor,
    *,
    text: str,
    framework: str | None = None,
    top: int = DEFAULT_TOP,
    min_score: float = MIN_SCORE,
) -> Suggestions:
    """The skills a job ad, a course outcome, a CV or any free text names, best first,
    each with the words it was found in. Suggestions only: a person confirms them."""
    top = _top(top)
    try:
        text = checked_text(text)
    except EmptyText as refused:
        raise EmptyText(refused.message, [FieldError("text", refused.message)]) from None
    chosen = _framework(session, actor, framework)
    linker = text_linker(session, chosen)
    return Suggestions(chosen, linker.index.embedder_name, linker.suggest(text, top, min_score))


@dataclass(frozen=True)
class TextLinker:
    """A framework's linker, read once and used for many texts (a batch of postings)."""

    index: ConceptIndex
    linker: Linker

    @property
    def name(self) -> str:
        return f"cairn-linker-v1/{self.index.embedder_name}"

    def suggest(
        self, text: str, top: int = MAX_TOP, min_score: float = MIN_SCORE
    ) -> list[Suggestion]:
        """Suggestions for one text; none for a text without words."""
        if not any(character.isalnum() for character in text):
            return []
        found = self.linker.link(checked_text(text), top)
        return [
            _suggestion(self.index, ranked, text) for ranked in found if ranked.score >= min_score
        ]


def text_linker(session: Session, framework: Framework) -> TextLinker:
    """For callers that have already checked the caller may read ``framework``."""
    index = _index(session, framework, ConceptKind.SKILLS)
    return TextLinker(index, Linker(index, current_embedder()))


def suggest_skills_for_each(
    session: Session,
    actor: Actor,
    *,
    texts: Sequence[str],
    framework: str | None = None,
    top: int = DEFAULT_TOP,
    min_score: float = MIN_SCORE,
) -> tuple[Framework, list[list[Suggestion]]]:
    """The same for many short texts (a course's outcomes, a batch of postings): the
    framework and its vectors are read once. Empty texts get no suggestions."""
    top = _top(top)
    chosen = _framework(session, actor, framework)
    linker = text_linker(session, chosen)
    return chosen, [linker.suggest(text, top, min_score) for text in texts]


def _suggestion(index: ConceptIndex, ranked: Ranked, text: str) -> Suggestion:
    concept = index.concepts[ranked.position]
    return Suggestion(
        concept_id=uuid.UUID(concept.key),
        uri=concept.uri,
        label=concept.label,
        score=round(ranked.score, 4),
        quote=text[ranked.span.start : ranked.span.end],
        start=ranked.span.start,
        end=ranked.span.end,
        matched_label=ranked.matched_label,
    )


def occupation_index(
    session: Session, actor: Actor, framework: str | None
) -> tuple[Framework, ConceptIndex]:
    chosen = _framework(session, actor, framework)
    return chosen, _index(session, chosen, ConceptKind.OCCUPATIONS)


def match_title(
    session: Session,
    actor: Actor,
    *,
    title: str,
    framework: str | None = None,
    top: int = 5,
) -> Suggestions:
    """Occupations for a job title as people write it ("RN, night shift"), using each
    occupation's alternative titles."""
    top = _top(top)
    cleaned = title.strip() if isinstance(title, str) else ""
    if not any(character.isalnum() for character in cleaned) or len(cleaned) > 500:
        message = lazy_gettext("Give a job title of 1 to 500 characters.")
        raise EmptyText(message, [FieldError("title", message)])
    chosen, index = occupation_index(session, actor, framework)
    matches = TitleMatcher(index, current_embedder()).match(cleaned, top)
    items = [
        Suggestion(
            concept_id=uuid.UUID(index.concepts[match.position].key),
            uri=index.concepts[match.position].uri,
            label=index.concepts[match.position].label,
            score=round(match.score, 4),
            quote=cleaned,
            start=0,
            end=len(cleaned),
            matched_label=match.matched_label,
        )
        for match in matches
    ]
    return Suggestions(chosen, index.embedder_name, items)


@dataclass(frozen=True)
class BuiltEmbeddings:
    framework: Framework
    kind: ConceptKind
    concepts: int
    texts: int
    embedder: str


def build_embeddings(
    session: Session,
    actor: Actor,
    *,
    framework: str,
    progress: Progress | None = None,
) -> list[BuiltEmbeddings]:
    """Compute and store the vectors of a framework's skills and occupations for the
    configured model: once per framework version, not per request. Who may import a
    framework may build its embeddings."""
    chosen = _framework(session, actor, framework)
    taxonomy_service.require_importer(actor, chosen.owner_org_id)
    return _build(session, chosen, progress or NoProgress())


def build_embeddings_after_import(
    session: Session, framework: Framework, progress: Progress | None = None
) -> list[BuiltEmbeddings]:
    """For importers and the demo, which have already checked who is importing."""
    return _build(session, framework, progress or NoProgress())


def refresh_embeddings(session: Session, progress: Progress | None = None) -> list[BuiltEmbeddings]:
    """Build what is missing or stale, for every framework: run after an import, so a new
    framework (or a new version of one) can be linked to at once. Frameworks whose stored
    vectors still match their labels are left alone."""
    built: list[BuiltEmbeddings] = []
    for framework in repository.all_frameworks(session):
        built += _build(session, framework, progress or NoProgress(), only_stale=True)
    return built


def _build(
    session: Session, framework: Framework, progress: Progress, *, only_stale: bool = False
) -> list[BuiltEmbeddings]:
    embedder = current_embedder()
    built: list[BuiltEmbeddings] = []
    for kind in ConceptKind:
        concepts = _concepts(session, framework, kind)
        if not concepts:
            continue
        if only_stale and store.is_current(_file(framework, kind, embedder), concepts, embedder):
            continue
        description = gettext(
            "Embedding the %(kind)s of %(framework)s",
            kind=_kind_name(kind),
            framework=framework.title,
        )
        index = store.build(
            _file(framework, kind, embedder), concepts, embedder, progress, description
        )
        store.remember(_cache_key(framework, kind, embedder), index)
        built.append(
            BuiltEmbeddings(
                framework, kind, len(concepts), len(concepts) + len(index.alts), embedder.name
            )
        )
    return built


def frameworks_with_skills(session: Session, actor: Actor) -> list[Framework]:
    """The frameworks a person may link text to, for a page's choice."""
    return [
        framework
        for framework in taxonomy_service.list_frameworks(session, actor)
        if repository.has_skills(session, framework.id)
    ]
