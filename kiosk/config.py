"""The kiosk's configuration: one TOML file loaded into a typed model.

A wrong type, an unknown key or a missing file stops start-up with a message that
names the key and the file (``ConfigError``), never a traceback.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)


class _Section(BaseModel):
    # A typo in a key is an error, not a silently ignored setting.
    model_config = ConfigDict(extra="forbid", frozen=True)


class TerminalConfig(_Section):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    site: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_-]+$")
    site_name: str = ""
    language: Literal["zh", "en"] = "zh"
    service_hours: str = "00:00-24:00"
    # Every time a citizen reads (screen, paper, voice) is in this zone (kiosk/clock.py).
    time_zone: str = "Asia/Shanghai"
    # What the log keeps: INFO is one line per event; DEBUG is for a developer at a desk.
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone!r} (e.g. \"Asia/Shanghai\")") from None
        return zone


class SessionConfig(_Section):
    idle_timeout_s: float = Field(60, gt=5)
    warning_s: float = Field(15, gt=0)
    thanks_s: float = Field(4, ge=0)


class SerialDeviceConfig(_Section):
    port: str
    baud: int = Field(115200, gt=0)


class PrinterConfig(SerialDeviceConfig):
    port: str = ""  # the serial device; needed when connection = "serial"
    width_dots: Literal[384, 576] = 576
    status_poll_s: float = Field(10, gt=0)
    # What the printer can do (drivers/printer/profiles.py): its own Chinese font and native
    # QR codes, or raster only (any ESC/POS printer).
    profile: Literal["cn-font-qr", "raster-only"] = "raster-only"
    connection: Literal["serial", "network", "usb"] = "serial"
    host: str = ""  # network: the printer's address (raw TCP, usually port 9100)
    tcp_port: int = Field(9100, gt=0, lt=65536)
    usb_id: str = Field("", pattern=r"^([0-9a-fA-F]{4}:[0-9a-fA-F]{4})?$")  # "04b8:0202"

    @model_validator(mode="after")
    def _needs_an_address(self) -> PrinterConfig:
        need = {"serial": ("port", self.port), "network": ("host", self.host),
                "usb": ("usb_id", self.usb_id)}[self.connection]
        if not need[1]:
            raise ValueError(f"connection = {self.connection!r} needs {need[0]}")
        return self


class SsCardConfig(_Section):
    reader: str | None = None  # part of the PC/SC reader name; unset: any reader


class IdCardConfig(SerialDeviceConfig):
    baud: Literal[115200, 57600, 38400, 19200, 9600] = 115200  # the SAM module's rates


class QueueConfig(SerialDeviceConfig):
    baud: int = Field(9600, gt=0)
    address: int = Field(1, ge=0, le=255)
    status_poll_s: float = Field(2, gt=0)


class DevicesConfig(_Section):
    idcard: IdCardConfig
    printer: PrinterConfig
    queue: QueueConfig | None = None  # a queue-number device is optional
    sscard: SsCardConfig | None = None  # the social security card reader (PC/SC), optional


class BackendConfig(_Section):
    url: str = Field(pattern=r"^https?://")
    timeout_s: float = Field(5, gt=0)
    app_key: str = Field(min_length=1)  # issued by the data-sharing platform
    app_secret: str = Field(min_length=8)  # signs every request (HMAC-SHA256)
    failure_threshold: int = Field(3, ge=1)  # outages in a row before a department is down
    probe_interval_s: float = Field(10, gt=0)  # how often a down department is asked again


class BrokerConfig(_Section):
    host: str = "127.0.0.1"
    port: int = Field(1883, gt=0, lt=65536)
    heartbeat_s: float = Field(300, gt=0)  # the slow health heartbeat; changes go at once
    topic_prefix: str = "kiosk/v1"
    tls: bool = False
    ca_file: Path | None = None  # the fleet CA; None: the system's CAs
    username: str = ""  # per-terminal credentials (the broker's ACL keys on the username)
    password: str = ""


class FleetConfig(_Section):
    # This terminal's own command key (64 hex digits, `python -m fleet keys derive`).
    # Empty: every remote command is refused.
    command_key: str = Field("", pattern=r"^([0-9a-fA-F]{64})?$")
    reboot_command: list[str] = []  # e.g. ["systemctl", "reboot"]; empty: only logged (demo)
    outbox_max: int = Field(10_000, gt=0)  # queued events kept while the broker is away


class DisplayConfig(_Section):
    font: Path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    width: int = Field(1080, gt=0)
    height: int = Field(1920, gt=0)
    fullscreen: bool = False


class VoiceConfig(_Section):
    """Voice guidance (espeak-ng): key prompts, never anything personal."""

    enabled: bool = True
    # "speaker": the sound card; "wav": one WAV file per prompt in wav_dir (no sound card);
    # "auto": the sound card if the machine has one, else WAV files
    output: Literal["auto", "speaker", "wav"] = "auto"
    wav_dir: Path | None = None  # None: <paths.data_dir>/voice
    command: str = Field("espeak-ng", min_length=1)
    voice_zh: str = Field("cmn", min_length=1)  # espeak-ng's Mandarin
    voice_en: str = Field("en", min_length=1)
    rate: int = Field(150, ge=80, le=400)  # words per minute; elder mode speaks at 80 %


class PathsConfig(_Section):
    data_dir: Path = Path("var")


class KioskConfig(_Section):
    terminal: TerminalConfig
    session: SessionConfig = SessionConfig()
    devices: DevicesConfig
    backend: BackendConfig
    broker: BrokerConfig = BrokerConfig()
    fleet: FleetConfig = FleetConfig()
    display: DisplayConfig = DisplayConfig()
    voice: VoiceConfig = VoiceConfig()
    paths: PathsConfig = PathsConfig()


class ConfigError(Exception):
    """A configuration problem, with a message meant for the person who wrote the file."""


def load_config(path: str | Path) -> KioskConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration file: {exc.strerror}") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return KioskConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(path, exc)) from None


def _describe(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: {exc.error_count()} configuration error(s):"]
    for err in exc.errors():
        key = ".".join(str(part) for part in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            lines.append(f"  {key}: unknown key (a typo?)")
        elif err["type"] == "missing":
            lines.append(f"  {key}: required key is missing")
        else:
            lines.append(f"  {key}: {err['msg']} (got {err.get('input')!r})")
    return "\n".join(lines)
