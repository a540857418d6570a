"""Raw HTTP as a hostile client sends it: a huge body, declared or chunked, pushed
until the server answers or hangs up; and a server process's memory, from /proc."""

from __future__ import annotations

import select
import socket
import time
from pathlib import Path

MiB = 1 << 20


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (the peak resident so far) of a process."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def flood(host: str, port: int, head: str, total: int, *, chunked: bool,
          timeout: float = 120) -> tuple[int, bytes]:
    """Send ``head`` (request line and headers, without the blank line), then up to
    ``total`` body bytes, stopping once the server answers or closes. Returns the body
    bytes the server took and what it answered."""
    block = b"x" * MiB
    sent, answer = 0, b""
    deadline = time.monotonic() + timeout
    with socket.create_connection((host, port), timeout=5) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n\r\n")
        try:
            while sent < total and time.monotonic() < deadline:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered (or hung up) before the body was in
                piece = b"%x\r\n%s\r\n" % (len(block), block) if chunked else block
                sock.sendall(piece)
                sent += len(block)
            if chunked and sent >= total:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        sock.settimeout(10)
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and len(answer) > 20 and _complete(answer):
                    break
        except (ConnectionResetError, TimeoutError):
            pass
    return sent, answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
