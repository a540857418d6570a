"""The countdown dialog follows the session's warning; it is spoken once as it opens."""

from __future__ import annotations

from kiosk.config import SessionConfig
from kiosk.session import Citizen, Session
from ui.timeout_warning import TimeoutWarning


class Dialog:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.is_open = False
        self.opened = 0

    def open_once(self) -> None:
        if not self.is_open:
            self.is_open, self.opened = True, self.opened + 1

    def dismiss(self) -> None:
        self.is_open = False


def test_opens_in_the_last_seconds_counts_down_and_closes_on_a_touch() -> None:
    now = [0.0]
    session = Session(SessionConfig(idle_timeout_s=60, warning_s=15, thanks_s=4),
                      clock=lambda: now[0])
    session.start()
    session.identified(Citizen("张三", "11010519491231002X"))
    dialog, said = Dialog(), []
    warning = TimeoutWarning(session, dialog, lambda: said.append("timeout"))
    warning.tick()
    assert not dialog.is_open and said == []
    now[0] = 50.0
    warning.tick()
    assert dialog.is_open and dialog.seconds == 10 and said == ["timeout"]
    now[0] = 52.5
    warning.tick()
    assert dialog.seconds == 8 and said == ["timeout"] and dialog.opened == 1  # said once
    session.touch()  # "more time"
    warning.tick()
    assert not dialog.is_open
