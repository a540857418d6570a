"""Voice guidance with the real espeak-ng: real audio in both languages, written to WAV
files (this machine has no sound card); a newer prompt cuts an older one; a missing or
failing espeak-ng is logged once; only catalog prompts, never anything personal."""

from __future__ import annotations

import logging
import math
import shutil
import time
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.config import VoiceConfig
from kiosk.i18n import Catalog
from kiosk.voice import Voice

CATALOG = Catalog.load()
PROMPTS = sorted(k for k in CATALOG.entries if k.startswith("voice."))


def wait_for(predicate, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")


def wav_voice(tmp_path: Path, **changes) -> Voice:
    config = VoiceConfig(output="wav", wav_dir=tmp_path / "voice", **changes)
    return Voice(config, CATALOG.text, tmp_path)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_prompt_becomes_real_speech_in_both_languages(tmp_path, lang):
    assert shutil.which("espeak-ng"), "espeak-ng is in the Makefile's APT_PACKAGES"
    voice = wav_voice(tmp_path)
    try:
        voice.say("voice.identify", lang)
        wait_for(lambda: len(voice.written) == 1)
    finally:
        voice.stop()
    with wave.open(str(voice.written[0])) as wav:
        seconds = wav.getnframes() / wav.getframerate()
        frames = wav.readframes(wav.getnframes())
        assert wav.getsampwidth() == 2
    samples = array("h", frames)
    rms = math.sqrt(sum(x * x for x in samples) / len(samples))
    assert seconds > 1.0  # a sentence, not a click
    assert rms > 300  # not silence (full scale is 32767)
    assert voice.spoken[-1] == ("voice.identify", lang, CATALOG.text("voice.identify", lang))


def fake_espeak(tmp_path: Path) -> str:
    """Stands in for espeak-ng where the logic, not the sound, is tested: a prompt whose
    text says "slow" takes 30 s."""
    script = tmp_path / "fake-espeak"
    script.write_text('#!/bin/sh\ncase "$*" in *slow*) sleep 30;; esac\n')
    script.chmod(0o755)
    return str(script)


def test_say_returns_at_once_and_a_newer_prompt_cuts_the_older(tmp_path):
    texts = {"voice.a": "slow prompt", "voice.b": "quick prompt"}
    voice = Voice(VoiceConfig(command=fake_espeak(tmp_path)), lambda k, _l: texts[k], tmp_path)
    try:
        voice.say("voice.a", "zh")
        wait_for(lambda: voice._proc is not None)
        older = voice._proc
        assert older.poll() is None and not voice.spoken  # still speaking: say did not wait
        voice.say("voice.b", "zh")
        wait_for(lambda: len(voice.spoken) == 1)
        assert older.poll() is not None  # cut, long before its 30 s
        assert [k for k, _l, _t in voice.spoken] == ["voice.b"]
    finally:
        voice.stop()


def test_missing_espeak_is_logged_once_and_the_kiosk_carries_on(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        voice = Voice(VoiceConfig(command="no-such-espeak-ng"), CATALOG.text, tmp_path)
        voice.say("voice.home", "zh")
        voice.say("voice.home", "en")
        voice.stop()
    assert not voice.active
    assert [r.message for r in caplog.records].count(
        "no-such-espeak-ng not found (Debian package espeak-ng): voice guidance is off "
        "(said once; the kiosk carries on without voice)") == 1


def test_failing_espeak_is_logged_once(tmp_path, caplog):
    voice = Voice(VoiceConfig(command="false"), CATALOG.text, tmp_path)
    with caplog.at_level(logging.WARNING, logger="kiosk.voice"):
        for _ in range(3):
            voice.say("voice.home", "zh")
            wait_for(lambda: voice._proc is None and voice._pending is None)
            time.sleep(0.05)
        voice.stop()
    assert len([r for r in caplog.records if "failed" in r.message]) == 1


def test_turned_off_in_the_config_says_nothing(tmp_path):
    voice = wav_voice(tmp_path, enabled=False)
    voice.say("voice.home", "zh")
    voice.stop()
    assert not voice.active and not (tmp_path / "voice").exists()


def test_only_fixed_catalog_prompts_can_be_spoken(tmp_path):
    # say() takes a catalog key, never text: a name or a number cannot reach the speaker.
    assert {"voice.identify", "voice.home", "voice.printing", "voice.take_document",
            "voice.rating", "voice.ended", "voice.timeout"} <= set(PROMPTS)
    for key in PROMPTS:
        for lang in ("zh", "en"):
            text = CATALOG.text(key, lang)
            assert "{" not in text and not any(c.isdigit() for c in text), (key, text)
    voice = wav_voice(tmp_path)
    try:
        voice.say("home.title", "zh")  # not a voice prompt: ignored
        voice.say("voice.home", "zh")
        wait_for(lambda: len(voice.spoken) == 1)
    finally:
        voice.stop()
    assert [k for k, _l, _t in voice.spoken] == ["voice.home"]


def test_auto_output_speaks_to_a_sound_card_and_writes_files_without_one(tmp_path):
    from kiosk.voice import choose_output

    devices = tmp_path / "snd"
    devices.mkdir()
    (devices / "controlC0").touch()  # a card's control device alone plays nothing
    assert choose_output(VoiceConfig(output="auto"), devices) == "wav"
    (devices / "pcmC0D0c").touch()  # a capture device neither
    assert choose_output(VoiceConfig(output="auto"), devices) == "wav"
    (devices / "pcmC0D0p").touch()
    assert choose_output(VoiceConfig(output="auto"), devices) == "speaker"
    assert choose_output(VoiceConfig(output="wav"), devices) == "wav"


def test_speaker_output_with_no_sound_card_says_what_is_missing_once(tmp_path, caplog,
                                                                       monkeypatch):
    import kiosk.voice as voice_module

    monkeypatch.setattr(voice_module, "SOUND_DEVICES", tmp_path / "no-snd")
    caplog.set_level(logging.WARNING, logger="kiosk.voice")
    voice = Voice(VoiceConfig(output="speaker"), CATALOG.text, tmp_path)
    try:
        voice.say("voice.identify", "zh")
        voice.say("voice.identify", "en")
        time.sleep(0.5)
    finally:
        voice.stop()
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1, warnings
    assert "no sound card" in warnings[0] and 'voice.output = "wav"' in warnings[0]
