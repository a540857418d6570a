"""A raw pseudo-terminal pair: the simulator holds the master, a driver opens the slave path."""

from __future__ import annotations

import contextlib
import os
import pty
import tty


class PtyPair:
    def __init__(self) -> None:
        self.master_fd, self._slave_fd = pty.openpty()
        tty.setraw(self.master_fd)
        tty.setraw(self._slave_fd)
        self.port = os.ttyname(self._slave_fd)

    def close(self) -> None:
        for fd in (self.master_fd, self._slave_fd):
            with contextlib.suppress(OSError):  # already closed
                os.close(fd)
