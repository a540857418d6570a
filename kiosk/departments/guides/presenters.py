"""What the 办事指南 lists show: pure functions of the catalog (no Kivy, no I/O)."""

from __future__ import annotations

from kiosk.departments.guides.service import Bundle, Guide, GuideCatalog
from kiosk.i18n import local
from kiosk.records import Listing, Row, Translate


def present_guide(g: Guide, t: Translate, lang: str) -> Listing:
    summary = "\n".join([
        local(g.title_zh, g.title_en, lang),
        t("guide.facts", department=local(g.department, g.department_en, lang),
          days=t("guide.days", n=g.days) if g.days else t("guide.on_the_spot"),
          fee=local(g.fee, g.fee_en, lang)),
        t("guide.here") if g.at_kiosk else t("guide.counter"),
        t("guide.materials"),
    ])
    rows = [Row(local(m.name_zh, m.name_en, lang)) for m in g.materials]
    return Listing(summary, rows)


def present_bundles(catalog: GuideCatalog, t: Translate, lang: str) -> Listing:
    rows = [Row(local(b.title_zh, b.title_en, lang), local(b.summary_zh, b.summary_en, lang),
                action=t("bundle.open")) for b in catalog.bundles]
    return Listing(t("bundle.intro"), rows)


def present_bundle(b: Bundle, t: Translate, lang: str) -> Listing:
    rows = [
        Row(t("bundle.step", n=n, title=local(s.title_zh, s.title_en, lang)),
            t("bundle.step_detail", department=local(s.department, s.department_en, lang),
              days=t("guide.days", n=s.days) if s.days else t("guide.on_the_spot")))
        for n, s in enumerate(b.steps, start=1)
    ]
    rows += [
        Row(local(m.name_zh, m.name_en, lang),
            t("bundle.held_detail") if m.held else t("bundle.bring_detail"),
            t("bundle.held") if m.held else t("bundle.bring"),
            tone="ok" if m.held else "warn")
        for m in b.materials
    ]
    held = sum(1 for m in b.materials if m.held)
    summary = "\n".join([
        local(b.title_zh, b.title_en, lang) + " · " + local(b.summary_zh, b.summary_en, lang),
        t("bundle.counts", steps=len(b.steps), materials=len(b.materials), held=held),
    ])
    return Listing(summary, rows)
