from __future__ import annotations

from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class ItemType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    ORDERED = "ordered"
    NUMERIC = "numeric"
    LIKERT_SELF_REPORT = "likert_self_report"
    """A self-rating against a level descriptor: evidence, never right or wrong."""
    SCENARIO = "scenario"
    """A realistic task scored by an assessor with a rubric."""


class Scoring(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"
    EXACT = "exact"


LABELS: dict[str, LazyString] = {
    ItemType.SINGLE_CHOICE: lazy_gettext("Multiple choice, one answer"),
    ItemType.MULTIPLE_CHOICE: lazy_gettext("Multiple choice, several answers"),
    ItemType.TRUE_FALSE: lazy_gettext("True or false"),
    ItemType.ORDERED: lazy_gettext("Put in order"),
    ItemType.NUMERIC: lazy_gettext("Short numeric answer"),
    ItemType.LIKERT_SELF_REPORT: lazy_gettext("Self-assessment"),
    ItemType.SCENARIO: lazy_gettext("Scenario task scored by an assessor"),
}


def label(value: StrEnum) -> str:
    return str(LABELS.get(value, value.value))


class EvidenceSource(StrEnum):
    """Where a claim about someone's level comes from, strongest first (decision 0016)."""

    VERIFIED_CREDENTIAL = "verified_credential"
    PROCTORED_TEST = "proctored_test"
    ASSESSOR_REVIEW = "assessor_review"
    """Recognition of prior learning: an assessor judged submitted evidence against criteria."""
    TEST = "test"
    """An unproctored adaptive test or quiz."""
    MANAGER_RATING = "manager_rating"
    PEER_RATING = "peer_rating"
    SELF_ASSESSMENT = "self_assessment"


PRECEDENCE: tuple[EvidenceSource, ...] = tuple(EvidenceSource)
"""Strongest first: a stronger source's level wins over a weaker one's, whatever its date."""

LABELS.update(
    {
        EvidenceSource.VERIFIED_CREDENTIAL: lazy_gettext("Verified credential"),
        EvidenceSource.PROCTORED_TEST: lazy_gettext("Proctored adaptive test"),
        EvidenceSource.ASSESSOR_REVIEW: lazy_gettext("Assessor-reviewed evidence"),
        EvidenceSource.TEST: lazy_gettext("Online test"),
        EvidenceSource.MANAGER_RATING: lazy_gettext("Manager's rating"),
        EvidenceSource.PEER_RATING: lazy_gettext("Peer's rating"),
        EvidenceSource.SELF_ASSESSMENT: lazy_gettext("Self-assessment"),
    }
)


class IrtModel(StrEnum):
    """The item response models Cairn calibrates and tests with (assessment.irt)."""

    TWO_PL = "2pl"
    THREE_PL = "3pl"
    GRM = "grm"
    """Samejima's graded response model, for ratings and rubric totals in ordered categories."""

    @property
    def polytomous(self) -> bool:
        return self is IrtModel.GRM


class TestMode(StrEnum):
    ADAPTIVE = "adaptive"
    """Each item chosen for the answers so far (``cat``); stops when precise enough."""
    FIXED_FORM = "fixed_form"
    """The same items in the same order for everyone."""
    QUIZ = "quiz"
    """Self-paced: every question of a form on one page, answered in any order or skipped,
    scored once at the end."""


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EXPIRED = "expired"
    """Closed unfinished at its deadline; answers after it are refused."""


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    """Launched: participants invited, tests may be taken until the deadline."""
    CLOSED = "closed"


class RplStatus(StrEnum):
    """Recognition of prior learning: a learner's claim, then an assessor's decision."""

    SUBMITTED = "submitted"
    MORE_EVIDENCE = "more_evidence"
    """Returned to the learner with a request; they add evidence and resubmit."""
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ArtifactKind(StrEnum):
    FILE = "file"
    LINK = "link"


LABELS.update(
    {
        TestMode.ADAPTIVE: lazy_gettext("Adaptive test"),
        TestMode.FIXED_FORM: lazy_gettext("Fixed form"),
        TestMode.QUIZ: lazy_gettext("Self-paced quiz"),
        AttemptStatus.IN_PROGRESS: lazy_gettext("In progress"),
        AttemptStatus.COMPLETED: lazy_gettext("Completed"),
        AttemptStatus.EXPIRED: lazy_gettext("Expired"),
        CampaignStatus.DRAFT: lazy_gettext("Draft"),
        CampaignStatus.OPEN: lazy_gettext("Open"),
        CampaignStatus.CLOSED: lazy_gettext("Closed"),
        RplStatus.SUBMITTED: lazy_gettext("Waiting for review"),
        RplStatus.MORE_EVIDENCE: lazy_gettext("More evidence requested"),
        RplStatus.ACCEPTED: lazy_gettext("Accepted"),
        RplStatus.REJECTED: lazy_gettext("Not accepted"),
        ArtifactKind.FILE: lazy_gettext("File"),
        ArtifactKind.LINK: lazy_gettext("Link"),
    }
)
