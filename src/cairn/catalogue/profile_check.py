"""Whether a specification has every element its chosen profile requires, element by
element, so that the issuer sees exactly what is missing (decision 0023).

- ``eu_2022``: the mandatory elements of Annex I of the Council Recommendation of 16 June
  2022 on a European approach to micro-credentials (2022/C 243/02) that describe the offer.
  The learner's identity and the date of issue belong to each earned credential, not to
  the specification, so they are checked when a credential is issued.
- ``ecampusontario``: eCampusOntario's micro-credential principles — relevance,
  verifiability, ownership, extensibility — and its framework's expectations of partner
  endorsement, summative assessment and a transcriptable record."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cairn.catalogue.enums import Profile
from cairn.catalogue.models import LearningOutcome, SpecificationVersion
from cairn.kit.i18n import LazyString, lazy_gettext


@dataclass(frozen=True)
class Draft:
    """What the check reads: a version with its outcomes, awarding bodies and endorsers."""

    version: SpecificationVersion
    outcomes: Sequence[LearningOutcome]
    issuer_names: Sequence[str]
    """The owner first, then co-issuers."""
    endorser_names: Sequence[str]
    """Organisations other than the issuers that endorse this version."""


@dataclass(frozen=True)
class Finding:
    element: str
    """A stable key, e.g. ``learning_outcomes``, also the form field to fix."""
    label: LazyString
    passed: bool
    missing: LazyString | None = None
    """What to add, when it does not pass."""


@dataclass(frozen=True)
class ProfileCheck:
    profile: Profile
    findings: list[Finding]

    @property
    def passed(self) -> bool:
        return all(finding.passed for finding in self.findings)

    @property
    def missing(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.passed]


def _text(value: str | None) -> bool:
    return bool(value and value.strip())


Rule = tuple[str, LazyString, Callable[[Draft], bool], LazyString]
"""(element, its name, whether the draft has it, what to add when it does not)."""

EU_2022: tuple[Rule, ...] = (
    (
        "title",
        lazy_gettext("Title"),
        lambda d: _text(d.version.title),
        lazy_gettext("Give the micro-credential a title."),
    ),
    (
        "country",
        lazy_gettext("Country or region of the issuer"),
        lambda d: _text(d.version.country),
        lazy_gettext("Say the country (and region, if any) of the awarding body."),
    ),
    (
        "issuers",
        lazy_gettext("Awarding body"),
        lambda d: bool(d.issuer_names),
        lazy_gettext("Name at least one awarding body."),
    ),
    (
        "learning_outcomes",
        lazy_gettext("Learning outcomes"),
        lambda d: any(_text(outcome.statement) for outcome in d.outcomes),
        lazy_gettext("State at least one learning outcome."),
    ),
    (
        "workload",
        lazy_gettext("Notional workload"),
        lambda d: d.version.ects is not None or d.version.workload_hours is not None,
        lazy_gettext("Give the notional workload, in ECTS credits wherever possible, or hours."),
    ),
    (
        "level",
        lazy_gettext("Level"),
        lambda d: d.version.eqf_level is not None or _text(d.version.national_level),
        lazy_gettext("Give the EQF level or the level in a national qualifications framework."),
    ),
    (
        "assessment_type",
        lazy_gettext("Type of assessment"),
        lambda d: d.version.assessment_type is not None,
        lazy_gettext("Say how the learning outcomes are assessed."),
    ),
    (
        "participation",
        lazy_gettext("Form of participation"),
        lambda d: d.version.participation is not None,
        lazy_gettext("Say whether it is online, on site, blended or work-integrated."),
    ),
    (
        "quality_assurance",
        lazy_gettext("Quality assurance"),
        lambda d: _text(d.version.quality_assurance),
        lazy_gettext("Describe the quality assurance that underpins it."),
    ),
)

ECAMPUS_ONTARIO: tuple[Rule, ...] = (
    (
        "relevance",
        lazy_gettext("Relevance: outcomes aligned to skills"),
        lambda d: any(outcome.skill_id is not None for outcome in d.outcomes),
        lazy_gettext("Align the learning outcomes to skills of a framework, with a level."),
    ),
    (
        "endorsement",
        lazy_gettext("Partner endorsement"),
        lambda d: bool(d.endorser_names),
        lazy_gettext("Have an employer or industry partner endorse this version."),
    ),
    (
        "verifiability",
        lazy_gettext("Verifiability: competencies assessed"),
        lambda d: d.version.assessment_type is not None,
        lazy_gettext("Say how the competencies are assessed."),
    ),
    (
        "summative",
        lazy_gettext("Summative assessment"),
        lambda d: d.version.summative,
        lazy_gettext("Assess achievement of the outcomes at the end, not attendance alone."),
    ),
    (
        "ownership",
        lazy_gettext("Ownership: the learner holds and shares it"),
        # Cairn issues every credential as an Open Badges 3.0 credential to the learner's
        # own wallet, to share as they choose: nothing for the issuer to add.
        lambda d: True,
        lazy_gettext("Issue it to the learner as a credential they hold."),
    ),
    (
        "extensibility",
        lazy_gettext("Extensibility: how it stacks"),
        lambda d: _text(d.version.stackability),
        lazy_gettext("Say what larger credential or program it counts toward."),
    ),
    (
        "transcriptable",
        lazy_gettext("Transcriptable"),
        lambda d: d.version.transcriptable,
        lazy_gettext("Record it on the learner's transcript."),
    ),
    (
        "learning_outcomes",
        lazy_gettext("Learning outcomes"),
        lambda d: any(_text(outcome.statement) for outcome in d.outcomes),
        lazy_gettext("State at least one learning outcome."),
    ),
    (
        "workload",
        lazy_gettext("Time to complete"),
        lambda d: d.version.ects is not None or d.version.workload_hours is not None,
        lazy_gettext("Give the hours of learning it takes."),
    ),
)

RULES: dict[Profile, tuple[Rule, ...]] = {
    Profile.EU_2022: EU_2022,
    Profile.ECAMPUS_ONTARIO: ECAMPUS_ONTARIO,
}


def check(draft: Draft, profile: Profile | None = None) -> ProfileCheck:
    """The draft against ``profile`` (by default the one its issuer chose)."""
    chosen = profile or draft.version.profile
    findings = []
    for element, name, present, missing in RULES[chosen]:
        passed = present(draft)
        findings.append(Finding(element, name, passed, None if passed else missing))
    return ProfileCheck(chosen, findings)
