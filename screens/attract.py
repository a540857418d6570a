from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen


class AttractScreen(KioskScreen):
    clock = StringProperty("")
    date = StringProperty("")
    blink = BooleanProperty(False)  # toggles every second: the "locate" banner flashes

    def on_pre_enter(self, *_a) -> None:
        self._tick()
        self._event = Clock.schedule_interval(self._tick, 1)

    def on_leave(self, *_a) -> None:
        self._event.cancel()

    def _tick(self, *_a) -> None:
        now = App.get_running_app().local_clock.now()  # the hall's time, not the machine's
        self.clock = now.strftime("%H:%M")
        self.date = now.strftime("%Y-%m-%d")
        self.blink = not self.blink

    def on_touch_down(self, touch) -> bool:
        if self.collide_point(*touch.pos):
            App.get_running_app().controller.start()
            return True
        return super().on_touch_down(touch)
