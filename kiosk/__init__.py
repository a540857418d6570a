"""The kiosk application core. No Kivy import outside ``kiosk.app``."""

__version__ = "0.1.0"
