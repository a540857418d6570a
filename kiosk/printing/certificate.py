"""A certificate (e.g. 参保证明) as data, as the back end issues it."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.privacy import personal


@personal
@dataclass(frozen=True)
class Certificate:
    title: str  # "社会保险参保证明"
    holder_name: str
    id_number_masked: str  # "440304********1234": the full number is never printed
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value) lines
    verification_code: str = ""  # "SS-20261122-7F3KQ9": type it in, or scan the QR
    verify_url: str = ""  # what the QR code encodes
    issued_at: str = ""  # "2026-11-22 20:15"
    issuer: str = ""  # "深圳市社会保险基金管理局"
