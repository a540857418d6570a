"""A document made ready for the configured printer: its own font and QR, or one raster.

The printer profile (``[devices.printer] profile``) decides; the key (a certificate's
verification code) makes sure the same document is never printed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL.Image import Image

from drivers.printer.profiles import profile
from kiosk.config import PrinterConfig
from kiosk.printing.certificate import Certificate
from kiosk.printing.native import certificate_escpos
from kiosk.printing.render import render_certificate


@dataclass(frozen=True)
class PrintJob:
    key: str | None
    kind: str  # "certificate": what the print journal may show, never anything personal
    body: bytes | None = None  # ESC/POS in the printer's own font and codes ...
    image: Image | None = None  # ... or one raster image


def certificate_job(cert: Certificate, printer: PrinterConfig, font: str) -> PrintJob:
    caps = profile(printer.profile)
    key = cert.verification_code or None
    if caps.native_text:  # a fraction of the bytes: milliseconds on the wire, not seconds
        body = certificate_escpos(cert, font, width=printer.width_dots, charset=caps.font_charset)
        return PrintJob(key, "certificate", body=body)
    return PrintJob(key, "certificate", image=render_certificate(cert, font, printer.width_dots))
