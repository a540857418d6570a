"""办事进度 through the kiosk's client, against the real back end process."""

from __future__ import annotations

import pytest

from kiosk.departments.cases.flow import present_case
from kiosk.departments.cases.service import CaseService
from kiosk.i18n import Catalog
from kiosk.services.gateway import BackendClient, ServiceError

pytestmark = pytest.mark.timeout(60)


def test_progress_and_its_presentation(live_client: BackendClient) -> None:
    case = CaseService(live_client).progress("202611100003")
    assert (case.current_stage, case.light) == ("review", "red")
    catalog = Catalog.load()
    listing = present_case(case, lambda k, _l=None, **v: catalog.text(k, "en", **v), "en")
    assert [r.title for r in listing.rows] == [
        "1. Acceptance", "2. Review and decision", "3. Issuance and delivery"]
    assert [r.value for r in listing.rows] == ["Green: on time", "Red: overdue", "Not started"]
    assert "Now: Review and decision · Red: overdue" in listing.summary


def test_unknown_case(live_client: BackendClient) -> None:
    with pytest.raises(ServiceError) as err:
        CaseService(live_client).progress("202699990000")
    assert err.value.kind == "not_found"
