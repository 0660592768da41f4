"""Stacking rules, equivalences and RPL routes, and what a learner's credentials count
toward.

An issuer's educators and registrars (the same people who design its specifications)
declare how its larger credentials and programs are earned. A rule's components may be
any issuer's published specifications: that is how credit transfers between issuers.
Every write is checked against all the rules on the platform, so a rule that could never
be satisfied, or that would make rules depend on themselves, is refused with the cycle
named (decision 0024)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from cairn.catalogue import stacking
from cairn.catalogue import stacking_repository as repo
from cairn.catalogue.repository import get_specification
from cairn.catalogue.service import DESIGNERS
from cairn.catalogue.stacking import Progress, Rule, RuleKind, RuleSet
from cairn.catalogue.stacking_models import Equivalence, RplRoute, StackRule
from cairn.catalogue.stacking_schemas import (
    EquivalenceCreate,
    RplRouteCreate,
    StackRuleCreate,
    StackRuleFields,
)
from cairn.kit.actor import Actor, Scope, require_scope
from cairn.kit.clock import utcnow
from cairn.kit.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext
from cairn.orgs.models import Organisation
from cairn.orgs.permissions import visible_organisation


def _require(session: Session, actor: Actor, org_id: uuid.UUID) -> Organisation:
    require_scope(actor, Scope.CATALOGUE_WRITE)
    org = visible_organisation(session, actor, org_id)
    if not (actor.is_platform_admin or actor.has_any_role(org_id, DESIGNERS)):
        raise PermissionDenied(
            lazy_gettext(
                "Only the issuer's educators and registrars can change its stacking rules."
            )
        )
    return org


@dataclass(frozen=True)
class RuleView:
    """A rule with its components, in the shape of ``StackRuleRead``."""

    rule: StackRule
    specification_ids: list[uuid.UUID]
    rule_ids: list[uuid.UUID]

    @property
    def id(self) -> uuid.UUID:
        return self.rule.id

    @property
    def owner_org_id(self) -> uuid.UUID:
        return self.rule.owner_org_id

    @property
    def slug(self) -> str:
        return self.rule.slug

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def kind(self) -> RuleKind:
        return self.rule.kind

    @property
    def n(self) -> int | None:
        return self.rule.n

    @property
    def credits_required(self) -> float | None:
        return self.rule.credits_required

    @property
    def target_specification_id(self) -> uuid.UUID | None:
        return self.rule.target_specification_id

    @property
    def program_name(self) -> str | None:
        return self.rule.program_name

    @property
    def program_code(self) -> str | None:
        return self.rule.program_code


@dataclass(frozen=True)
class Standing:
    """Where a learner stands on one rule, in the shape of ``RuleProgressRead``."""

    rule_id: uuid.UUID
    title: str
    owner_org_id: uuid.UUID
    kind: RuleKind
    target_specification_id: uuid.UUID | None
    program_name: str | None
    program_code: str | None
    progress: Progress
    rpl_available: list[uuid.UUID]

    @property
    def satisfied(self) -> bool:
        return self.progress.satisfied

    @property
    def met(self) -> int:
        return self.progress.met

    @property
    def components(self) -> int:
        return self.progress.components

    @property
    def required(self) -> float:
        return self.progress.required

    @property
    def credits(self) -> float:
        return self.progress.credits

    @property
    def counting(self) -> list[uuid.UUID]:
        return list(self.progress.counting)

    @property
    def by_equivalence(self) -> dict[uuid.UUID, uuid.UUID]:
        return dict(self.progress.by_equivalence)

    @property
    def missing_specification_ids(self) -> list[uuid.UUID]:
        return list(self.progress.missing_specifications)

    @property
    def missing_rule_ids(self) -> list[uuid.UUID]:
        return list(self.progress.missing_rules)

    @property
    def without_ects(self) -> list[uuid.UUID]:
        return list(self.progress.without_ects)


def _rule(session: Session, rule_id: uuid.UUID, *, lock: bool = False) -> StackRule:
    rule = repo.rule_for_update(session, rule_id) if lock else repo.get_rule(session, rule_id)
    if rule is None:
        raise NotFound(lazy_gettext("Stacking rule not found."))
    return rule


def _view(session: Session, rule: StackRule) -> RuleView:
    specifications, rules = repo.components_of(session, [rule.id])[rule.id]
    return RuleView(rule, specifications, rules)


def get_rule(session: Session, actor: Actor, rule_id: uuid.UUID) -> RuleView:
    """Rules are public, like the published specifications they are made of: a learner of
    any organisation may see what counts toward what."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return _view(session, _rule(session, rule_id))


def list_rules(session: Session, actor: Actor, org_id: uuid.UUID | None = None) -> list[RuleView]:
    """Every rule, or one organisation's, by title."""
    require_scope(actor, Scope.CATALOGUE_READ)
    rules = repo.rules_of(session, org_id)
    components = repo.components_of(session, [rule.id for rule in rules])
    return [RuleView(rule, *components[rule.id]) for rule in rules]


def create_rule(
    session: Session, actor: Actor, org_id: uuid.UUID, data: StackRuleCreate
) -> RuleView:
    _require(session, actor, org_id)
    if repo.find_rule(session, org_id, data.slug) is not None:
        message = lazy_gettext(
            "This organisation already has a stacking rule with this short name."
        )
        raise Conflict(message, [FieldError("slug", message)])
    rule = StackRule(id=uuid.uuid4(), owner_org_id=org_id, slug=data.slug)
    specifications, rules = _define(session, rule, data)
    session.add(rule)
    session.flush()
    repo.replace_components(session, rule.id, specifications, rules)
    session.flush()
    return RuleView(rule, specifications, rules)


def update_rule(
    session: Session, actor: Actor, rule_id: uuid.UUID, data: StackRuleFields
) -> RuleView:
    """Replace a rule's definition, components included."""
    rule = _rule(session, rule_id, lock=True)
    _require(session, actor, rule.owner_org_id)
    specifications, rules = _define(session, rule, data)
    repo.replace_components(session, rule.id, specifications, rules)
    session.flush()
    return RuleView(rule, specifications, rules)


def delete_rule(session: Session, actor: Actor, rule_id: uuid.UUID) -> None:
    """Refused while another rule includes it, naming those rules: deleting it would
    silently make them harder (or impossible) to satisfy."""
    rule = _rule(session, rule_id, lock=True)
    _require(session, actor, rule.owner_org_id)
    including = repo.rules_including(session, rule.id)
    if including:
        raise Conflict(
            lazy_gettext(
                "Other rules include this one: %(titles)s. Change them first.",
                titles=", ".join(r.title for r in including),
            )
        )
    session.delete(rule)
    session.flush()


def _define(
    session: Session, rule: StackRule, data: StackRuleFields
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Check a definition against the catalogue and every other rule, then set the rule's
    own columns; returns its components. Nothing is written when anything is wrong."""
    specification_ids = list(dict.fromkeys(data.specification_ids))
    rule_ids = list(dict.fromkeys(data.rule_ids))
    problems: list[FieldError] = []

    if (data.target_specification_id is None) == (data.program_name is None):
        problems.append(
            FieldError(
                "target_specification_id",
                lazy_gettext("Say what it leads to: a larger credential or a program, not both."),
            )
        )
    if data.program_code is not None and data.program_name is None:
        problems.append(
            FieldError("program_code", lazy_gettext("A program code needs the program's name."))
        )
    if data.target_specification_id is not None:
        target = get_specification(session, data.target_specification_id)
        if target is None or target.owner_org_id != rule.owner_org_id:
            problems.append(
                FieldError(
                    "target_specification_id",
                    lazy_gettext("The larger credential must be one of this issuer's own."),
                )
            )

    published = repo.published_specification_ids(session, specification_ids)
    for position, specification_id in enumerate(data.specification_ids):
        if specification_id not in published:
            problems.append(
                FieldError(
                    f"specification_ids.{position}",
                    lazy_gettext("Only a published specification can count toward a rule."),
                )
            )
    others = {r.id: r for r in repo.all_rules(session) if r.id != rule.id}
    for position, nested_id in enumerate(data.rule_ids):
        if nested_id not in others and nested_id != rule.id:
            problems.append(FieldError(f"rule_ids.{position}", lazy_gettext("No such rule.")))

    candidate = Rule(
        id=rule.id,
        title=data.title,
        kind=data.kind,
        specification_ids=tuple(specification_ids),
        rule_ids=tuple(rule_ids),
        n=data.n if data.kind is RuleKind.N_OF else None,
        credits_required=data.credits_required if data.kind is RuleKind.CREDIT_TOTAL else None,
        target_specification_id=data.target_specification_id,
    )
    ects = repo.credit_values(session, specification_ids)
    problems.extend(
        FieldError(name, message) for name, message in stacking.check_rule(candidate, ects)
    )
    if problems:
        raise InvalidInput(problems[0].message, problems)

    _refuse_cycle(candidate, list(others.values()), repo.all_equivalences(session))

    rule.title = candidate.title
    rule.updated_at = utcnow()  # even when only the components change: see rule_set
    rule.kind = candidate.kind
    rule.n = candidate.n
    rule.credits_required = candidate.credits_required
    rule.target_specification_id = candidate.target_specification_id
    rule.program_name = data.program_name
    rule.program_code = data.program_code
    return specification_ids, rule_ids


def _refuse_cycle(
    candidate: Rule, others: Sequence[Rule], equivalences: Sequence[stacking.Equivalence]
) -> None:
    """The rules already stored have no cycle (every write is checked), so a cycle now
    passes through the rule being written; searching from it names the cycle from there."""
    rules = [candidate, *others]
    cycle = stacking.find_cycle(stacking.dependencies(rules, equivalences))
    if cycle is None:
        return
    text = stacking.describe_cycle(cycle, {r.id: r.title for r in rules})
    following = cycle[1] if len(cycle) > 1 else cycle[0]
    field = "rule_ids" if following in candidate.rule_ids else "specification_ids"
    message = lazy_gettext("These rules would depend on themselves: %(cycle)s.", cycle=text)
    raise Conflict(message, [FieldError(field, message)])


def declare_equivalence(session: Session, actor: Actor, data: EquivalenceCreate) -> Equivalence:
    """The owner of a specification recognises another (usually another issuer's) as
    standing in for it, so holders of that one count as holding this one in every rule."""
    own = get_specification(session, data.specification_id)
    if own is None:
        raise NotFound(lazy_gettext("Specification not found."))
    _require(session, actor, own.owner_org_id)
    if data.equivalent_specification_id == data.specification_id:
        message = lazy_gettext("A specification is already equivalent to itself.")
        raise InvalidInput(message, [FieldError("equivalent_specification_id", message)])
    if not repo.published_specification_ids(session, [data.equivalent_specification_id]):
        message = lazy_gettext("Only a published specification can be recognised as equivalent.")
        raise InvalidInput(message, [FieldError("equivalent_specification_id", message)])
    if repo.find_equivalence(session, data.specification_id, data.equivalent_specification_id):
        raise Conflict(lazy_gettext("This equivalence is already declared."))
    equivalences = [
        *repo.all_equivalences(session),
        stacking.Equivalence(data.specification_id, data.equivalent_specification_id),
    ]
    rules = repo.all_rules(session)
    cycle = stacking.find_cycle(stacking.dependencies(rules, equivalences))
    if cycle is not None:
        text = stacking.describe_cycle(cycle, {r.id: r.title for r in rules})
        message = lazy_gettext("These rules would depend on themselves: %(cycle)s.", cycle=text)
        raise Conflict(message, [FieldError("equivalent_specification_id", message)])
    equivalence = Equivalence(
        specification_id=data.specification_id,
        equivalent_specification_id=data.equivalent_specification_id,
        note=data.note,
        declared_by_id=None if actor.system else actor.person_id,
    )
    session.add(equivalence)
    session.flush()
    return equivalence


def withdraw_equivalence(session: Session, actor: Actor, equivalence_id: uuid.UUID) -> None:
    equivalence = repo.get_equivalence(session, equivalence_id)
    own = get_specification(session, equivalence.specification_id) if equivalence else None
    if equivalence is None or own is None:
        raise NotFound(lazy_gettext("Equivalence not found."))
    _require(session, actor, own.owner_org_id)
    session.delete(equivalence)
    session.flush()


def list_equivalences(session: Session, actor: Actor, org_id: uuid.UUID) -> Sequence[Equivalence]:
    """What an organisation recognises; public, like its rules."""
    require_scope(actor, Scope.CATALOGUE_READ)
    return repo.equivalences_of(session, org_id)


def add_rpl_route(session: Session, actor: Actor, data: RplRouteCreate) -> RplRoute:
    """An assessment-only way to earn one of the issuer's specifications."""
    specification = get_specification(session, data.specification_id)
    if specification is None:
        raise NotFound(lazy_gettext("Specification not found."))
    _require(session, actor, specification.owner_org_id)
    route = RplRoute(specification_id=specification.id, description=data.description)
    session.add(route)
    session.flush()
    return route


def rpl_routes(session: Session, actor: Actor, specification_id: uuid.UUID) -> Sequence[RplRoute]:
    """Public once the specification has been published, inside its organisation before,
    like the specification itself."""
    require_scope(actor, Scope.CATALOGUE_READ)
    specification = get_specification(session, specification_id)
    if specification is None or not (
        repo.issued_versions(session, [specification_id])
        or actor.is_platform_admin
        or specification.owner_org_id in actor.org_ids
    ):
        raise NotFound(lazy_gettext("Specification not found."))
    return repo.rpl_routes_of(session, specification_id)


_compiled: dict[str, tuple[tuple[object, ...], RuleSet]] = {}
"""Per database: the rule set last compiled and the fingerprint it was compiled at."""


def rule_set(session: Session) -> RuleSet:
    """Every rule compiled for evaluation, with equivalences and credit values.

    Reading 1,000 rules and parsing their 6,000 component ids costs far more than
    evaluating them, and rules change rarely, so the compiled set is kept per database and
    reused while ``repository.fingerprint`` is unchanged. A ``RuleSet`` is never changed
    after it is built, so requests on several threads can share it."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    stamp = repo.fingerprint(session)
    cached = _compiled.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    rules = repo.all_rules(session)
    components = {s for rule in rules for s in rule.specification_ids}
    compiled = RuleSet(
        rules, repo.all_equivalences(session), repo.credit_values(session, components)
    )
    _compiled[key] = (stamp, compiled)
    return compiled


def what_counts(
    session: Session, actor: Actor, held_specification_ids: Sequence[uuid.UUID]
) -> list[Standing]:
    """The rules a learner's credentials already count toward: achieved ones first, then
    by how far along, each with what counts, what is missing, and which missing pieces
    can be earned by assessment only. ``held_specification_ids`` will come from the
    learner's verified credentials; for now the caller says."""
    require_scope(actor, Scope.CATALOGUE_READ)
    progress = rule_set(session).evaluate(held_specification_ids)
    counting = {rule_id: p for rule_id, p in progress.items() if p.counts}
    if not counting:
        return []
    heads = repo.rule_heads(session, counting)
    missing = {s for p in counting.values() for s in p.missing_specifications}
    with_rpl = repo.rpl_specification_ids(session, missing)
    standings = [
        Standing(
            rule_id=rule_id,
            title=heads[rule_id].title,
            owner_org_id=heads[rule_id].owner_org_id,
            kind=p.kind,
            target_specification_id=heads[rule_id].target_specification_id,
            program_name=heads[rule_id].program_name,
            program_code=heads[rule_id].program_code,
            progress=p,
            rpl_available=[s for s in p.missing_specifications if s in with_rpl],
        )
        for rule_id, p in counting.items()
        if rule_id in heads
    ]
    standings.sort(key=lambda s: (not s.satisfied, -_fraction(s.progress), s.title))
    return standings


def _fraction(progress: Progress) -> float:
    done = progress.credits if progress.kind is RuleKind.CREDIT_TOTAL else progress.met
    return min(1.0, done / progress.required) if progress.required else 1.0
