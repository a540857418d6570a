""""Locate": a sound on site, so staff find the right terminal in a hall of twenty."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

log = logging.getLogger(__name__)
PHRASE = {"zh": "这里是需要维护的终端", "en": "This terminal needs maintenance"}


def beep_wav(path: Path, seconds: float = 1.0, hz: int = 880) -> Path:
    """A plain square-wave beep, for machines without a speech synthesiser."""
    rate = 16000
    period = max(1, rate // hz)
    frames = bytes(
        (200 if (i // (period // 2 or 1)) % 2 else 56) for i in range(int(rate * seconds))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(frames)
    return path


def play_locate_sound(language: str = "zh") -> str:
    """Start the sound in the background; returns what was used ("none" without audio)."""
    espeak = shutil.which("espeak-ng")
    aplay = shutil.which("aplay")
    try:
        if espeak:
            subprocess.Popen([espeak, "-v", "cmn" if language == "zh" else "en",
                              PHRASE.get(language, PHRASE["en"])],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return "espeak-ng"
        if aplay:
            wav = beep_wav(Path(tempfile.gettempdir()) / "kiosk-locate.wav")
            subprocess.Popen([aplay, "-q", str(wav)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return "aplay"
    except OSError as exc:
        log.warning("locate sound failed: %s", exc)
    return "none (no espeak-ng or aplay)"
