"""办事指南 and 一件事 bundles: the catalog (nothing personal, searched on the kiosk) and a
bundle for the citizen, marking the materials the government already holds."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from kiosk.services.gateway import BackendClient, parse
from kiosk.services.values import PersonalValue

BASE = "/api/v1/guides"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Material(_Value):
    name_zh: str
    name_en: str


class Guide(_Value):
    id: str
    title_zh: str
    title_en: str
    pinyin: str
    keywords: str
    department: str
    department_en: str = ""
    at_kiosk: bool
    days: int
    fee: str
    fee_en: str = ""
    materials: tuple[Material, ...]


class BundleSummary(_Value):
    id: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str


class GuideCatalog(_Value):
    guides: tuple[Guide, ...]
    bundles: tuple[BundleSummary, ...]


class Step(_Value):
    title_zh: str
    title_en: str
    department: str
    department_en: str = ""
    days: int


class BundleMaterial(Material):
    held: bool  # the government holds it for this person: not asked for


class Bundle(PersonalValue):  # what is held says something about the person
    id: str
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    steps: tuple[Step, ...]
    materials: tuple[BundleMaterial, ...]


class GuideService:
    def __init__(self, client: BackendClient) -> None:
        self._client = client

    def catalog(self) -> GuideCatalog:
        return parse(GuideCatalog, self._client.get_json(f"{BASE}/catalog"), "guide catalog")

    def bundle(self, bundle_id: str, id_number: str) -> Bundle:
        data = self._client.post_json(f"{BASE}/bundle",
                                      {"bundle_id": bundle_id, "id_number": id_number})
        return parse(Bundle, data, "bundle")
