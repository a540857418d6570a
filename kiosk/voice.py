"""Voice guidance: key prompts spoken by espeak-ng, never blocking the UI thread.

Only prompts from the catalog (``voice.*`` keys, no placeholders) can be spoken: the
API takes a key, not text, so a name or a number can never reach the speaker.
A newer prompt cuts the one still speaking. espeak-ng missing or failing is logged
once and the kiosk carries on silent. ``output = "wav"`` writes each prompt to a
WAV file instead of the sound card (machines without one: the demo, the tests).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.config import VoiceConfig

log = logging.getLogger(__name__)
ELDER_RATE = 0.8  # elder mode speaks more slowly
SOUND_DEVICES = Path("/dev/snd")


def has_sound_card(devices: Path | None = None) -> bool:
    """A playback device of ALSA's (pcmC<card>D<device>p), which espeak-ng plays to."""
    return any((devices or SOUND_DEVICES).glob("pcmC*D*p"))


def choose_output(config: VoiceConfig, devices: Path | None = None) -> str:
    if config.output != "auto":
        return config.output
    return "speaker" if has_sound_card(devices) else "wav"


class Voice:
    def __init__(self, config: VoiceConfig, text: Callable[[str, str], str], data_dir: Path):
        self.config = config
        self._text = text  # (key, lang) → the catalog's prompt
        self.wav_dir = Path(config.wav_dir or Path(data_dir) / "voice")
        self.spoken: collections.deque[tuple[str, str, str]] = collections.deque(maxlen=50)
        self.written: collections.deque[Path] = collections.deque(maxlen=50)  # WAV files
        self._pending: tuple[str, str, float] | None = None
        self._proc: subprocess.Popen | None = None
        self._count = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._warned = False
        self.output = choose_output(config)
        self._exe = shutil.which(config.command) if config.enabled else None
        if config.enabled and self._exe is None:
            self._warn(f"{config.command} not found (Debian package espeak-ng): "
                       "voice guidance is off")
        elif config.enabled and self.output == "speaker" and not has_sound_card():
            self._warn(f"no sound card ({SOUND_DEVICES} has no playback device): "
                       'prompts will not be heard; voice.output = "wav" writes them to files')
        elif config.enabled and config.output == "auto":
            log.info("voice prompts: %s", "sound card" if self.output == "speaker"
                     else f"no sound card, written as WAV files to {self.wav_dir}")
        self._thread: threading.Thread | None = None
        if self._exe:
            self._thread = threading.Thread(target=self._run, name="voice", daemon=True)
            self._thread.start()

    @property
    def active(self) -> bool:
        return self._exe is not None

    def say(self, key: str, lang: str, slow: bool = False) -> None:
        """Speak the catalog prompt ``key`` in ``lang``; returns at once."""
        if not key.startswith("voice.") or not self.active:
            return
        with self._lock:
            self._pending = (key, lang, ELDER_RATE if slow else 1.0)
            older = self._proc
        _cut(older)  # a newer prompt cuts the older one
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        with self._lock:
            proc = self._proc
        _cut(proc)
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            with self._lock:
                job, self._pending = self._pending, None
            if job is not None and not self._stop.is_set():
                try:
                    self._speak(*job)
                except Exception as exc:  # voice must never take the kiosk down
                    self._warn(f"voice guidance failed: {exc}")

    def _speak(self, key: str, lang: str, rate: float) -> None:
        text = self._text(key, lang)
        cfg = self.config
        argv = [self._exe, "-v", cfg.voice_zh if lang == "zh" else cfg.voice_en,
                "-s", str(int(cfg.rate * rate))]
        target = None
        if self.output == "wav":
            self.wav_dir.mkdir(parents=True, exist_ok=True)
            self._count += 1
            target = self.wav_dir / f"{self._count:04d}-{key.removeprefix('voice.')}-{lang}.wav"
            argv += ["-w", str(target)]
        argv.append(text)
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)  # its own group: cut as a whole
        with self._lock:
            self._proc = proc
        _out, err = proc.communicate()
        with self._lock:
            self._proc = None
        if proc.returncode < 0:
            return  # cut by a newer prompt
        self.spoken.append((key, lang, text))
        # espeak-ng without a sound card exits 0 but says "error" on stderr, with the
        # errno of the audio device it could not open ("No such file or directory").
        errors = [line for line in err.decode(errors="replace").splitlines()
                  if line.startswith("error")]
        if proc.returncode != 0 or errors:
            what = (f"{cfg.command} could not open the sound card"
                    if errors and target is None else
                    f"{cfg.command} failed (exit {proc.returncode})")
            self._warn(f"{what}: {(errors or ['?'])[-1]}")
        elif target is not None:
            self.written.append(target)

    def _warn(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning("%s (said once; the kiosk carries on without voice)", message)


def _cut(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.killpg(proc.pid, signal.SIGKILL)
