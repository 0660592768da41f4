"""The documented JSON format of an item bank (docs/item-bank-format.md), as Pydantic
models: one discriminated model per item type, each checking that it can be answered
(one right option, a key that names real options, a rubric that adds up)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from cairn.kit.i18n import gettext

Text = Annotated[str, Field(min_length=1, max_length=4000)]
Code = Annotated[str, Field(min_length=1, max_length=80)]


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Code
    text: Text


class Calibration(BaseModel):
    """Parameters estimated from responses, carried by an export so that a bank moved to
    another installation keeps them instead of falling back to the author's seeds."""

    model_config = ConfigDict(extra="forbid")
    guessing: float | None = Field(default=None, ge=0, lt=1)
    thresholds: list[float] | None = Field(default=None, max_length=20)
    calibrated_at: AwareDatetime | None = None


class ItemBase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: Code
    version: int = Field(default=1, ge=1)
    competence: Code
    level: int = Field(ge=1, le=20)
    stem: Text | None = None
    difficulty: float = Field(description="A starting IRT difficulty (b) on the logit scale.")
    discrimination: float = Field(default=1.0, gt=0, le=5)
    feedback: str | None = Field(default=None, max_length=4000)
    tags: list[Code] = Field(default_factory=list, max_length=20)
    calibration: Calibration | None = None
    exposures: int | None = Field(default=None, ge=0)
    """Written by an export for the reader's information; this installation counts its own."""

    @field_validator("difficulty")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value) or abs(value) > 6:
            raise ValueError(gettext("Give a difficulty between -6 and 6."))
        return value

    def option_ids(self) -> list[str]:
        return []


class WithOptions(ItemBase):
    options: list[Option] = Field(min_length=2, max_length=10)

    def option_ids(self) -> list[str]:
        return [option.id for option in self.options]

    @model_validator(mode="after")
    def _distinct_options(self) -> WithOptions:
        if len(set(self.option_ids())) != len(self.options):
            raise ValueError(gettext("Two options have the same id."))
        return self


class SingleChoice(WithOptions):
    type: Literal["single_choice"]
    stem: Text
    correct: list[Code]
    scoring: Literal["all_or_nothing"] = "all_or_nothing"

    @model_validator(mode="after")
    def _one_right_answer(self) -> SingleChoice:
        if len(self.correct) != 1 or self.correct[0] not in self.option_ids():
            raise ValueError(gettext("Exactly one of the options must be the right answer."))
        return self


class MultipleChoice(WithOptions):
    type: Literal["multiple_choice"]
    stem: Text
    correct: list[Code]
    scoring: Literal["all_or_nothing", "partial"] = "all_or_nothing"

    @model_validator(mode="after")
    def _right_answers_exist(self) -> MultipleChoice:
        if len(set(self.correct)) < 2 or not set(self.correct) <= set(self.option_ids()):
            raise ValueError(gettext("Name two or more of the options as right answers."))
        if set(self.correct) == set(self.option_ids()):
            raise ValueError(gettext("At least one option must be wrong."))
        return self


class TrueFalse(ItemBase):
    type: Literal["true_false"]
    stem: Text
    correct: bool


class Ordered(WithOptions):
    type: Literal["ordered"]
    stem: Text
    correct_order: list[Code]
    scoring: Literal["exact", "partial"] = "exact"

    @model_validator(mode="after")
    def _order_is_a_permutation(self) -> Ordered:
        if sorted(self.correct_order) != sorted(self.option_ids()):
            raise ValueError(gettext("The right order must list every option once."))
        return self


class Numeric(ItemBase):
    type: Literal["numeric"]
    stem: Text
    answer: float
    tolerance: float = Field(default=0, ge=0)
    unit: str | None = Field(default=None, max_length=40)


class LikertSelfReport(ItemBase):
    type: Literal["likert_self_report"]
    statement: Text
    scale: list[Text] = Field(min_length=3, max_length=7)
    descriptor_level: int = Field(ge=1, le=20)


class RubricLevel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points: int = Field(ge=0, le=20)
    description: Text


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")
    criterion: Text
    levels: list[RubricLevel] = Field(min_length=2, max_length=6)

    @model_validator(mode="after")
    def _distinct_points(self) -> Criterion:
        points = [level.points for level in self.levels]
        if len(set(points)) != len(points) or 0 not in points:
            raise ValueError(gettext("Each criterion needs distinct point levels, starting at 0."))
        return self


class Scenario(ItemBase):
    type: Literal["scenario"]
    task: Text
    rubric: list[Criterion] = Field(min_length=1, max_length=10)
    max_points: int = Field(ge=1)

    @model_validator(mode="after")
    def _rubric_adds_up(self) -> Scenario:
        total = sum(max(level.points for level in criterion.levels) for criterion in self.rubric)
        if total != self.max_points:
            raise ValueError(
                gettext(
                    "max_points is %(given)s but the rubric's top levels add up to %(total)s.",
                    given=self.max_points,
                    total=total,
                )
            )
        return self


ItemIn = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Ordered | Numeric | LikertSelfReport | Scenario,
    Field(discriminator="type"),
]


class BankInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
    version: Code
    title: Text
    framework: Code
    framework_version: Code | None = None
    language: Annotated[str, Field(min_length=2, max_length=16)] = "en"
    licence: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=4000)


BOOKKEEPING = {
    "id",
    "version",
    "competence",
    "level",
    "difficulty",
    "discrimination",
    "tags",
    "calibration",
    "exposures",
}
"""The fields of an item that describe it in the bank rather than what a learner sees."""


def content_of(item: BaseModel) -> dict[str, Any]:
    """What a learner sees and the scorer needs: everything but the bank bookkeeping."""
    return item.model_dump(
        mode="json",
        exclude=BOOKKEEPING,
    )
