"""Long lists as data for the one records screen: contribution months, repayment
schedules, violations, payments.

A flow asks a back end through ``show_records``: the answer lands in the session
(``RECORDS_KEY``) next to a ``RecordsView`` saying how to present it. The screen
calls ``present`` on every refresh, in the current language, so a typed answer
stays typed and a language switch needs no second request. No Kivy here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

RECORDS_KEY = "records"  # session.results: the back-end answer shown
VIEW_KEY = "records.view"  # session.results: how to present it


class Translate(Protocol):
    def __call__(self, key: str, _lang: str | None = None, **values: object) -> str: ...


@dataclass(frozen=True)
class Row:
    title: str
    detail: str = ""
    value: str = ""  # right-aligned: an amount, a status
    tone: str = ""  # "ok" | "warn" | "bad" | "": a colour dot; the text says it too
    action: str = ""  # label of the row's button, e.g. "缴纳"; empty: no button


@dataclass(frozen=True)
class Listing:
    summary: str = ""  # one or two lines above the list (may be personal)
    rows: Sequence[Row] = ()
    empty: str = ""  # said instead of the list when there are no rows
    focus: int = 0  # the row the list opens at, e.g. the first instalment not yet paid


@dataclass(frozen=True)
class RecordsView:
    title_key: str  # shown while loading too
    present: Callable[[Any, Translate, str], Listing]  # (answer, t, lang)
    back: str = "home"  # where "back" leads
    act: Callable[[Any, int], None] | None = None  # (answer, row index): a row's button


def show_records(
    ctl: Any,
    service: str,
    view: RecordsView,
    job: Callable[[str], Any],
    errors: dict[str, str] | None = None,
) -> None:
    """Ask the back end (``job(id_number)``) and show the answer on the records screen."""
    if ctl.session.citizen is None:
        return
    ctl.session.results[VIEW_KEY] = view
    ctl.query(service, RECORDS_KEY, "records", job, errors)


def yuan(fen: int) -> str:
    """12345678 → "123,456.78": amounts travel in fen (integers), never floats."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"
