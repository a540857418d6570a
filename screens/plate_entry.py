"""违法查询 by plate: a province picker and a letter/digit keypad, no system keyboard.

The plate and the VIN ending are personal: they live in this screen's properties
(reset by ``clear()``) and in the session, never in a log.
"""

from __future__ import annotations

from kivy.properties import BooleanProperty, OptionProperty, StringProperty

from kiosk.departments.traffic.flow import TrafficFlow
from kiosk.departments.traffic.plates import DIGITS, LETTERS, PROVINCES, VIN_CHARS
from screens.base import KioskScreen
from screens.keypad import Keypad

PLATE_MAX, VIN_LEN = 8, 6
__all__ = ["Keypad", "PlateEntryScreen"]  # Keypad: registered for plate_entry.kv


class PlateEntryScreen(KioskScreen):
    flow_type = TrafficFlow
    plate = StringProperty("")
    vin = StringProperty("")
    field = OptionProperty("plate", options=["plate", "vin"])
    board = OptionProperty("province", options=["province", "alnum"])
    problem = StringProperty("")
    ready = BooleanProperty(False)
    personal = ("plate", "vin", "problem")

    def on_kv_post(self, _base) -> None:
        self._follow()

    def refresh(self, app) -> None:
        self._follow()

    def press(self, key: str) -> None:
        self.problem = ""
        if self.field == "plate":
            if key in PROVINCES and self.plate:
                return  # a province only comes first
            if len(self.plate) < PLATE_MAX:
                self.plate += key
            if len(self.plate) == PLATE_MAX:
                self.field = "vin"  # nothing more fits: on to the VIN
        elif key in VIN_CHARS and len(self.vin) < VIN_LEN:
            self.vin += key
        self._follow()

    def delete(self) -> None:
        self.problem = ""
        if self.field == "vin" and not self.vin:
            self.field = "plate"
        if self.field == "plate":
            self.plate = self.plate[:-1]
        else:
            self.vin = self.vin[:-1]
        self._follow()

    def choose(self, field: str) -> None:
        self.field = field
        self._follow()

    def search(self, app) -> None:
        problem = self.flow.by_plate(self.plate, self.vin)
        self.problem = app.t(problem) if problem else ""

    def _follow(self) -> None:
        """The keypad shows provinces for the first character, letters and digits after."""
        self.board = "province" if self.field == "plate" and not self.plate else "alnum"
        keys = list(PROVINCES) if self.board == "province" else list(DIGITS + LETTERS)
        pad = self.ids.keypad
        pad.cols = 8 if self.board == "province" else 10
        if pad.keys != keys:
            pad.keys = keys
        self.ready = len(self.plate) >= PLATE_MAX - 1 and len(self.vin) == VIN_LEN

    def clear(self) -> None:
        super().clear()
        self.field = "plate"
        self._follow()
