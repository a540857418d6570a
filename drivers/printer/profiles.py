"""What a printer model can do, chosen by name in the config (``[devices.printer] profile``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    chinese_font: bool  # GB18030 text from its own font ROM (FS &)
    native_qr: bool  # GS ( k QR codes
    font_charset: str = "gb2312"  # characters outside it are sent as raster

    @property
    def native_text(self) -> bool:
        return self.chinese_font and self.native_qr


PROFILES = {
    # A Chinese kiosk printer: font ROM with GB18030 (GB2312 surely), native QR. About 1/40
    # of the raster's bytes for a certificate: milliseconds on the wire instead of seconds.
    "cn-font-qr": PrinterProfile("cn-font-qr", chinese_font=True, native_qr=True),
    # Any ESC/POS printer: everything as one raster image (GS v 0).
    "raster-only": PrinterProfile("raster-only", chinese_font=False, native_qr=False),
}


def profile(name: str) -> PrinterProfile:
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise ValueError(f"unknown printer profile {name!r}; known: {known}") from None
