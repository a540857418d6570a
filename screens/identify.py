from __future__ import annotations

from kivy.properties import BooleanProperty

from screens.base import KioskScreen


class IdentifyScreen(KioskScreen):
    reader_down = BooleanProperty(False)
    demo = BooleanProperty(False)  # simulated devices: offer demo cards

    def refresh(self, app) -> None:
        status = app.hub.statuses.get("idcard")
        self.reader_down = bool(status and not status.usable and status.state.value != "starting")
        self.demo = app.simulators is not None

    def insert_demo_card(self, app, index: int) -> None:
        sims = app.simulators
        sims.idcard.insert(sims.cards[index % len(sims.cards)])
