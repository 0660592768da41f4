"""Taking a test: an attempt over a bank, or one area or competence of it, adaptive or a
fixed form, one question at a time, ending in evidence on the person's skills profile.

Each answer is scored (``scoring``), stored as a ``Response`` and fed to the same ``cat``
code the simulations measure, so a person gets exactly the test the benchmarks describe.
The test's one ability estimate becomes a proficiency level of the framework with its
standard error, recorded as evidence for the area tested and each competence it covered
(decision 0018)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from cairn.assessment import campaigns, cat, scoring
from cairn.assessment import repository as repo
from cairn.assessment.enums import AttemptStatus, EvidenceSource, ItemType, TestMode
from cairn.assessment.irt import ItemParameters, Proficiency, even_cut_scores, proficiency_level
from cairn.assessment.models import Attempt, Evidence, Item, ItemBank, Response
from cairn.kit.actor import Actor, Scope, require_person, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from cairn.kit.i18n import format_datetime, lazy_gettext
from cairn.taxonomy import repository as taxonomy_repository
from cairn.taxonomy.models import ProficiencyLevel, Skill

TESTABLE_TYPES = frozenset(
    {
        ItemType.SINGLE_CHOICE,
        ItemType.MULTIPLE_CHOICE,
        ItemType.TRUE_FALSE,
        ItemType.ORDERED,
        ItemType.NUMERIC,
    }
)
"""Types scored right or wrong on the spot. Self-ratings are self-assessment, not a test,
and scenario tasks wait for an assessor, so neither steers an adaptive test."""

SETTINGS = cat.CatSettings()
FIXED_FORM_LENGTH = 20
QUIZ_LENGTH = 12
"""Short enough to see whole on one page and answer in one sitting."""
HIDDEN_FIELDS = frozenset({"correct", "correct_order", "answer", "tolerance", "feedback"})
"""Parts of an item's content a test-taker must not receive: the key and its explanation."""


def _bank(session: Session, actor: Actor, bank_id: uuid.UUID) -> ItemBank:
    bank = repo.get_bank(session, bank_id)
    if bank is None or not (
        bank.owner_org_id is None or actor.is_platform_admin or bank.owner_org_id in actor.org_ids
    ):
        raise NotFound(lazy_gettext("Item bank not found."))
    return bank


def _levels(session: Session, bank: ItemBank) -> Sequence[ProficiencyLevel]:
    """The scale results are reported on; a bank without one cannot be tested with."""
    framework = taxonomy_repository.get_framework(session, bank.framework_id)
    if framework is None or framework.scale is None or len(framework.scale.levels) < 2:
        raise InvalidInput(
            lazy_gettext("This bank's framework has no proficiency scale to report levels on.")
        )
    return framework.scale.levels


def testable_items(
    session: Session, bank: ItemBank, scope_skill_id: uuid.UUID | None
) -> list[Item]:
    """The bank's current testable items measuring the scope (any skill under it)."""
    items = [i for i in repo.current_items(session, bank.id) if i.item_type in TESTABLE_TYPES]
    if scope_skill_id is None:
        return items
    broader = taxonomy_repository.broader_map(session, bank.framework_id)
    return [item for item in items if scope_skill_id in _ancestry(item.skill_id, broader)]


PoolEntry = tuple[str, str, float, float, float]


@lru_cache(maxsize=32)
def _pool(entries: tuple[PoolEntry, ...]) -> cat.ItemPool:
    """Pools are built once per set of item parameters: mirt tabulates their information."""
    keys, competences, a, b, c = zip(*entries, strict=True)
    parameters = ItemParameters.three_pl(a, b, c) if any(c) else ItemParameters.two_pl(a, b)
    return cat.ItemPool(parameters, keys, competences)


def pool_of(items: Sequence[Item]) -> cat.ItemPool:
    entries = tuple(
        (item.key, str(item.skill_id), item.discrimination, item.difficulty, item.guessing or 0.0)
        for item in sorted(items, key=lambda item: item.key)
    )
    return _pool(entries)


def fixed_form(pool: cat.ItemPool, length: int = FIXED_FORM_LENGTH) -> list[str]:
    """The same form for everyone: the most informative items at an average ability, taken
    in turn from each competence so that the form covers them evenly."""
    information = pool.information_at(np.array([0.0]))[0]
    queues = [
        sorted(np.flatnonzero(pool.competence_of == c), key=lambda i: -information[i])
        for c in range(len(pool.competences))
    ]
    form: list[str] = []
    while len(form) < min(length, pool.n_items):
        for queue in queues:
            if queue and len(form) < length:
                form.append(pool.keys[queue.pop(0)])
    return form


def start(
    session: Session,
    actor: Actor,
    *,
    bank_id: uuid.UUID | None = None,
    scope_skill_id: uuid.UUID | None = None,
    mode: TestMode = TestMode.ADAPTIVE,
    campaign_id: uuid.UUID | None = None,
) -> Attempt:
    """A new attempt with its first question, or the person's unfinished one at the same
    test, so that a second click or another device resumes instead of starting over. A
    campaign's test takes its bank, scope, mode, deadline and supervision from the campaign."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    org_id, closes_at, proctored = None, None, False
    if campaign_id is not None:
        campaign = campaigns.participant_campaign(session, actor.person_id, campaign_id)
        if campaign is None:
            raise NotFound(lazy_gettext("No open campaign of yours has this test."))
        if repo.finished_campaign_attempt(session, actor.person_id, campaign_id) is not None:
            raise Conflict(lazy_gettext("You have already taken this campaign's test."))
        bank_id, scope_skill_id, mode = campaign.bank_id, campaign.scope_skill_id, campaign.mode
        org_id, closes_at, proctored = campaign.org_id, campaign.deadline, campaign.proctored
    if bank_id is None:
        message = lazy_gettext("Choose an item bank.")
        raise InvalidInput(message, [FieldError("bank_id", message)])
    bank = _bank(session, actor, bank_id)
    _levels(session, bank)
    existing = repo.open_attempt(session, actor.person_id, bank.id, scope_skill_id, campaign_id)
    if existing is not None:
        return existing
    items = testable_items(session, bank, scope_skill_id)
    if not items:
        message = lazy_gettext("No test question of this bank measures that skill.")
        raise InvalidInput(message, [FieldError("scope_skill_id", message)])
    pool = pool_of(items)
    form = {
        TestMode.FIXED_FORM: fixed_form(pool),
        TestMode.QUIZ: fixed_form(pool, QUIZ_LENGTH),
    }.get(mode)
    state = cat.start(pool, form=form)
    # A quiz shows every question at once: none is "the one on screen".
    first = None if mode is TestMode.QUIZ else cat.next_item(pool, SETTINGS, state, _rng())
    by_key = {item.key: item for item in items}
    attempt = Attempt(
        person_id=actor.person_id,
        bank_id=bank.id,
        scope_skill_id=scope_skill_id,
        mode=mode,
        state=state.to_json(),
        current_item_id=by_key[first].id if first else None,
        campaign_id=campaign_id,
        org_id=org_id,
        proctored=proctored,
        closes_at=closes_at,
    )
    session.add(attempt)
    session.flush()
    for item_id in _shown(attempt, by_key, state):
        repo.count_exposure(session, item_id)
    return attempt


def _rng() -> np.random.Generator:
    return np.random.default_rng()


def _form_items(items: Sequence[Item], state: cat.CatState) -> list[Item]:
    """A form's current items in its order."""
    by_key = {item.key: item for item in items}
    return [by_key[key] for key in state.form or () if key in by_key]


def _shown(attempt: Attempt, by_key: Mapping[str, Item], state: cat.CatState) -> list[uuid.UUID]:
    if attempt.mode is TestMode.QUIZ and state.form is not None:
        return [by_key[key].id for key in state.form]
    return [] if attempt.current_item_id is None else [attempt.current_item_id]


def public_content(item: Item) -> dict[str, Any]:
    """What the test-taker sees of an item: stem and options, never the key."""
    return {key: value for key, value in item.content.items() if key not in HIDDEN_FIELDS}


@dataclass(frozen=True)
class Question:
    item: Item
    number: int
    """1 for the first question of the attempt."""
    content: dict[str, Any]


@dataclass(frozen=True)
class Result:
    proficiency: Proficiency
    levels: Sequence[ProficiencyLevel]
    answered: int
    skills: Sequence[Skill]
    """The skills the result was recorded for."""

    def label(self, rank: int) -> str:
        return next((level.label for level in self.levels if level.rank == rank), str(rank))


@dataclass(frozen=True)
class AttemptView:
    attempt: Attempt
    bank: ItemBank
    scope: Skill | None
    question: Question | None
    quiz: Sequence[Question]
    """Every question of a self-paced quiz still open; empty otherwise."""
    result: Result | None
    max_length: int
    """The most questions the test can have (its length, for a fixed form)."""


def _own_attempt(session: Session, actor: Actor, attempt_id: uuid.UUID, *, lock: bool) -> Attempt:
    attempt = (
        repo.attempt_for_update(session, attempt_id)
        if lock
        else repo.get_attempt(session, attempt_id)
    )
    if attempt is None or attempt.person_id != actor.person_id or actor.system:
        raise NotFound(lazy_gettext("Test not found."))
    return attempt


def view(session: Session, actor: Actor, attempt_id: uuid.UUID) -> AttemptView:
    require_scope(actor, Scope.ASSESSMENT_READ)
    attempt = _own_attempt(session, actor, attempt_id, lock=False)
    bank = _bank(session, actor.without_scopes(), attempt.bank_id)
    state = cat.CatState.from_json(attempt.state)
    scope = (
        taxonomy_repository.get_skill(session, attempt.scope_skill_id)
        if attempt.scope_skill_id
        else None
    )
    question = None
    item = repo.get_item(session, attempt.current_item_id) if attempt.current_item_id else None
    if item is not None and attempt.status is AttemptStatus.IN_PROGRESS:
        question = Question(item, len(state.items) + 1, public_content(item))
    quiz: list[Question] = []
    if attempt.mode is TestMode.QUIZ and attempt.status is AttemptStatus.IN_PROGRESS:
        form = _form_items(testable_items(session, bank, attempt.scope_skill_id), state)
        quiz = [Question(i, n, public_content(i)) for n, i in enumerate(form, start=1)]
    result = _result(session, bank, attempt, state) if attempt.theta is not None else None
    length = len(state.form) if state.form is not None else SETTINGS.max_length
    return AttemptView(attempt, bank, scope, question, quiz, result, length)


def _result(session: Session, bank: ItemBank, attempt: Attempt, state: cat.CatState) -> Result:
    levels = _levels(session, bank)
    theta, se = state.theta, state.se
    proficiency = proficiency_level(theta, se, even_cut_scores(len(levels)))
    skills = taxonomy_repository.skills_by_ids(session, _measured(attempt, state))
    ordered = sorted(skills.values(), key=lambda skill: (skill.code or "", skill.preferred_label))
    return Result(proficiency, levels, len(state.items), ordered)


def _measured(attempt: Attempt, state: cat.CatState) -> set[uuid.UUID]:
    measured = {uuid.UUID(competence) for competence in state.competence_counts}
    if attempt.scope_skill_id is not None:
        measured.add(attempt.scope_skill_id)
    return measured


def answer(
    session: Session,
    actor: Actor,
    attempt_id: uuid.UUID,
    item_id: uuid.UUID,
    given: Mapping[str, Any],
) -> Attempt:
    """Score the answer to the question on screen and move on: the next question, or the
    result once the test is precise enough or at its length. Refused once the test is over
    or past its deadline, and for any question but the one waiting (a resent form)."""
    attempt, now = _answerable(session, actor, attempt_id)
    if attempt.mode is TestMode.QUIZ:
        raise Conflict(lazy_gettext("A quiz is answered all at once, on its page."))
    if item_id != attempt.current_item_id:
        message = lazy_gettext("That question was already answered; carry on with this one.")
        raise Conflict(message, [FieldError("item_id", message)])
    item = repo.get_item(session, item_id)
    if item is None:  # the waiting item's row cannot vanish: items are never deleted
        raise NotFound(lazy_gettext("Question not found."))
    score = scoring.score(item.item_type, item.content, given)
    bank = _bank(session, actor.without_scopes(), attempt.bank_id)
    items = testable_items(session, bank, attempt.scope_skill_id)
    pool = pool_of(items)
    state = cat.record(
        pool, SETTINGS, cat.CatState.from_json(attempt.state), item.key, int(bool(score.correct))
    )
    session.add(
        Response(
            attempt_id=attempt.id,
            item_id=item.id,
            position=len(state.items),
            answer=dict(given),
            points=score.points,
            max_points=score.max_points,
            category=int(bool(score.correct)),
            answered_at=now,
        )
    )
    following = cat.next_item(pool, SETTINGS, state, _rng())
    attempt.state = state.to_json()
    if following is None:
        _finish(session, bank, attempt, state, now)
    else:
        nxt = next(i for i in items if i.key == following)
        attempt.current_item_id = nxt.id
        repo.count_exposure(session, nxt.id)
    session.flush()
    return attempt


def _answerable(session: Session, actor: Actor, attempt_id: uuid.UUID) -> tuple[Attempt, datetime]:
    """The person's attempt, locked, if it still takes answers now; else a refusal."""
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_WRITE)
    attempt = _own_attempt(session, actor, attempt_id, lock=True)
    now = utcnow()
    if attempt.status is not AttemptStatus.IN_PROGRESS:
        raise Conflict(lazy_gettext("This test is over: it takes no more answers."))
    if attempt.closes_at is not None and now >= attempt.closes_at:
        raise Conflict(
            lazy_gettext(
                "This test closed at %(deadline)s: it takes no more answers.",
                deadline=format_datetime(attempt.closes_at),
            )
        )
    return attempt, now


def submit_quiz(
    session: Session,
    actor: Actor,
    attempt_id: uuid.UUID,
    answers: Mapping[uuid.UUID, Mapping[str, Any]],
) -> Attempt:
    """Score a self-paced quiz once, from the questions answered (skipped ones are simply
    absent). Every answer is checked first: one malformed answer refuses them all, naming
    its question, and records nothing."""
    attempt, now = _answerable(session, actor, attempt_id)
    if attempt.mode is not TestMode.QUIZ:
        raise Conflict(lazy_gettext("This test is answered one question at a time."))
    bank = _bank(session, actor.without_scopes(), attempt.bank_id)
    items = testable_items(session, bank, attempt.scope_skill_id)
    state = cat.CatState.from_json(attempt.state)
    form = _form_items(items, state)
    problems: list[FieldError] = []
    scored: list[tuple[int, Item, Mapping[str, Any], scoring.Score]] = []
    for number, item in enumerate(form, start=1):
        if item.id not in answers:
            continue
        try:
            scored.append(
                (
                    number,
                    item,
                    answers[item.id],
                    scoring.score(item.item_type, item.content, answers[item.id]),
                )
            )
        except InvalidInput as error:
            problems.append(FieldError(f"question-{number}", error.message))
    unknown = set(answers) - {item.id for item in form}
    if unknown:
        problems.append(FieldError("answers", lazy_gettext("Answer only this quiz's questions.")))
    if not scored and not problems:
        problems.append(FieldError("answers", lazy_gettext("Answer at least one question.")))
    if problems:
        raise InvalidInput(problems[0].message, problems)
    pool = pool_of(items)
    categories = {item.key: int(bool(score.correct)) for _, item, _, score in scored}
    theta, se = cat.score_answers(pool, categories)
    counts: dict[str, int] = {}
    for _, item, _, _ in scored:
        counts[str(item.skill_id)] = counts.get(str(item.skill_id), 0) + 1
    for position, (_, item, given, score) in enumerate(scored, start=1):
        session.add(
            Response(
                attempt_id=attempt.id,
                item_id=item.id,
                position=position,
                answer=dict(given),
                points=score.points,
                max_points=score.max_points,
                category=categories[item.key],
                answered_at=now,
            )
        )
    state = replace(
        state,
        items=tuple(categories),
        responses=tuple(categories.values()),
        theta=theta,
        se=se,
        competence_counts=counts,
        stop_reason=cat.StopReason.FORM_COMPLETE,
    )
    attempt.state = state.to_json()
    _finish(session, bank, attempt, state, now)
    session.flush()
    return attempt


def _finish(
    session: Session, bank: ItemBank, attempt: Attempt, state: cat.CatState, now: datetime
) -> None:
    levels = _levels(session, bank)
    proficiency = proficiency_level(state.theta, state.se, even_cut_scores(len(levels)))
    attempt.status = AttemptStatus.COMPLETED
    attempt.current_item_id = None
    attempt.finished_at = now
    attempt.theta, attempt.se, attempt.level = state.theta, state.se, proficiency.level
    source = EvidenceSource.PROCTORED_TEST if attempt.proctored else EvidenceSource.TEST
    details = {
        "attempt_id": str(attempt.id),
        "theta": round(state.theta, 4),
        "se": round(state.se, 4),
        "lowest": proficiency.lowest,
        "highest": proficiency.highest,
        "items": len(state.items),
        "mode": attempt.mode.value,
        "stop_reason": state.stop_reason.value if state.stop_reason else None,
    }
    for skill_id in sorted(_measured(attempt, state)):
        session.add(
            Evidence(
                person_id=attempt.person_id,
                skill_id=skill_id,
                level=proficiency.level,
                source=source,
                observed_at=now,
                confidence=round(max(0.0, 1.0 - state.se**2), 4),
                org_id=attempt.org_id,
                details=details,
            )
        )


def my_attempts(session: Session, actor: Actor) -> Sequence[Attempt]:
    require_person(actor)
    require_scope(actor, Scope.ASSESSMENT_READ)
    return repo.attempts_of(session, actor.person_id)


def responses(
    session: Session, actor: Actor, attempt_id: uuid.UUID
) -> Sequence[tuple[Response, Item]]:
    """The person's own answers, for review once the test is over."""
    attempt = _own_attempt(session, actor, attempt_id, lock=False)
    if attempt.status is AttemptStatus.IN_PROGRESS:
        return []
    return repo.responses_of(session, attempt.id)


@dataclass(frozen=True)
class TestChoice:
    """A test someone may start: a bank, and the areas and competences it can focus on."""

    bank: ItemBank
    items: int
    scopes: Sequence[tuple[Skill, int]]
    """(skill, testable items under it), areas before their competences, in code order."""


def choices(session: Session, actor: Actor) -> list[TestChoice]:
    require_scope(actor, Scope.ASSESSMENT_READ)
    org_ids = None if actor.is_platform_admin else list(actor.org_ids)
    found = []
    for bank in repo.list_banks(session, org_ids):
        items = testable_items(session, bank, None)
        if not items:
            continue
        broader = taxonomy_repository.broader_map(session, bank.framework_id)
        counts: dict[uuid.UUID, int] = {}
        for item in items:
            for skill_id in _ancestry(item.skill_id, broader):
                counts[skill_id] = counts.get(skill_id, 0) + 1
        skills = taxonomy_repository.skills_by_ids(session, counts)
        scopes = sorted(
            ((skills[s], count) for s, count in counts.items() if s in skills),
            key=lambda pair: (pair[0].code or "", pair[0].preferred_label),
        )
        found.append(TestChoice(bank, len(items), scopes))
    return found


def _ancestry(skill_id: uuid.UUID, broader: Mapping[uuid.UUID, list[uuid.UUID]]) -> set[uuid.UUID]:
    seen: set[uuid.UUID] = set()
    todo = [skill_id]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(broader.get(current, []))
    return seen
