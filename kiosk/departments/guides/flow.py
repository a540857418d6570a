"""办事指南 (searched on the kiosk, typos forgiven) and 一件事 bundles (the steps across
departments, the materials once, what the government holds marked as not needed)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.controller import KioskController
from kiosk.declaration import Wiring
from kiosk.departments.guides.presenters import present_bundle, present_bundles, present_guide
from kiosk.departments.guides.service import Guide, GuideCatalog, GuideService
from kiosk.records import RecordsView, show_records

ERRORS = {"not_found": "guide.error", "default": "guide.error"}


@dataclass
class GuideState:
    """The catalog (nothing personal: searched on the kiosk), for this session."""

    catalog: GuideCatalog | None = None


class GuideFlow:

    def __init__(self, ctl: KioskController, service: GuideService) -> None:
        self.ctl = ctl
        self.service = service

    def open(self) -> None:
        self.ctl.session.state(GuideState).catalog = None
        self.ctl.query("guides.catalog", "guides", lambda _id: self.service.catalog(),
                       self._keep, ERRORS)

    def _keep(self, catalog: GuideCatalog) -> None:
        self.ctl.session.state(GuideState).catalog = catalog

    @property
    def catalog(self) -> GuideCatalog | None:
        return self.ctl.session.state(GuideState).catalog

    def show_guide(self, guide: Guide) -> None:
        view = RecordsView("guide.title", present_guide, back="guides")
        show_records(self.ctl, "guides.view", view, lambda _id: guide)

    def bundles(self) -> None:
        catalog = self.catalog
        if catalog is None:
            return
        view = RecordsView("bundle.list_title", present_bundles, back="guides",
                           act=self.open_bundle)
        show_records(self.ctl, "guides.bundles", view, lambda _id: catalog)

    def open_bundle(self, catalog: GuideCatalog, index: int) -> None:
        bundle_id = catalog.bundles[index].id
        view = RecordsView("bundle.title", present_bundle, back="guides")
        show_records(self.ctl, "guides.bundle", view,
                     lambda id_number: self.service.bundle(bundle_id, id_number), ERRORS)


def build(wiring: Wiring) -> GuideFlow:
    return GuideFlow(wiring.ctl, GuideService(wiring.client))
