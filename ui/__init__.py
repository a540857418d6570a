"""The Kivy wiring of the kiosk: the app class, Kivy's setup, the launcher.

The core (``kiosk/``) imports no Kivy; this package composes it with ``screens/``.
"""
