"""办事指南 and 一件事 through the kiosk's client, against the real back end process."""

from __future__ import annotations

import pytest

from kiosk.departments.guides.flow import present_bundle
from kiosk.departments.guides.search import search
from kiosk.departments.guides.service import GuideService
from kiosk.i18n import Catalog
from kiosk.services.gateway import BackendClient

pytestmark = pytest.mark.timeout(60)


def test_catalog_search_and_a_bundle(live_client: BackendClient) -> None:
    guides = GuideService(live_client)
    catalog = guides.catalog()
    assert search(catalog.guides, "jiashizheng")[0].id == "licence-renew"
    bundle = guides.bundle("restaurant", "440304198803121237")
    assert "440304" not in repr(bundle)
    texts = Catalog.load()
    listing = present_bundle(bundle, lambda k, _l=None, **v: texts.text(k, "en", **v), "en")
    assert listing.rows[0].title == "Step 1: Business licence"
    held = [r.title for r in listing.rows if r.tone == "ok"]
    assert held == ["Resident ID card", "Social insurance registration",
                    "Housing fund registration"]
