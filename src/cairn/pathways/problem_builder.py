"""From the database to a solver ``Problem``: the learner's gaps, the offerings that may
close them, what each costs after subsidies, and the credit and matching they may draw on.

**Gaps.** Against a role profile: the profile's skills where the learner's merged level is
below the target (``profiles.service.gaps``). Against a specification: its outcomes' skills
and levels, likewise; but when a stacking rule leads to the specification, the rule is the
way to earn it, so its specification components become one ``RequirementGroup`` (all of
them, ``n`` of them, or a credit total) and there are no skill gaps. Components that are
themselves rules are not expanded (a plan then meets the specification components only).

**Closing a gap.** An offering closes a gap when one of its version's outcomes is aligned
to that skill at a level at least the one wanted. An outcome with no level counts as the
lowest level (1): it closes a gap only where level 1, or no level, is wanted.

**Candidates.** Open offerings of published versions that start on or after the day of
the plan and still take enrolments (``enrol_by`` not past), in a language and delivery
mode the learner accepts (a language matches itself and its regional variants: ``fr``
accepts ``fr-CA``), in the plan's currency. Specifications the learner holds an award of
are not offered again; they count as held for prerequisites and stacking.

**Prerequisites.** A candidate requires the clauses of its version's structured
prerequisites (decision 0044): from each, one specification held (an award, or a step kept
in a re-plan) or taken in an earlier step that ends before it starts. The offerings of every
specification a clause names, and of those their clauses name in turn, are candidates too,
under the same filters, though they close no gap. A clause naming only specifications the
learner does not hold and nobody runs leaves its candidate out of every plan, which the
diagnosis reports as a prerequisite that cannot be met. Each step also shows the issuer's
free-text prerequisites, which may say more.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from cairn.accounts.items import CatalogueItem
from cairn.accounts.pricing import ProgramPosition
from cairn.catalogue import repository as catalogue_repository
from cairn.catalogue import stacking_repository
from cairn.catalogue.models import SpecificationVersion
from cairn.catalogue.stacking import RuleKind
from cairn.credentials import repository as credentials_repository
from cairn.kit.actor import Actor
from cairn.kit.errors import FieldError, InvalidInput, NotFound
from cairn.kit.i18n import gettext, lazy_gettext
from cairn.orgs.skill_profiles import Target
from cairn.pathways import repository
from cairn.pathways.funding import Funding, funding_of
from cairn.pathways.problem import (
    Candidate,
    Constraints,
    CreditPool,
    MatchingPool,
    Problem,
    RequirementGroup,
    week_starts,
)
from cairn.pathways.repository import OfferingLine, RoleProfileHead
from cairn.pathways.schemas import PlanRequest
from cairn.profiles import service as profiles_service
from cairn.taxonomy import repository as taxonomy_repository

LOWEST_LEVEL = 1


@dataclass(frozen=True)
class GapLine:
    skill_id: uuid.UUID
    label: str
    current: int | None
    wanted: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "skill_id": str(self.skill_id),
            "label": self.label,
            "current": self.current,
            "wanted": self.wanted,
        }


@dataclass(frozen=True)
class TargetHead:
    """A role profile or a published specification (with its version on offer)."""

    title: str
    role: RoleProfileHead | None = None
    version: SpecificationVersion | None = None

    @property
    def profile_id(self) -> uuid.UUID | None:
        return self.role.profile.id if self.role else None

    @property
    def specification_id(self) -> uuid.UUID | None:
        return self.version.specification_id if self.version else None


@dataclass(frozen=True)
class Offer:
    """A candidate's offering and its price for this learner."""

    line: OfferingLine
    subsidy_minor: int
    subsidy_text: str | None


@dataclass(frozen=True)
class Built:
    target: TargetHead
    problem: Problem
    gaps: tuple[GapLine, ...]
    """The gaps still open, in the order the target lists them."""
    offers: Mapping[str, Offer]
    """Candidate id (the offering id) → its offering."""
    funding: Funding
    currency: str | None
    titles: Mapping[str, str]
    """Specification id → title, for held and requirement specifications."""
    requirement_titles: Mapping[str, str]


def resolve_target(session: Session, actor: Actor, request: PlanRequest) -> TargetHead:
    """The role profile (of one of the actor's organisations) or published specification the
    request names; 404 for anything else."""
    if request.target_profile_id is not None:
        head = repository.get_role_profile(session, request.target_profile_id)
        if head is None or head.profile.org_id not in actor.org_ids:
            raise NotFound(lazy_gettext("Role profile not found."))
        return TargetHead(
            gettext("%(role)s at %(org)s", role=head.name, org=head.organisation.name), role=head
        )
    named = request.target_specification or ""
    try:
        ids = [uuid.UUID(named)]
    except ValueError:
        ids = repository.published_specification_ids_by_slug(session, named)
    if len(ids) > 1:
        message = lazy_gettext(
            "Several specifications are called %(slug)s; give the id of the one you mean.",
            slug=named,
        )
        raise InvalidInput(message, [FieldError("target_specification", message)])
    found = repository.published_specification(session, ids[0]) if ids else None
    if found is None:
        raise NotFound(lazy_gettext("Specification not found."))
    return TargetHead(found[1].title, version=found[1])


def build(
    session: Session,
    actor: Actor,
    request: PlanRequest,
    *,
    on: date,
    kept: Mapping[uuid.UUID, frozenset[str]] | None = None,
) -> Built:
    """The problem for ``actor``'s own plan. ``kept`` (a re-plan): specifications of steps
    already enrolled in or completed, with the gap ids each closes; they count as held
    and their gaps as closed."""
    kept = kept or {}
    person_id = actor.person_id
    target = resolve_target(session, actor, request)
    held = set(credentials_repository.held_specification_ids(session, person_id)) | set(kept)
    closed = frozenset().union(*kept.values()) if kept else frozenset()
    requirements: list[RequirementGroup] = []
    requirement_titles: dict[str, str] = {}
    gaps: list[GapLine] = []
    if target.role is not None:
        gaps = _role_gaps(session, actor, target.role)
    elif target.version is not None and target.version.specification_id not in held:
        rule = repository.stacking_rule_to(session, target.version.specification_id)
        if rule is None:
            gaps = _specification_gaps(session, actor, target.version)
        else:
            group = _requirement(session, rule, held)
            requirements.append(group)
            requirement_titles[group.id] = rule.rule.title
    gaps = [gap for gap in gaps if str(gap.skill_id) not in closed]
    funding = funding_of(session, person_id, on)
    wanted_specifications = {
        uuid.UUID(s) for group in requirements for s in group.specification_ids
    } - held
    currency = request.currency or funding.currency
    if currency is None:
        currencies = repository.offering_currencies(session, [gap.skill_id for gap in gaps])
        currency = currencies[0] if currencies else None
    lines = repository.offerings_on_offer(
        session,
        on=on,
        skill_ids=[gap.skill_id for gap in gaps],
        specification_ids=wanted_specifications,
        deliveries=request.deliveries,
        currency=currency,
    )
    lines = [
        line
        for line in lines
        if line.specification.id not in held and _language_ok(line, request.languages)
    ]
    lines, clauses, prerequisites = _with_prerequisites(
        session, lines, held, request, on=on, currency=currency
    )
    candidates, offers = _candidates(
        session, lines, gaps, wanted_specifications | prerequisites, clauses, funding, on
    )
    titles = repository.titles_of(
        session,
        held
        | prerequisites
        | {line.specification.id for line in lines if line.version.id in clauses}
        | {uuid.UUID(s) for group in requirements for s in group.specification_ids},
    )
    problem = Problem(
        gaps=frozenset(str(gap.skill_id) for gap in gaps),
        candidates=tuple(candidates),
        held_specifications=frozenset(str(s) for s in held),
        requirements=tuple(requirements),
        credit_pools=tuple(
            CreditPool(
                source.pool_id,
                _capacity(source.program.balances.get(source.tier, 0), source.program),
                source.order,
            )
            for source in funding.credit
        ),
        matching_pools=tuple(
            MatchingPool(source.pool_id, source.rate_bp, source.capacity_minor)
            for source in funding.matching
        ),
        constraints=Constraints(
            budget_minor=request.budget_minor,
            hours_per_week=request.hours_per_week,
            deadline=request.deadline,
            earliest_start=on,
        ),
        objective=request.objective.value,
    )
    return Built(
        target=target,
        problem=problem,
        gaps=tuple(gaps),
        offers=offers,
        funding=funding,
        currency=currency,
        titles={str(key): value for key, value in titles.items()},
        requirement_titles=requirement_titles,
    )


def _capacity(balance: int, program: ProgramPosition) -> int:
    """A tier's credit, as far as the program's budget can still pay for it."""
    budget_left = program.budget_left_minor
    return balance if budget_left is None else max(0, min(balance, budget_left))


def _role_gaps(session: Session, actor: Actor, head: RoleProfileHead) -> list[GapLine]:
    target = Target(
        head.profile.org_id,
        position_id=head.profile.position_id,
        department_id=head.profile.department_id,
    )
    return [
        GapLine(gap.skill.id, gap.skill.preferred_label, gap.current, gap.target)
        for gap in profiles_service.gaps(session, actor.without_scopes(), actor.person_id, target)
        if gap.shortfall > 0
    ]


def _specification_gaps(
    session: Session, actor: Actor, version: SpecificationVersion
) -> list[GapLine]:
    levels = {
        line.skill.id: (line.skill.preferred_label, line.merged.level)
        for line in profiles_service.profile(session, actor.without_scopes(), actor.person_id)
    }
    outcomes = repository.outcomes_of(session, [version.id])
    labels = _skill_labels(session, [o.skill_id for o in outcomes if o.skill_id is not None])
    gaps: dict[uuid.UUID, GapLine] = {}
    for outcome in outcomes:
        if outcome.skill_id is None:
            continue
        wanted = outcome.level or LOWEST_LEVEL
        current = levels.get(outcome.skill_id, ("", None))[1]
        previous = gaps.get(outcome.skill_id)
        if (current or 0) < wanted and (previous is None or (previous.wanted or 0) < wanted):
            gaps[outcome.skill_id] = GapLine(
                outcome.skill_id, labels.get(outcome.skill_id, ""), current, wanted
            )
    return list(gaps.values())


def _skill_labels(session: Session, skill_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    return {
        skill_id: skill.preferred_label
        for skill_id, skill in taxonomy_repository.skills_by_ids(session, skill_ids).items()
    }


def _requirement(
    session: Session, rule: repository.StackingHead, held: Collection[uuid.UUID]
) -> RequirementGroup:
    components = frozenset(str(s) for s in rule.specification_ids)
    kind = rule.rule.kind
    if kind is RuleKind.CREDIT_TOTAL:
        credits = stacking_repository.credit_values(
            session, [s for s in rule.specification_ids if s in held]
        )
        return RequirementGroup(
            id=str(rule.rule.id),
            specification_ids=components,
            at_least=0,
            min_credits=rule.rule.credits_required,
            held_credits=sum(value or 0.0 for value in credits.values()),
        )
    at_least = len(components) if kind is RuleKind.ALL_OF else rule.rule.n or len(components)
    return RequirementGroup(id=str(rule.rule.id), specification_ids=components, at_least=at_least)


def _language_ok(line: OfferingLine, languages: Collection[str]) -> bool:
    if not languages:
        return True
    taught = line.offering.language.casefold()
    return any(
        taught == wanted.casefold() or taught.startswith(wanted.casefold() + "-")
        for wanted in languages
    )


def _with_prerequisites(
    session: Session,
    lines: list[OfferingLine],
    held: Collection[uuid.UUID],
    request: PlanRequest,
    *,
    on: date,
    currency: str | None,
) -> tuple[list[OfferingLine], dict[uuid.UUID, list[frozenset[uuid.UUID]]], set[uuid.UUID]]:
    """``lines`` with the offerings of every specification their prerequisites name, not
    held, and of those theirs name, and so on; the clauses of every version among them; and
    the specifications named. An offering's version is published, so each specification
    in ``lines`` already comes with all its offerings."""
    found = list(lines)
    clauses = _clauses_of(session, {line.version.id for line in found})
    present = {line.specification.id for line in found}
    asked: set[uuid.UUID] = set()
    while True:
        named = {s for version in clauses.values() for clause in version for s in clause}
        needed = named - set(held) - present - asked
        if not needed:
            return found, clauses, named - set(held)
        asked |= needed
        more = [
            line
            for line in repository.offerings_on_offer(
                session,
                on=on,
                skill_ids=(),
                specification_ids=needed,
                deliveries=request.deliveries,
                currency=currency,
            )
            if _language_ok(line, request.languages)
        ]
        found.extend(more)
        present |= {line.specification.id for line in more}
        clauses.update(_clauses_of(session, {line.version.id for line in more}))


def _clauses_of(
    session: Session, version_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, list[frozenset[uuid.UUID]]]:
    """Each version's prerequisite clauses as the solver takes them: sets to meet any of."""
    return {
        version_id: [frozenset(clause) for clause in clauses]
        for version_id, clauses in catalogue_repository.prerequisites_of(
            session, version_ids
        ).items()
    }


def _candidates(
    session: Session,
    lines: list[OfferingLine],
    gaps: list[GapLine],
    useful_specifications: Collection[uuid.UUID],
    clauses: Mapping[uuid.UUID, list[frozenset[uuid.UUID]]],
    funding: Funding,
    on: date,
) -> tuple[list[Candidate], dict[str, Offer]]:
    """Every line that closes a gap or whose specification counts toward a requirement or
    meets a prerequisite, priced for the learner."""
    wanted = {gap.skill_id: gap.wanted or LOWEST_LEVEL for gap in gaps}
    outcomes = repository.outcomes_of(session, {line.version.id for line in lines})
    closes: dict[uuid.UUID, set[str]] = {}
    for outcome in outcomes:
        if (
            outcome.skill_id in wanted
            and (outcome.level or LOWEST_LEVEL) >= wanted[outcome.skill_id]
        ):
            closes.setdefault(outcome.version_id, set()).add(str(outcome.skill_id))
    candidates: list[Candidate] = []
    offers: dict[str, Offer] = {}
    for line in lines:
        covers = frozenset(closes.get(line.version.id, ()))
        if not covers and line.specification.id not in useful_specifications:
            continue
        offering = line.offering
        item = CatalogueItem(
            specification_id=line.specification.id,
            slug=line.specification.slug,
            tags=frozenset(offering.tags or ()),
            hours=offering.hours,
            price_minor=offering.price_minor,
            currency=offering.currency,
        )
        subsidy = funding.subsidy(item, on)
        subsidy_minor = subsidy.amount_minor if subsidy else 0
        net = offering.price_minor - subsidy_minor
        weeks = len(week_starts(offering.starts_on, offering.ends_on))
        candidates.append(
            Candidate(
                id=str(offering.id),
                specification_id=str(line.specification.id),
                covers=covers,
                net_price_minor=net,
                hours=offering.hours,
                starts_on=offering.starts_on,
                ends_on=offering.ends_on,
                weekly_hours=offering.hours / weeks,
                credits=line.version.ects or 0.0,
                requires=tuple(
                    frozenset(str(s) for s in clause) for clause in clauses.get(line.version.id, [])
                ),
                pools=funding.credit_limits(item, net),
                matching=funding.matching_pools(item),
            )
        )
        offers[str(offering.id)] = Offer(
            line, subsidy_minor, subsidy.explanation if subsidy else None
        )
    return candidates, offers
