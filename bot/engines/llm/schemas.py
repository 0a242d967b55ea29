"""JSON Schemas of the model's answers. Strict-mode compatible (every property required, no
extra properties), so OpenAI's `json_schema` mode accepts them as they are."""

from __future__ import annotations

from typing import Any


def _obj(**props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(props),
        "properties": props,
    }


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


_STR = {"type": "string"}
_INT = {"type": "integer"}

MAP = _obj(
    stances=_array(_obj(label=_STR, comments=_array(_INT))),
    arguments=_array(
        _obj(
            point=_STR,
            stance=_INT,
            comments=_array(_INT),
            quote=_obj(comment=_INT, author=_STR, text=_STR),
        )
    ),
)

MERGE = _obj(
    stances=_array(_obj(label=_STR, **{"from": _array(_STR)})),
    arguments=_array(_obj(point=_STR, stance=_INT, **{"from": _array(_STR)})),
)

REDUCE = _obj(
    headline=_STR,
    sides=_array(
        _obj(
            label=_STR,
            stance=_STR,
            summary=_STR,
            stances=_array(_STR),
            key_arguments=_array(_obj(point=_STR, arguments=_array(_STR))),
        )
    ),
)

ANSWER = _obj(answer=_STR, citations=_array(_INT))
