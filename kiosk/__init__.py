"""The kiosk application core. It imports no Kivy: ``ui/`` composes it with ``screens/``."""

__version__ = "0.1.0"
