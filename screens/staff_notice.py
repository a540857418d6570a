from __future__ import annotations

from kivy.clock import Clock
from kivy.uix.modalview import ModalView

SHOWN_S = 6  # long enough to read twice; the header button keeps saying "called"


class StaffNotice(ModalView):
    """"Staff have been called": shown over any screen after the call-staff button."""

    _event = None

    def show(self) -> None:
        if self._window is None:
            self.open(animation=False)
        if self._event is not None:
            self._event.cancel()
        self._event = Clock.schedule_once(lambda _dt: self.dismiss(), SHOWN_S)

    def dismiss(self, *args, **kwargs) -> None:
        if self._window is not None:
            super().dismiss(animation=False)
