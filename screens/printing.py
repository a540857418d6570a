from __future__ import annotations

from kivy.properties import StringProperty

from screens.base import KioskScreen


class PrintingScreen(KioskScreen):
    state = StringProperty("")  # "printing", "done", "failed"
    message = StringProperty("")

    def refresh(self, app) -> None:
        ctl = app.controller
        self.state = ctl.print_state
        if self.state == "done":
            self.message = app.t("print.done")
        elif self.state == "failed":
            self.message = app.t("print.failed", reason=app.t(ctl.notice or "print.printer_down"))
        else:
            self.message = app.t("print.wait")
