"""The machine's vital signs from /proc and /sys: no extra dependency, Linux only."""

from __future__ import annotations

import shutil
from pathlib import Path


class SysInfo:
    """CPU needs two readings: each ``read()`` reports the load since the last one."""

    def __init__(self, disk_path: str | Path = "/", thermal: str | Path = "/sys/class/thermal"):
        self._disk_path = str(disk_path)
        self._thermal = Path(thermal)
        self._last_cpu = self._cpu_times()

    @staticmethod
    def _cpu_times() -> tuple[int, int]:
        try:
            fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        except OSError:
            return (0, 0)
        values = [int(v) for v in fields]
        idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
        return sum(values), idle

    def cpu_percent(self) -> int | None:
        total, idle = self._cpu_times()
        last_total, last_idle = self._last_cpu
        self._last_cpu = (total, idle)
        if total <= last_total:
            return None
        return round(100 * (1 - (idle - last_idle) / (total - last_total)))

    @staticmethod
    def mem_percent() -> int | None:
        info = {}
        try:
            for line in Path("/proc/meminfo").read_text().splitlines():
                key, value = line.split(":", 1)
                info[key] = int(value.split()[0])
            return round(100 * (1 - info["MemAvailable"] / info["MemTotal"]))
        except (OSError, KeyError, ValueError, ZeroDivisionError):
            return None

    def disk_percent(self) -> int | None:
        try:
            usage = shutil.disk_usage(self._disk_path)
        except OSError:
            return None
        return round(100 * usage.used / usage.total)

    def temperature_c(self) -> float | None:
        """The hottest thermal zone, or None on a machine without a sensor."""
        temps = []
        for zone in self._thermal.glob("thermal_zone*/temp"):
            try:
                temps.append(int(zone.read_text().strip()) / 1000)
            except (OSError, ValueError):
                continue
        return round(max(temps), 1) if temps else None

    @staticmethod
    def uptime_s() -> int | None:
        try:
            return int(float(Path("/proc/uptime").read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            return None

    def read(self) -> dict[str, int | float]:
        values = {
            "cpu": self.cpu_percent(), "mem": self.mem_percent(), "disk": self.disk_percent(),
            "temp": self.temperature_c(), "uptime": self.uptime_s(),
        }
        return {k: v for k, v in values.items() if v is not None}
