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


class NetworkKind(StrEnum):
    """What brings a network's employers and educators together."""

    SECTOR = "sector"
    REGIONAL = "regional"


class NeedStatus(StrEnum):
    """A skills need is open for proposals until agreed, closed or withdrawn."""

    OPEN = "open"
    AGREED = "agreed"
    """A proposal was agreed; the thread stays readable and commentable."""
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class ProposalStatus(StrEnum):
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    AGREED = "agreed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class CodesignAction(StrEnum):
    """One entry of a co-design thread's audit trail."""

    NEED_POSTED = "need_posted"
    NEED_UPDATED = "need_updated"
    NEED_CLOSED = "need_closed"
    NEED_WITHDRAWN = "need_withdrawn"
    PROPOSAL_SUBMITTED = "proposal_submitted"
    PROPOSAL_REVISED = "proposal_revised"
    CHANGES_REQUESTED = "changes_requested"
    PROPOSAL_AGREED = "proposal_agreed"
    PROPOSAL_DECLINED = "proposal_declined"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn"
    COMMENTED = "commented"


class SkillMatch(StrEnum):
    """How a job posting's skill was found."""

    LISTED = "listed"
    """Named in the posting's own skills field (a URI, code or exact label)."""
    LABEL = "label"
    """A skill's label or alternative label appears word for word in the text."""
    MODEL = "model"
    """The skill-intelligence linker found it named in other words (decision 0040)."""


class SurveyKind(StrEnum):
    LEARNER_COMPLETION = "learner_completion"
    """Asked of the learner when the credential is awarded."""
    LEARNER_FOLLOW_UP = "learner_follow_up"
    """Asked of the learner six months later: did it help at work?"""
    EMPLOYER = "employer"
    """Asked of the holder's employer, with the holder's consent: did they have the skills?"""


class JobOutcome(StrEnum):
    """What changed at work after the credential, as the learner reports it."""

    NEW_JOB = "new_job"
    PROMOTION = "promotion"
    PAY_RISE = "pay_rise"
    NEW_RESPONSIBILITIES = "new_responsibilities"
    SAME_JOB_BETTER = "same_job_better"
    NO_CHANGE = "no_change"
    LOOKING = "looking"
    NOT_WORKING = "not_working"


class OfferingStatus(StrEnum):
    """Whether a run of a course takes enrolments."""

    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


LABELS: dict[tuple[type[StrEnum], str], LazyString] = {
    (type(member), member.value): text
    for member, text in [
        (VersionStatus.DRAFT, lazy_gettext("Draft")),
        (VersionStatus.IN_REVIEW, lazy_gettext("In review")),
        (VersionStatus.PUBLISHED, lazy_gettext("Published")),
        (VersionStatus.RETIRED, lazy_gettext("Retired")),
        (AssessmentType.EXAM, lazy_gettext("Examination")),
        (AssessmentType.PROJECT, lazy_gettext("Project")),
        (AssessmentType.PORTFOLIO, lazy_gettext("Portfolio")),
        (AssessmentType.PRACTICAL, lazy_gettext("Practical demonstration")),
        (AssessmentType.ADAPTIVE_TEST, lazy_gettext("Adaptive test")),
        (AssessmentType.MIXED, lazy_gettext("Several methods")),
        (Participation.ONLINE, lazy_gettext("Online")),
        (Participation.ON_SITE, lazy_gettext("On site")),
        (Participation.BLENDED, lazy_gettext("Blended")),
        (Participation.WORK_INTEGRATED, lazy_gettext("Work-integrated")),
        (IdentityCheck.NONE, lazy_gettext("No identity check")),
        (
            IdentityCheck.ONLINE_UNSUPERVISED_CHECKED,
            lazy_gettext("Identity checked online, unsupervised"),
        ),
        (IdentityCheck.ONLINE_PROCTORED, lazy_gettext("Supervised online (proctored)")),
        (IdentityCheck.IN_PERSON, lazy_gettext("Supervised in person")),
        (Profile.EU_2022, lazy_gettext("EU Council Recommendation 2022")),
        (Profile.ECAMPUS_ONTARIO, lazy_gettext("eCampusOntario micro-credential principles")),
        (NetworkKind.SECTOR, lazy_gettext("Sector network")),
        (NetworkKind.REGIONAL, lazy_gettext("Regional network")),
        (NeedStatus.OPEN, lazy_gettext("Open")),
        (NeedStatus.AGREED, lazy_gettext("Agreed")),
        (NeedStatus.CLOSED, lazy_gettext("Closed")),
        (NeedStatus.WITHDRAWN, lazy_gettext("Withdrawn")),
        (ProposalStatus.SUBMITTED, lazy_gettext("Submitted")),
        (ProposalStatus.CHANGES_REQUESTED, lazy_gettext("Changes requested")),
        (ProposalStatus.AGREED, lazy_gettext("Agreed")),
        (ProposalStatus.DECLINED, lazy_gettext("Declined")),
        (ProposalStatus.WITHDRAWN, lazy_gettext("Withdrawn")),
        (CodesignAction.NEED_POSTED, lazy_gettext("posted the need")),
        (CodesignAction.NEED_UPDATED, lazy_gettext("updated the need")),
        (CodesignAction.NEED_CLOSED, lazy_gettext("closed the need")),
        (CodesignAction.NEED_WITHDRAWN, lazy_gettext("withdrew the need")),
        (CodesignAction.PROPOSAL_SUBMITTED, lazy_gettext("submitted a proposal")),
        (CodesignAction.PROPOSAL_REVISED, lazy_gettext("revised the proposal")),
        (CodesignAction.CHANGES_REQUESTED, lazy_gettext("asked for changes")),
        (CodesignAction.PROPOSAL_AGREED, lazy_gettext("agreed the proposal")),
        (CodesignAction.PROPOSAL_DECLINED, lazy_gettext("declined the proposal")),
        (CodesignAction.PROPOSAL_WITHDRAWN, lazy_gettext("withdrew the proposal")),
        (CodesignAction.COMMENTED, lazy_gettext("commented")),
        (SkillMatch.LISTED, lazy_gettext("Listed in the posting")),
        (SkillMatch.LABEL, lazy_gettext("Skill name found in the text")),
        (SkillMatch.MODEL, lazy_gettext("Found by the skill linker, in other words")),
        (SurveyKind.LEARNER_COMPLETION, lazy_gettext("Learner, at completion")),
        (SurveyKind.LEARNER_FOLLOW_UP, lazy_gettext("Learner, six months later")),
        (SurveyKind.EMPLOYER, lazy_gettext("Employer")),
        (JobOutcome.NEW_JOB, lazy_gettext("Found a new job")),
        (JobOutcome.PROMOTION, lazy_gettext("Was promoted")),
        (JobOutcome.PAY_RISE, lazy_gettext("Got a pay rise")),
        (JobOutcome.NEW_RESPONSIBILITIES, lazy_gettext("Took on new responsibilities")),
        (JobOutcome.SAME_JOB_BETTER, lazy_gettext("Does the same job better")),
        (JobOutcome.NO_CHANGE, lazy_gettext("No change yet")),
        (JobOutcome.LOOKING, lazy_gettext("Looking for work")),
        (JobOutcome.NOT_WORKING, lazy_gettext("Not working, by choice")),
        (OfferingStatus.OPEN, lazy_gettext("Open for enrolment")),
        (OfferingStatus.CLOSED, lazy_gettext("Closed to enrolment")),
        (OfferingStatus.CANCELLED, lazy_gettext("Cancelled")),
        (EnrolmentStatus.ENROLLED, lazy_gettext("Enrolled")),
        (EnrolmentStatus.COMPLETED, lazy_gettext("Completed")),
        (EnrolmentStatus.WITHDRAWN, lazy_gettext("Withdrawn")),
    ]
}
"""Keyed by enum and value: two enums may share a value ("changes_requested")."""


def label(value: StrEnum) -> str:
    return str(LABELS.get((type(value), value.value), value.value))
