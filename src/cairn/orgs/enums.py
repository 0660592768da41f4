from enum import StrEnum

from cairn.kit.i18n import LazyString, lazy_gettext


class OrgKind(StrEnum):
    EMPLOYER = "employer"
    PROVIDER = "provider"
    """An education or training provider: a college, a university, a private trainer."""
    PROGRAM_AUTHORITY = "program_authority"
    """A funder or government body that runs learning-account programs."""
    COMMUNITY = "community"


class SizeBand(StrEnum):
    """Employer size by headcount, as in the OECD/EU bands."""

    MICRO = "micro"  # fewer than 10
    SMALL = "small"  # 10-49
    MEDIUM = "medium"  # 50-249
    LARGE = "large"  # 250 or more


class RegionType(StrEnum):
    URBAN = "urban"
    RURAL = "rural"
    REMOTE = "remote"


class AgeBand(StrEnum):
    UNDER_25 = "under_25"
    AGE_25_39 = "25_39"
    AGE_40_54 = "40_54"
    AGE_55_64 = "55_64"
    AGE_65_PLUS = "65_plus"


class YesNoUndisclosed(StrEnum):
    YES = "yes"
    NO = "no"
    PREFER_NOT = "prefer_not_to_say"


class OfficialLanguage(StrEnum):
    ENGLISH = "en"
    FRENCH = "fr"


LABELS: dict[str, LazyString] = {
    OrgKind.EMPLOYER: lazy_gettext("Employer"),
    OrgKind.PROVIDER: lazy_gettext("Education or training provider"),
    OrgKind.PROGRAM_AUTHORITY: lazy_gettext("Program authority"),
    OrgKind.COMMUNITY: lazy_gettext("Community organisation"),
    SizeBand.MICRO: lazy_gettext("Micro (fewer than 10 people)"),
    SizeBand.SMALL: lazy_gettext("Small (10 to 49 people)"),
    SizeBand.MEDIUM: lazy_gettext("Medium (50 to 249 people)"),
    SizeBand.LARGE: lazy_gettext("Large (250 people or more)"),
    RegionType.URBAN: lazy_gettext("Urban"),
    RegionType.RURAL: lazy_gettext("Rural"),
    RegionType.REMOTE: lazy_gettext("Remote"),
    AgeBand.UNDER_25: lazy_gettext("Under 25"),
    AgeBand.AGE_25_39: lazy_gettext("25 to 39"),
    AgeBand.AGE_40_54: lazy_gettext("40 to 54"),
    AgeBand.AGE_55_64: lazy_gettext("55 to 64"),
    AgeBand.AGE_65_PLUS: lazy_gettext("65 or over"),
    YesNoUndisclosed.YES: lazy_gettext("Yes"),
    YesNoUndisclosed.NO: lazy_gettext("No"),
    YesNoUndisclosed.PREFER_NOT: lazy_gettext("Prefer not to say"),
    OfficialLanguage.ENGLISH: lazy_gettext("English"),
    OfficialLanguage.FRENCH: lazy_gettext("French"),
    "learner": lazy_gettext("Learner"),
    "manager": lazy_gettext("Manager"),
    "hr_admin": lazy_gettext("HR administrator"),
    "educator": lazy_gettext("Educator"),
    "issuer_admin": lazy_gettext("Issuer administrator"),
    "program_admin": lazy_gettext("Program administrator"),
    "platform_admin": lazy_gettext("Platform administrator"),
}


def label(value: str) -> str:
    """The translated label of an enum value, for pages and the CLI."""
    text = LABELS.get(value)
    return str(text) if text is not None else value
