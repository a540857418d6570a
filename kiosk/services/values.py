"""A base for typed back-end answers that hold personal data."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PersonalValue(BaseModel):
    """Immutable, lenient (extra fields ignored), and never shown by ``repr``: a stray
    log line or traceback prints ``Account(<personal>)``, not a name or a balance."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<personal>)"

    __str__ = __repr__
