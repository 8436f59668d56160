"""The national picture for the ministry and the analysts: cases by state and by province, the resumption of
listed enterprises and the letters between provinces — each as a table (and the charts drawn from them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal
from chainkeeper.coordination import daily
from chainkeeper.coordination import queries as desk
from chainkeeper.coordination.labels import STATE_LABELS
from chainkeeper.coordination.models import CaseState, Letter, LetterState
from chainkeeper.coordination.scope import letter_scope
from chainkeeper.home.work import CaseItems, Item, desk_url
from chainkeeper.i18n import _
from chainkeeper.whitelist import entries
from chainkeeper.whitelist.models import WhiteList


@dataclass(frozen=True)
class ProvinceRow:
    """A province's cases (by the blocking party's province): open, overdue, new and resolved today."""

    code: str
    name: str
    open: int
    overdue: int
    new: int
    resolved: int

    @property
    def open_url(self) -> str:
        """The desk queue of the province's open cases."""
        return desk_url({"state": "open", "region": self.code})

    @property
    def overdue_url(self) -> str:
        """The desk queue of the province's overdue open cases."""
        return desk_url({"state": "open", "overdue": "1", "region": self.code})


@dataclass(frozen=True)
class ListRate:
    """A white list's active entries and the share of them resumed."""

    list_id: int
    name: str
    total: int
    resumed: int
    rate: float


@dataclass(frozen=True)
class LetterFlow:
    """Letters from one province to another, by state."""

    from_code: str
    to_code: str
    sent: int
    replied: int
    closed: int


LIST_NAMES = select(WhiteList.id, WhiteList.name).order_by(WhiteList.scope_code, WhiteList.name)
"""Every white list's id and name, in the order of :func:`chainkeeper.whitelist.service.list_lists`."""


def state_items(session: Session, principal: Principal) -> list[Item]:
    """Visible cases per state, each linking to the desk queue of that state."""
    counts = desk.counts_by_state(session=session, principal=principal)
    return [Item(state.value, STATE_LABELS[state], counts.get(state.value, 0), desk_url({"state": state.value}))
            for state in CaseState]


def headline_items(session: Session, principal: Principal, cases: CaseItems | None = None) -> list[Item]:
    """Open and overdue cases nationwide, each with its queue (``cases``: the request's counters, when read)."""
    cases = cases or CaseItems(session, principal)
    return [cases.item("national-open", _("Open cases"), state="open"),
            cases.item("national-overdue", _("Overdue open cases"), state="open", overdue="1")]


def province_rows(session: Session, principal: Principal, day: date, language: str) -> list[ProvinceRow]:
    """Cases per province of the blocking party, most open first."""
    tallies = daily.province_tallies(session=session, principal=principal, day=day)
    rows = [ProvinceRow(t.key, t.label, t.open, t.overdue, t.new, t.resolved) for t in tallies]
    return sorted(rows, key=lambda row: (-row.open, row.code))


def resumption(session: Session, day: date) -> tuple[dict, list[ListRate]]:
    """The resumption of listed enterprises on ``day``: over every list, and per list (in the order of
    :func:`chainkeeper.whitelist.service.list_lists`); two statements."""
    named = session.execute(LIST_NAMES).all()
    per_list, overall = entries.resumption_rates(session=session, list_ids=[i for i, _ in named], as_of=day)
    rows = [ListRate(list_id, name, rate["total"], rate["partly"] + rate["fully"], rate["rate"])
            for list_id, name in named if (rate := per_list[list_id])["total"]]
    return overall, rows


def letter_flows(session: Session, principal: Principal) -> list[LetterFlow]:
    """Sent letters between provinces (drafts are the sender's own), by sender and receiver."""
    flows: dict[tuple[str, str], dict[str, int]] = {}
    for source, target, state, count in session.execute(_letter_flows_query(principal)):
        flows.setdefault((source, target), {})[state.value] = count
    return [LetterFlow(source, target, found.get("sent", 0), found.get("replied", 0), found.get("closed", 0))
            for (source, target), found in sorted(flows.items())]


@lru_cache(maxsize=64)
def _letter_flows_query(principal: Principal) -> Select:
    """:func:`letter_flows`' statement, built once per principal (issue 15: built on every first view)."""
    return (select(Letter.from_region_code, Letter.to_region_code, Letter.state, func.count())
            .where(letter_scope(principal), Letter.state != LetterState.draft)
            .group_by(Letter.from_region_code, Letter.to_region_code, Letter.state))
