"""Kivy screens: one ``.kv`` file per screen for layout, thin Python for behaviour.

Screens read the session through the app's controller and call its methods; they
do no I/O and never block.
"""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.screenmanager import NoTransition, ScreenManager

from screens.attract import AttractScreen
from screens.base import KioskRoot
from screens.case_entry import CaseEntryScreen
from screens.ended import EndedScreen
from screens.guides import GuidesScreen
from screens.hf_account import HousingFundScreen
from screens.home import HomeScreen
from screens.identify import IdentifyScreen
from screens.payment import PaymentScreen
from screens.plate_entry import PlateEntryScreen
from screens.printing import PrintingScreen
from screens.queue import QueueScreen
from screens.rating import RatingScreen
from screens.records import RecordsScreen
from screens.ss_card import SocialSecurityCardScreen
from screens.ss_status import SocialSecurityScreen
from screens.traffic import TrafficScreen

KV_DIR = Path(__file__).parent
SCREENS = {
    "attract": AttractScreen,
    "identify": IdentifyScreen,
    "home": HomeScreen,
    "ss_status": SocialSecurityScreen,
    "ss_card": SocialSecurityCardScreen,
    "queue": QueueScreen,
    "hf_account": HousingFundScreen,
    "traffic": TrafficScreen,
    "plate_entry": PlateEntryScreen,
    "payment": PaymentScreen,
    "case_entry": CaseEntryScreen,
    "guides": GuidesScreen,
    "records": RecordsScreen,
    "printing": PrintingScreen,
    "rating": RatingScreen,
    "ended": EndedScreen,
}


def build_root():
    """Load every .kv and return (root widget, screen manager)."""
    for kv in sorted(KV_DIR.glob("*.kv")):
        Builder.unload_file(str(kv))  # a second app in one process must not bind rules twice
        Builder.load_file(str(kv))
    # No animation: a kiosk answers a touch at once, and a transition swallows touches.
    manager = ScreenManager(transition=NoTransition())
    for name, cls in SCREENS.items():
        manager.add_widget(cls(name=name))
    root = KioskRoot()
    root.ids.slot.add_widget(manager)
    return root, manager
