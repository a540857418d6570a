"""排队取号: the hall's business types and the people waiting for each (the number
itself comes from the queue device)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from kiosk.services.gateway import BackendClient, parse

BUSINESS_TYPES_PATH = "/api/v1/queue/business-types"


class BusinessType(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    code: int = Field(ge=1, le=255)  # the queue device's business number
    department_zh: str
    department_en: str
    name_zh: str
    name_en: str
    windows: str
    waiting: int = Field(ge=0)


class _BusinessTypes(BaseModel):
    business_types: list[BusinessType]


class QueueService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def business_types(self) -> tuple[BusinessType, ...]:
        """Raises ServiceError."""
        data = self._client.get_json(BUSINESS_TYPES_PATH)
        return tuple(parse(_BusinessTypes, data, "queue business types").business_types)
