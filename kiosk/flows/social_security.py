"""社保: insurance status and the insurance certificate (参保证明)."""

from __future__ import annotations

from kiosk.controller import KioskController
from kiosk.printing.printable import certificate_job
from kiosk.services.social_security import SocialSecurityService

ERRORS = {"not_found": "ss.not_found", "default": "ss.error"}


class SocialSecurityFlow:
    department = "social-security"

    def __init__(self, ctl: KioskController, service: SocialSecurityService) -> None:
        self.ctl = ctl
        self.service = service

    def open(self) -> None:
        self.ctl.query(
            "ss.insurance_status", "insurance", "ss_status", self.service.insurance_status, ERRORS
        )

    def print_certificate(self) -> None:
        font = str(self.ctl.config.display.font)
        printer = self.ctl.config.devices.printer  # its profile: own font + QR, or raster
        self.ctl.print_document(
            "ss.certificate",
            "ss_status",
            lambda id_number: certificate_job(
                self.service.issue_certificate(id_number), printer, font
            ),
        )
