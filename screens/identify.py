from __future__ import annotations

from kivy.properties import BooleanProperty, ListProperty, StringProperty
from kivy.uix.button import Button

from screens.base import KioskScreen


class DemoCardButton(Button):
    """One fictitious citizen's ID card, laid on the simulated reader (demo only)."""

    number = StringProperty("")
    tag = StringProperty("")  # a strings.toml key: what is special about this citizen


class IdentifyScreen(KioskScreen):
    reader_down = BooleanProperty(False)
    demo = BooleanProperty(False)  # simulated devices: offer demo cards
    demo_cards = ListProperty([])  # [(number, tag key)]: no names, the screen is public

    def refresh(self, app) -> None:
        status = app.hub.statuses.get("idcard")
        self.reader_down = bool(status and not status.usable and status.state.value != "starting")
        self.demo = app.simulators is not None
        if self.demo:
            sims = app.simulators
            tags = sims.tags or [""] * len(sims.cards)
            self.demo_cards = [(str(i + 1), f"demo.tag.{t}" if t else "")
                               for i, t in enumerate(tags)]

    def on_demo_cards(self, _screen, cards: list) -> None:
        box = self.ids.demo_box
        box.clear_widgets()
        for i, (number, tag) in enumerate(cards):
            button = DemoCardButton(number=number, tag=tag)
            button.bind(on_release=lambda _b, i=i: self._insert(i))
            box.add_widget(button)

    def _insert(self, index: int) -> None:
        from kivy.app import App

        self.insert_demo_card(App.get_running_app(), index)

    def insert_demo_card(self, app, index: int) -> None:
        sims = app.simulators
        sims.idcard.insert(sims.cards[index % len(sims.cards)])
