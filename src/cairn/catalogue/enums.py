from __future__ import annotations

from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class VersionStatus(StrEnum):
    """A version's lifecycle: only a draft changes; a published version never does."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    RETIRED = "retired"


class AssessmentType(StrEnum):
    """How achievement of the learning outcomes is assessed (EU 2022 element i)."""

    EXAM = "exam"
    PROJECT = "project"
    PORTFOLIO = "portfolio"
    PRACTICAL = "practical"
    """Observed performance of a real or simulated task."""
    ADAPTIVE_TEST = "adaptive_test"
    MIXED = "mixed"


class Participation(StrEnum):
    """Form of participation in the learning activity (EU 2022 element j)."""

    ONLINE = "online"
    ON_SITE = "on_site"
    BLENDED = "blended"
    WORK_INTEGRATED = "work_integrated"


class IdentityCheck(StrEnum):
    """Supervision and identity verification during assessment (an EU 2022 optional element)."""

    NONE = "none"
    ONLINE_UNSUPERVISED_CHECKED = "online_checked"
    """Identity checked online, assessment unsupervised."""
    ONLINE_PROCTORED = "online_proctored"
    IN_PERSON = "in_person"


class Profile(StrEnum):
    """The recognised set of elements a specification is designed to."""

    EU_2022 = "eu_2022"
    """Council Recommendation of 16 June 2022 on micro-credentials, Annex I."""
    ECAMPUS_ONTARIO = "ecampusontario"
    """eCampusOntario's micro-credential principles and framework."""


LABELS: dict[str, LazyString] = {
    VersionStatus.DRAFT: lazy_gettext("Draft"),
    VersionStatus.IN_REVIEW: lazy_gettext("In review"),
    VersionStatus.PUBLISHED: lazy_gettext("Published"),
    VersionStatus.RETIRED: lazy_gettext("Retired"),
    AssessmentType.EXAM: lazy_gettext("Examination"),
    AssessmentType.PROJECT: lazy_gettext("Project"),
    AssessmentType.PORTFOLIO: lazy_gettext("Portfolio"),
    AssessmentType.PRACTICAL: lazy_gettext("Practical demonstration"),
    AssessmentType.ADAPTIVE_TEST: lazy_gettext("Adaptive test"),
    AssessmentType.MIXED: lazy_gettext("Several methods"),
    Participation.ONLINE: lazy_gettext("Online"),
    Participation.ON_SITE: lazy_gettext("On site"),
    Participation.BLENDED: lazy_gettext("Blended"),
    Participation.WORK_INTEGRATED: lazy_gettext("Work-integrated"),
    IdentityCheck.NONE: lazy_gettext("No identity check"),
    IdentityCheck.ONLINE_UNSUPERVISED_CHECKED: lazy_gettext(
        "Identity checked online, unsupervised"
    ),
    IdentityCheck.ONLINE_PROCTORED: lazy_gettext("Supervised online (proctored)"),
    IdentityCheck.IN_PERSON: lazy_gettext("Supervised in person"),
    Profile.EU_2022: lazy_gettext("EU Council Recommendation 2022"),
    Profile.ECAMPUS_ONTARIO: lazy_gettext("eCampusOntario micro-credential principles"),
}


def label(value: StrEnum) -> str:
    return str(LABELS.get(value, value.value))
