from __future__ import annotations

from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView


class TimeoutDialog(ModalView):
    """"Are you still there?" with a countdown, in the last seconds of an idle session."""

    seconds = NumericProperty(0)

    @property
    def is_open(self) -> bool:
        return self._window is not None  # ModalView keeps _window while it is open

    def open_once(self) -> None:
        if self._window is None:
            self.open(animation=False)

    def dismiss(self, *args, **kwargs) -> None:
        if self._window is not None:
            super().dismiss(animation=False)
