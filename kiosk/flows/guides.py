"""办事指南 (searched on the kiosk, typos forgiven) and 一件事 bundles (the steps across
departments, the materials once, what the government holds marked as not needed)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.i18n import local
from kiosk.records import Listing, RecordsView, Row, Translate, show_records
from kiosk.services.guides import Bundle, Guide, GuideCatalog, GuideService

CATALOG_KEY = "guides"
ERRORS = {"not_found": "guide.error", "default": "guide.error"}


class GuideFlow:
    department = "guides"

    def __init__(self, ctl: KioskController, service: GuideService) -> None:
        self.ctl = ctl
        self.service = service

    def open(self) -> None:
        self.ctl.query("guides.catalog", CATALOG_KEY, "guides", lambda _id: self.service.catalog(),
                       ERRORS)

    @property
    def catalog(self) -> GuideCatalog | None:
        return self.ctl.session.results.get(CATALOG_KEY)

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


def present_guide(g: Guide, t: Translate, lang: str) -> Listing:
    zh = lang == "zh"
    summary = "\n".join([
        g.title_zh if zh else g.title_en,
        t("guide.facts", department=local(g.department, g.department_en, lang),
          days=t("guide.days", n=g.days) if g.days else t("guide.on_the_spot"),
          fee=local(g.fee, g.fee_en, lang)),
        t("guide.here") if g.at_kiosk else t("guide.counter"),
        t("guide.materials"),
    ])
    rows = [Row(m.name_zh if zh else m.name_en) for m in g.materials]
    return Listing(summary, rows)


def present_bundles(catalog: GuideCatalog, t: Translate, lang: str) -> Listing:
    zh = lang == "zh"
    rows = [Row(b.title_zh if zh else b.title_en, b.summary_zh if zh else b.summary_en,
                action=t("bundle.open")) for b in catalog.bundles]
    return Listing(t("bundle.intro"), rows)


def present_bundle(b: Bundle, t: Translate, lang: str) -> Listing:
    zh = lang == "zh"
    rows = [
        Row(t("bundle.step", n=n, title=s.title_zh if zh else s.title_en),
            t("bundle.step_detail", department=local(s.department, s.department_en, lang),
              days=t("guide.days", n=s.days) if s.days else t("guide.on_the_spot")))
        for n, s in enumerate(b.steps, start=1)
    ]
    rows += [
        Row(m.name_zh if zh else m.name_en,
            t("bundle.held_detail") if m.held else t("bundle.bring_detail"),
            t("bundle.held") if m.held else t("bundle.bring"),
            tone="ok" if m.held else "warn")
        for m in b.materials
    ]
    held = sum(1 for m in b.materials if m.held)
    summary = "\n".join([
        (b.title_zh if zh else b.title_en) + " · " + (b.summary_zh if zh else b.summary_en),
        t("bundle.counts", steps=len(b.steps), materials=len(b.materials), held=held),
    ])
    return Listing(summary, rows)
