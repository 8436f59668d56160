"""Overdue interest on late payment to an SME (see :mod:`.regulation`, the interest article).

The agreed annual rate applies, but never below the one-year LPR in force on the day the contract was signed
(the table in ``data/lpr_1y.json``); where no rate was agreed, the statutory 0.05 % a day. Interest runs for every
day after the payment deadline up to and including the day counted to (the payment day, or today), on the amount
still owed at the start of that day: a payment made on day ``d`` is counted as owed on ``d`` and stops the interest
from ``d + 1``. An agreed annual rate is turned into a daily one over 365 days. Amounts are Decimal yuan, rounded
half-up to the fen at the end.

>>> from datetime import date
>>> str(overdue_interest(Decimal("100000"), due=date(2024, 3, 31), until=date(2024, 5, 30)).amount)
'3000.00'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources

from chainkeeper.coordination.messages import refuse
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _
from chainkeeper.sme.arrears.regulation import STATUTORY_DAILY_RATE

FEN = Decimal("0.01")


@dataclass(frozen=True)
class LprTable:
    """The 1-year LPR announcements: ``(from_date, percent)`` ascending, the source and the last date checked."""

    rates: tuple[tuple[date, Decimal], ...]
    source: str
    checked_through: date

    def at(self, day: date) -> Decimal:
        """The 1-year LPR (per cent a year) in force on ``day``; refused before the first announcement."""
        found = [rate for start, rate in self.rates if start <= day]
        if not found:
            raise refuse(ValidationFailed, _("no 1-year LPR was published before {day} (the LPR starts 2019-08-20)"),
                         field="signed_on", day=day.isoformat())
        return found[-1]


@lru_cache(maxsize=1)
def lpr_table() -> LprTable:
    """The shipped table (``data/lpr_1y.json``)."""
    raw = json.loads((resources.files("chainkeeper.sme.arrears") / "data" / "lpr_1y.json").read_text("utf-8"))
    rates = tuple((date.fromisoformat(r["from"]), Decimal(r["rate"])) for r in raw["rates"])
    if list(rates) != sorted(rates):
        raise ValueError("lpr_1y.json: the rates must be in date order")
    return LprTable(rates, raw["source"], date.fromisoformat(raw["checked_through"]))


@dataclass(frozen=True)
class Interest:
    """The answer of the calculator with what it rests on (for the page and the API)."""

    amount: Decimal  # yuan, to the fen
    days: int  # days overdue counted
    basis: str  # "statutory" or "agreed" or "lpr_floor"
    daily_rate: Decimal
    annual_rate: Decimal | None  # per cent, when a rate was agreed (after the LPR floor)
    lpr: Decimal | None  # the 1-year LPR at signing, when it mattered
    stale_table: bool = False  # signed after the last announcement checked


def _daily_rate(agreed: Decimal | None, signed_on: date | None, table: LprTable):
    if agreed is None:
        return STATUTORY_DAILY_RATE, "statutory", None, None, False
    if agreed < 0:
        raise refuse(ValidationFailed, _("the agreed rate cannot be negative"), field="agreed_rate")
    if signed_on is None:
        raise refuse(ValidationFailed, _("give the contract's signing date: the agreed rate is checked against the "
                                         "1-year LPR on that day"), field="signed_on")
    lpr = table.at(signed_on)
    annual, basis = (agreed, "agreed") if agreed >= lpr else (lpr, "lpr_floor")
    return annual / Decimal(100) / Decimal(365), basis, annual, lpr, signed_on > table.checked_through


def overdue_interest(principal: Decimal, *, due: date, until: date, payments: tuple[tuple[date, Decimal], ...] = (),
                     agreed_rate: Decimal | None = None, signed_on: date | None = None,
                     table: LprTable | None = None) -> Interest:
    """Interest on ``principal`` owed since the day after ``due`` up to ``until`` (inclusive), less ``payments``
    (``(day, amount)``); ``agreed_rate`` in per cent a year, or None for the statutory daily rate."""
    if principal <= 0:
        raise refuse(ValidationFailed, _("the amount owed must be above 0"), field="amount")
    daily, basis, annual, lpr, stale = _daily_rate(agreed_rate, signed_on, table or lpr_table())
    paid_by: dict[date, Decimal] = {}
    for day, amount in payments:
        paid_by[day] = paid_by.get(day, Decimal(0)) + amount
    owed, total, days, day = principal, Decimal(0), 0, due + timedelta(days=1)
    for earlier in sorted(d for d in paid_by if d <= due):
        owed -= paid_by[earlier]
    while day <= until and owed > 0:
        total += owed * daily
        days += 1
        owed -= paid_by.get(day, Decimal(0))
        day += timedelta(days=1)
    return Interest(total.quantize(FEN, ROUND_HALF_UP), days, basis, daily, annual, lpr, stale)
