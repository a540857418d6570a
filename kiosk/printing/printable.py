"""A document made ready for the configured printer: its own font and QR, or one raster.

The one place that chooses: the printer profile (``[devices.printer] profile``), the
font and the paper width come from config here, so no flow reads them. The key (a
certificate's verification code) makes sure the same document is never printed twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL.Image import Image

from drivers.printer.profiles import profile
from kiosk.config import KioskConfig, PrinterConfig
from kiosk.printing.certificate import Certificate
from kiosk.printing.native import certificate_escpos
from kiosk.printing.render import render_certificate
from kiosk.printing.ticket import QueueTicket, render_ticket, ticket_escpos


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


def ticket_job(ticket: QueueTicket, site_name: str, lang: str, printer: PrinterConfig,
               font: str) -> PrintJob:
    """No key: a queue device may hand out the same number again (a reset, a new day), and
    a ticket left unprinted because a key was seen before costs the citizen their turn."""
    caps, width = profile(printer.profile), printer.width_dots
    if caps.native_text:  # about 1 kB, a tenth of a second at 115200 baud, not 6 s
        body = ticket_escpos(ticket, site_name, font, width, lang=lang,
                             charset=caps.font_charset)
        return PrintJob(None, "queue-ticket", body=body)
    return PrintJob(None, "queue-ticket",
                    image=render_ticket(ticket, site_name, font, width, lang=lang))


class Press:
    """Renders every document the kiosk prints, for the printer it has."""

    def __init__(self, config: KioskConfig) -> None:
        self._config = config

    @property
    def _font(self) -> str:
        return str(self._config.display.font)

    def certificate(self, cert: Certificate) -> PrintJob:
        return certificate_job(cert, self._config.devices.printer, self._font)

    def ticket(self, ticket: QueueTicket, lang: str) -> PrintJob:
        """A queue ticket, English beside the Chinese in an English session."""
        return ticket_job(ticket, self._config.terminal.site_name, lang,
                          self._config.devices.printer, self._font)
