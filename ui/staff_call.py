"""A citizen's "call staff" (呼叫工作人员): the staff.call alarm raised once however often
it is touched, the notice shown and spoken each time, and cleared when the citizen has
gone (the session went idle) or, for a call made with no session, after ``idle_s``.

Kivy-free: the app hands in what to show, say and poke, and mirrors ``called`` (a
``Topic``) into its property for the header button.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from common.events import Topic


class StaffCall:
    def __init__(
        self,
        *,
        show_notice: Callable[[], None],
        dismiss_notice: Callable[[], None],
        say_called: Callable[[], None],
        poke: Callable[[], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._show, self._dismiss, self._say, self._poke = (
            show_notice, dismiss_notice, say_called, poke)
        self._clock = clock
        self.called = False
        self._called_at = 0.0
        self.changed: Topic[bool] = Topic("staff_call.changed")

    def call(self) -> None:
        if not self.called:
            self.called, self._called_at = True, self._clock()
            self.changed.publish(True)
            self._poke()  # the fleet hears of it now, not at the next check
        self._show()
        self._say()

    def clear(self) -> None:
        """The citizen who asked has gone."""
        if self.called:
            self.called = False
            self.changed.publish(False)
            self._dismiss()
            self._poke()

    def tick(self, in_session: bool, idle_s: float) -> None:
        """About twice a second: a call made with no session clears after ``idle_s``."""
        if self.called and not in_session and self._clock() - self._called_at > idle_s:
            self.clear()
