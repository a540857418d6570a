"""Which voice prompt to speak, and when: a screen's prompt once when it shows.

The app tells the prompter what is on screen after each refresh; the prompt is
spoken when it differs from the last one said, so refreshes of the same screen are
silent. Coming back to a screen, or switching the language, says it again.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.departments import voice_prompts

# The prompt spoken when a screen shows; the printing screen's follows its print state.
# A department's screens speak what its declaration says (kiosk/departments/).
SCREEN_PROMPTS = {"identify": "voice.identify", "home": "voice.home",
                  "rating": "voice.rating", "ended": "voice.ended", **voice_prompts()}
PRINT_PROMPTS = {"printing": "voice.printing", "done": "voice.take_document"}


class Speaker(Protocol):
    def say(self, key: str, lang: str, slow: bool = False) -> None: ...


def prompt_for(screen: str, print_state: str = "") -> str:
    """The catalog key to speak on ``screen`` ("" for none)."""
    if screen == "printing":
        return PRINT_PROMPTS.get(print_state, "")
    return SCREEN_PROMPTS.get(screen, "")


class Prompter:
    def __init__(self, voice: Speaker) -> None:
        self.voice = voice
        self._last = ""

    def forget(self) -> None:
        """The next ``shown`` speaks its prompt even if it was the last one said."""
        self._last = ""

    def shown(self, screen: str, print_state: str, lang: str, slow: bool) -> None:
        """``screen`` is on display (refreshed): speak its prompt if it is new."""
        prompt = prompt_for(screen, print_state)
        if prompt and prompt != self._last:
            self.voice.say(prompt, lang, slow=slow)
        self._last = prompt
