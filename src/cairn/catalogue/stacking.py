"""Stacking evaluation: which rules a learner's credentials satisfy, and how far along the
others are.

Pure functions over plain values, so the same code answers a learner's page, the API and
the benchmark, and can be tested without a database. A ``RuleSet`` is compiled once from
the rules (checked for cycles, put in dependency order); ``RuleSet.evaluate`` is then one
pass over the components, so 1,000 rules cost a few milliseconds (decision 0024)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class RuleKind(StrEnum):
    """How a rule's components add up."""

    ALL_OF = "all_of"
    N_OF = "n_of"
    """At least ``n`` of the components."""
    CREDIT_TOTAL = "credit_total"
    """At least ``credits_required`` ECTS credits from the components."""


KIND_LABELS: dict[str, LazyString] = {
    RuleKind.ALL_OF: lazy_gettext("All of"),
    RuleKind.N_OF: lazy_gettext("Some of a set"),
    RuleKind.CREDIT_TOTAL: lazy_gettext("A credit total"),
}

ARROW = " → "


@dataclass(frozen=True)
class Rule:
    """One rule as evaluation needs it: its components are specifications (any version of
    them counts) and other rules, whose achievement counts as a component."""

    id: uuid.UUID
    title: str
    kind: RuleKind
    specification_ids: tuple[uuid.UUID, ...] = ()
    rule_ids: tuple[uuid.UUID, ...] = ()
    n: int | None = None
    credits_required: float | None = None
    target_specification_id: uuid.UUID | None = None
    """The larger credential it stacks into; achieving the rule leads to holding it."""


@dataclass(frozen=True)
class Equivalence:
    """A holder of ``equivalent_id`` counts as holding ``specification_id``: one way, one
    step, as the owner of ``specification_id`` declared it."""

    specification_id: uuid.UUID
    equivalent_id: uuid.UUID


@dataclass(frozen=True)
class Progress:
    """Where a learner stands on one rule."""

    rule_id: uuid.UUID
    kind: RuleKind
    satisfied: bool
    met: int
    """Components met: specifications held (or held by equivalence) and rules achieved."""
    components: int
    required: float
    """What satisfies it: every component, ``n`` of them, or a number of credits."""
    credits: float
    """ECTS counted so far (credit totals; for other kinds, the ECTS of what counts)."""
    counting: tuple[uuid.UUID, ...]
    """The learner's held specifications that count, directly, by equivalence or through
    an achieved rule, each once."""
    by_equivalence: Mapping[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    """Component specification → the held specification that stands in for it."""
    achieved_rules: tuple[uuid.UUID, ...] = ()
    missing_specifications: tuple[uuid.UUID, ...] = ()
    missing_rules: tuple[uuid.UUID, ...] = ()
    without_ects: tuple[uuid.UUID, ...] = ()
    """Counted specifications with no published ECTS: counted as 0 credits."""

    @property
    def counts(self) -> bool:
        """Something the learner holds counts toward it."""
        return bool(self.counting) or self.satisfied


class CycleError(ValueError):
    """Rules that depend on themselves; ``cycle`` starts and ends with the same rule."""

    def __init__(self, cycle: Sequence[uuid.UUID], titles: Mapping[uuid.UUID, str]) -> None:
        self.cycle = tuple(cycle)
        self.text = describe_cycle(cycle, titles)
        super().__init__(self.text)


def describe_cycle(cycle: Sequence[uuid.UUID], titles: Mapping[uuid.UUID, str]) -> str:
    """``Rule A → Rule B → Rule A``: the titles people gave the rules."""
    return ARROW.join(titles.get(rule_id, str(rule_id)) for rule_id in cycle)


def dependencies(
    rules: Iterable[Rule], equivalences: Iterable[Equivalence] = ()
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Rule → the rules it depends on: the rules it includes, and the rules that lead to a
    specification it includes (their target), or to one that counts as it. The second kind
    matters only for checking: a certificate that counts toward a rule leading to that same
    certificate is circular even though no rule includes another."""
    rules = list(rules)
    leading_to: dict[uuid.UUID, list[uuid.UUID]] = {}
    for rule in rules:
        if rule.target_specification_id is not None:
            leading_to.setdefault(rule.target_specification_id, []).append(rule.id)
    counted_as: dict[uuid.UUID, list[uuid.UUID]] = {}
    for equivalence in equivalences:
        counted_as.setdefault(equivalence.specification_id, []).append(equivalence.equivalent_id)
    graph: dict[uuid.UUID, list[uuid.UUID]] = {}
    for rule in rules:
        edges = list(rule.rule_ids)
        for specification_id in rule.specification_ids:
            edges.extend(leading_to.get(specification_id, ()))
            for equivalent_id in counted_as.get(specification_id, ()):
                edges.extend(leading_to.get(equivalent_id, ()))
        graph[rule.id] = list(dict.fromkeys(edges))
    return graph


def find_cycle(graph: Mapping[uuid.UUID, Sequence[uuid.UUID]]) -> list[uuid.UUID] | None:
    """One cycle in ``graph`` as a path that returns to its start, or None.

    Iterative depth-first search with three colours, so deep chains of nested rules cannot
    exhaust Python's recursion limit. Nodes are visited in the graph's order, so the same
    rules always name the same cycle."""
    done: set[uuid.UUID] = set()
    on_path: dict[uuid.UUID, int] = {}
    for start in graph:
        if start in done:
            continue
        path: list[uuid.UUID] = [start]
        on_path[start] = 0
        stack: list[Iterator[uuid.UUID]] = [iter(graph.get(start, ()))]
        while stack:
            following = next(stack[-1], None)
            if following is None:
                finished = path.pop()
                del on_path[finished]
                done.add(finished)
                stack.pop()
            elif following in on_path:
                return [*path[on_path[following] :], following]
            elif following not in done:
                on_path[following] = len(path)
                path.append(following)
                stack.append(iter(graph.get(following, ())))
    return None


def dependency_order(rules: Sequence[Rule], equivalences: Iterable[Equivalence] = ()) -> list[Rule]:
    """Included rules before the rules that include them (Kahn's algorithm); raises
    ``CycleError`` naming a cycle. A rule including an unknown rule is evaluated as if that
    component were never achieved."""
    by_id = {rule.id: rule for rule in rules}
    graph = dependencies(rules, equivalences)
    cycle = find_cycle(graph)
    if cycle is not None:
        raise CycleError(cycle, {rule.id: rule.title for rule in rules})
    waiting = {rule.id: sum(1 for r in set(rule.rule_ids) if r in by_id) for rule in rules}
    included_by: dict[uuid.UUID, list[uuid.UUID]] = {}
    for rule in rules:
        for nested in set(rule.rule_ids):
            if nested in by_id:
                included_by.setdefault(nested, []).append(rule.id)
    ready = [rule.id for rule in rules if waiting[rule.id] == 0]
    ordered: list[Rule] = []
    while ready:
        rule_id = ready.pop()
        ordered.append(by_id[rule_id])
        for parent in included_by.get(rule_id, ()):
            waiting[parent] -= 1
            if waiting[parent] == 0:
                ready.append(parent)
    return ordered


@dataclass(frozen=True)
class _Compiled:
    """A rule with its specifications and nested rules as small integers: hashing ints
    is several times cheaper than hashing UUIDs, and evaluation does little else."""

    rule: Rule
    specifications: tuple[int, ...]
    nested: tuple[int, ...]
    """Positions in the dependency order, always earlier than this rule's."""
    required: float
    untouched: Progress
    """The progress of a learner holding none of it, shared by every such evaluation."""


class RuleSet:
    """Rules compiled for evaluation: checked, ordered, components deduplicated.

    ``ects`` is each specification's credit value (its newest published version's ECTS);
    a specification missing from it has none and counts 0 toward a credit total, and the
    progress says so."""

    def __init__(
        self,
        rules: Sequence[Rule],
        equivalences: Iterable[Equivalence] = (),
        ects: Mapping[uuid.UUID, float | None] | None = None,
    ) -> None:
        equivalences = list(equivalences)
        self.rules = {rule.id: rule for rule in rules}
        ordered = dependency_order(rules, equivalences)
        self._ids: list[uuid.UUID] = []
        self._index: dict[uuid.UUID, int] = {}
        position = {rule.id: number for number, rule in enumerate(ordered)}
        credit_values = ects or {}
        self._compiled: list[_Compiled] = []
        for rule in ordered:
            specifications = tuple(dict.fromkeys(rule.specification_ids))
            nested = tuple(r for r in dict.fromkeys(rule.rule_ids) if r in position)
            required = _required(rule)
            self._compiled.append(
                _Compiled(
                    rule,
                    tuple(self._number(s) for s in specifications),
                    tuple(position[r] for r in nested),
                    required,
                    Progress(
                        rule_id=rule.id,
                        kind=rule.kind,
                        satisfied=required <= 0,
                        met=0,
                        components=len(specifications) + len(nested),
                        required=required,
                        credits=0.0,
                        counting=(),
                        missing_specifications=specifications,
                        missing_rules=nested,
                    ),
                )
            )
        self._stands_in: dict[int, list[int]] = {}
        """Held specification → the specifications it counts as."""
        for equivalence in equivalences:
            if equivalence.specification_id in self._index:
                self._stands_in.setdefault(self._number(equivalence.equivalent_id), []).append(
                    self._index[equivalence.specification_id]
                )
        self._ects = [float(credit_values.get(s) or 0.0) for s in self._ids]
        self._no_ects = [credit_values.get(s) is None for s in self._ids]

    def _number(self, specification_id: uuid.UUID) -> int:
        number = self._index.get(specification_id)
        if number is None:
            number = self._index[specification_id] = len(self._ids)
            self._ids.append(specification_id)
        return number

    def evaluate(self, held: Iterable[uuid.UUID]) -> dict[uuid.UUID, Progress]:
        """Progress on every rule for a learner holding ``held`` specifications."""
        index, ids, ects, no_ects = self._index, self._ids, self._ects, self._no_ects
        held_numbers = {index[s] for s in held if s in index}
        # Specification the learner effectively holds → the held one that gives it.
        holds: dict[int, int] = {}
        for number in held_numbers:
            for counted_as in self._stands_in.get(number, ()):
                holds.setdefault(counted_as, number)
        for number in held_numbers:
            holds[number] = number  # holding it beats holding an equivalent
        results: dict[uuid.UUID, Progress] = {}
        satisfied_at: list[bool] = []
        # Per rule in order: the components it counted (for the credit totals of the rules
        # including it, each counted once) and the held specifications behind them.
        counted: list[tuple[frozenset[int], frozenset[int]]] = []
        nothing: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())
        for compiled in self._compiled:
            rule = compiled.rule
            met_specs = [s for s in compiled.specifications if s in holds]
            achieved = [r for r in compiled.nested if satisfied_at[r]]
            if not met_specs and not achieved:
                results[rule.id] = compiled.untouched
                satisfied_at.append(compiled.untouched.satisfied)
                counted.append(nothing)
                continue
            components = set(met_specs)
            sources = {holds[s] for s in met_specs}
            for position in achieved:
                nested_components, nested_sources = counted[position]
                components |= nested_components
                sources |= nested_sources
            credits = sum(ects[s] for s in components)
            met = len(met_specs) + len(achieved)
            if rule.kind is RuleKind.CREDIT_TOTAL:
                satisfied = credits >= compiled.required - 1e-9
            else:
                satisfied = met >= compiled.required
            satisfied_at.append(satisfied)
            counted.append((frozenset(components), frozenset(sources)))
            results[rule.id] = Progress(
                rule_id=rule.id,
                kind=rule.kind,
                satisfied=satisfied,
                met=met,
                components=compiled.untouched.components,
                required=compiled.required,
                credits=round(credits, 4),
                counting=tuple(ids[s] for s in sources),
                by_equivalence={ids[s]: ids[holds[s]] for s in met_specs if holds[s] != s},
                achieved_rules=tuple(self._compiled[r].rule.id for r in achieved),
                missing_specifications=tuple(
                    ids[s] for s in compiled.specifications if s not in holds
                ),
                missing_rules=tuple(
                    self._compiled[r].rule.id for r in compiled.nested if not satisfied_at[r]
                ),
                without_ects=tuple(ids[s] for s in components if no_ects[s]),
            )
        return results


def _required(rule: Rule) -> float:
    if rule.kind is RuleKind.ALL_OF:
        return float(len(set(rule.specification_ids)) + len(set(rule.rule_ids)))
    if rule.kind is RuleKind.N_OF:
        return float(rule.n or 0)
    return float(rule.credits_required or 0.0)


def check_rule(rule: Rule, ects: Mapping[uuid.UUID, float | None]) -> list[tuple[str, LazyString]]:
    """Why a rule could never be satisfied, as (field, message) pairs; empty when it can.

    A nested rule's credits are not known ahead, so a credit total with nested rules is
    only checked for having components at all."""
    problems: list[tuple[str, LazyString]] = []
    components = len(set(rule.specification_ids)) + len(set(rule.rule_ids))
    if components == 0:
        problems.append(("components", lazy_gettext("A rule needs at least one component.")))
    if rule.kind is RuleKind.N_OF:
        if rule.n is None or rule.n < 1:
            problems.append(("n", lazy_gettext("Say how many of the components are needed.")))
        elif rule.n > components:
            problems.append(
                (
                    "n",
                    lazy_gettext(
                        "It asks for %(n)s components but has only %(count)s.",
                        n=rule.n,
                        count=components,
                    ),
                )
            )
    if rule.kind is RuleKind.CREDIT_TOTAL:
        if rule.credits_required is None or rule.credits_required <= 0:
            problems.append(("credits_required", lazy_gettext("Say how many credits are needed.")))
        elif not rule.rule_ids:
            available = sum(ects.get(s) or 0.0 for s in set(rule.specification_ids))
            if available + 1e-9 < rule.credits_required:
                problems.append(
                    (
                        "credits_required",
                        lazy_gettext(
                            "It asks for %(required)s credits but its components carry "
                            "only %(available)s.",
                            required=f"{rule.credits_required:g}",
                            available=f"{available:g}",
                        ),
                    )
                )
    return problems
