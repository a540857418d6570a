"""The attract screen's line naming what does not work now: devices that are not usable
(a device still starting is not counted) and departments whose breaker is open."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from drivers.device import DeviceState, DeviceStatus

Translate = Callable[..., str]  # app.t: key, **values -> text in the current language


def out_of_order_line(
    t: Translate, lang: str, statuses: Mapping[str, DeviceStatus], departments_down: Iterable[str]
) -> str:
    """``departments_down``: the names, in ``lang``, of the departments whose breaker is open
    (their declarations' names)."""
    down = [t(f"device.{name}") for name, status in statuses.items()
            if not status.usable and status.state is not DeviceState.STARTING]
    down += list(departments_down)
    what = "、" if lang == "zh" else ", "
    return t("attract.out_of_order", what=what.join(down)) if down else ""
