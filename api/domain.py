"""The gateway to the layers below (credit model, query catalogue), resolved when first called.

The routers name the function they need; when the module or function is not there (a deployment
without it, or a part still being built), the call becomes a clear 501 rather than an import error
at start-up. Results come back JSON-ready (pydantic models dumped, dataclasses as dicts).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel

from api.errors import ApiError


def function(module: str, *names: str) -> Callable[..., Any]:
    """The first of `names` found in `module`, or a 501 ApiError saying what is missing."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise ApiError(501, f"{module} is not available in this build", detail={"module": module}) from exc
    for name in names:
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    raise ApiError(501, f"{module}.{names[0]} is not available in this build", detail={"module": module})


def jsonable(value: Any) -> Any:
    """Plain JSON values from models, dataclasses, enums and dates."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
