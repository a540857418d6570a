"""A base for typed back-end answers that hold personal data."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from common.privacy import personal


@personal
class PersonalValue(BaseModel):
    """Immutable, lenient (extra fields ignored), and never shown by ``repr``: a stray
    log line or traceback prints ``Account(<personal>)``, not a name or a balance."""

    model_config = ConfigDict(frozen=True, extra="ignore")
