"""A screen's prompt is spoken once when it shows, again after forget()."""

from __future__ import annotations

from kiosk.prompts import SCREEN_PROMPTS, Prompter, prompt_for


class Recorder:
    def __init__(self) -> None:
        self.said: list[tuple[str, str, bool]] = []

    def say(self, key: str, lang: str, slow: bool = False) -> None:
        self.said.append((key, lang, slow))


def test_a_screen_s_prompt_is_said_once_however_often_it_refreshes():
    voice = Recorder()
    prompter = Prompter(voice)
    for _ in range(3):
        prompter.shown("home", "", "zh", slow=False)
    assert voice.said == [("voice.home", "zh", False)]


def test_forgetting_says_it_again_in_the_language_and_pace_asked():
    voice = Recorder()
    prompter = Prompter(voice)
    prompter.shown("identify", "", "zh", slow=False)
    prompter.forget()  # the language switched, or the citizen came back to the screen
    prompter.shown("identify", "", "en", slow=True)
    assert voice.said == [("voice.identify", "zh", False), ("voice.identify", "en", True)]


def test_a_screen_without_a_prompt_is_silent_and_the_next_prompt_is_said():
    voice = Recorder()
    prompter = Prompter(voice)
    prompter.shown("home", "", "zh", slow=False)
    prompter.shown("records", "", "zh", slow=False)  # no prompt: silent
    prompter.shown("home", "", "zh", slow=False)  # back home: said again
    assert [k for k, _l, _s in voice.said] == ["voice.home", "voice.home"]


def test_printing_speaks_by_its_state():
    assert prompt_for("printing", "printing") == "voice.printing"
    assert prompt_for("printing", "done") == "voice.take_document"
    assert prompt_for("printing", "failed") == ""
    voice = Recorder()
    prompter = Prompter(voice)
    for state in ("printing", "printing", "done"):
        prompter.shown("printing", state, "zh", slow=False)
    assert [k for k, _l, _s in voice.said] == ["voice.printing", "voice.take_document"]


def test_every_prompt_is_a_voice_key():
    """Voice.say speaks only voice.* keys: a prompt outside them would be silent."""
    assert all(key.startswith("voice.") for key in SCREEN_PROMPTS.values())
