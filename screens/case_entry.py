"""办事进度: the case number from the acceptance notice, typed on a digit keypad."""

from __future__ import annotations

from kivy.properties import StringProperty

from kiosk.departments.cases.flow import CASE_DIGITS, CaseFlow
from screens.base import KioskScreen
from screens.keypad import Keypad

__all__ = ["CaseEntryScreen", "Keypad"]  # Keypad: registered for case_entry.kv
DIGIT_KEYS = [*"123456789", "0"]


class CaseEntryScreen(KioskScreen):
    flow_type = CaseFlow
    number = StringProperty("")
    shown = StringProperty("")  # grouped by four for reading: 2026 1122 0001
    problem = StringProperty("")
    personal = ("number", "shown", "problem")

    def on_kv_post(self, _base) -> None:
        self.ids.keypad.keys = DIGIT_KEYS

    def on_number(self, _screen, number: str) -> None:
        self.shown = " ".join(number[i:i + 4] for i in range(0, len(number), 4))

    def press(self, key: str) -> None:
        self.problem = ""
        if len(self.number) < CASE_DIGITS:
            self.number += key

    def delete(self) -> None:
        self.problem = ""
        self.number = self.number[:-1]

    def search(self, app) -> None:
        problem = self.flow.lookup(self.number)
        self.problem = app.t(problem) if problem else ""
