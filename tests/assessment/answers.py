"""Right and wrong answers to any testable item, read from its key, for tests that take a
test as someone of a known ability would."""

from __future__ import annotations

from typing import Any

from cairn.assessment.enums import ItemType
from cairn.assessment.models import Item


def right_answer(item: Item) -> dict[str, Any]:
    content = item.content
    match item.item_type:
        case ItemType.SINGLE_CHOICE:
            return {"choice": content["correct"][0]}
        case ItemType.MULTIPLE_CHOICE:
            return {"choices": list(content["correct"])}
        case ItemType.TRUE_FALSE:
            return {"value": bool(content["correct"])}
        case ItemType.ORDERED:
            return {"order": list(content["correct_order"])}
        case ItemType.NUMERIC:
            return {"value": content["answer"]}
    raise ValueError(f"{item.item_type} is not scored on the spot")


def wrong_answer(item: Item) -> dict[str, Any]:
    content = item.content
    options = [option["id"] for option in content.get("options", [])]
    match item.item_type:
        case ItemType.SINGLE_CHOICE:
            return {"choice": next(o for o in options if o not in content["correct"])}
        case ItemType.MULTIPLE_CHOICE:
            return {"choices": [o for o in options if o not in content["correct"]]}
        case ItemType.TRUE_FALSE:
            return {"value": not content["correct"]}
        case ItemType.ORDERED:
            return {"order": list(reversed(content["correct_order"]))}
        case ItemType.NUMERIC:
            return {"value": content["answer"] + content.get("tolerance", 0) + 1000}
    raise ValueError(f"{item.item_type} is not scored on the spot")
