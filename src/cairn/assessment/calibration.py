"""Calibrating a bank from the answers people gave in finished tests.

A bank ships with its authors' starting estimates; once enough people have answered, mirt
estimates each item's parameters from the stored responses (``irt.calibrate``), which
refuses, saying how much more data it needs, below the published minimums. Applying a
calibration updates the current item versions' parameters in place: an estimate describes
the same wording better, so it is not a new version of the item."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from cairn.assessment import repository as repo
from cairn.assessment.attempts import TESTABLE_TYPES
from cairn.assessment.enums import IrtModel
from cairn.assessment.irt import Calibration, CalibrationNeedsMoreData, calibrate
from cairn.assessment.models import Item, ItemBank
from cairn.kit.actor import Actor, Role
from cairn.kit.clock import utcnow
from cairn.kit.errors import FieldError, InvalidInput, NotFound, PermissionDenied
from cairn.kit.i18n import lazy_gettext

CALIBRATORS = frozenset({Role.HR_ADMIN, Role.ISSUER_ADMIN, Role.EDUCATOR})
"""Who may recalibrate their organisation's own bank; public banks are the operator's."""


@dataclass(frozen=True, eq=False)
class BankCalibration:
    bank: ItemBank
    model: IrtModel
    calibration: Calibration
    items: list[Item]
    """The calibrated items, in the order of the calibration's parameters."""
    skipped: dict[str, int]
    """Item key → further responses it needs, for items left out as too short of data."""
    applied: bool


def _editable_bank(session: Session, actor: Actor, bank_id: uuid.UUID) -> ItemBank:
    bank = repo.get_bank(session, bank_id)
    if bank is None:
        raise NotFound(lazy_gettext("Item bank not found."))
    if actor.system or actor.is_platform_admin:
        return bank
    if bank.owner_org_id is None or bank.owner_org_id not in actor.org_ids:
        raise NotFound(lazy_gettext("Item bank not found."))
    if not actor.has_any_role(bank.owner_org_id, CALIBRATORS):
        raise PermissionDenied(lazy_gettext("Only the bank's organisation can calibrate it."))
    return bank


def calibrate_bank(
    session: Session,
    actor: Actor,
    bank_id: uuid.UUID,
    model: IrtModel = IrtModel.TWO_PL,
    *,
    apply: bool = False,
    skip_short: bool = False,
) -> BankCalibration:
    """Estimate the bank's testable items from finished tests. With ``skip_short``, items
    still short of responses are left as they are and the rest calibrated, as long as there
    are enough respondents; without it, any shortage refuses the whole calibration."""
    bank = _editable_bank(session, actor, bank_id)
    if model.polytomous:
        message = lazy_gettext(
            "Test answers are right or wrong: calibrate them with the 2PL or 3PL model."
        )
        raise InvalidInput(message, [FieldError("model", message)])
    items = [i for i in repo.current_items(session, bank.id) if i.item_type in TESTABLE_TYPES]
    column = {item.key: index for index, item in enumerate(items)}
    answers = repo.bank_responses(session, bank.id)
    row = {attempt: index for index, attempt in enumerate(sorted({a for a, _, _ in answers}))}
    data = np.full((len(row), len(items)), np.nan)
    for attempt, key, category in answers:
        if key in column:
            data[row[attempt], column[key]] = category
    keys = [item.key for item in items]
    skipped: dict[str, int] = {}
    try:
        result = calibrate(data, model, item_keys=keys)
    except CalibrationNeedsMoreData as short:
        if not skip_short or short.more_respondents or len(short.more_responses) == len(keys):
            raise
        skipped = short.more_responses
        kept = [index for index, key in enumerate(keys) if key not in skipped]
        items = [items[index] for index in kept]
        result = calibrate(data[:, kept], model, item_keys=[keys[index] for index in kept])
    if apply:
        now = utcnow()
        parameters = result.parameters
        for index, item in enumerate(items):
            item.discrimination = float(parameters.discrimination[index])
            item.difficulty = float(parameters.difficulty[index])
            item.guessing = (
                float(parameters.guessing[index]) if model is IrtModel.THREE_PL else None
            )
            item.calibrated_at = now
        session.flush()
    return BankCalibration(bank, model, result, items, skipped, apply)
