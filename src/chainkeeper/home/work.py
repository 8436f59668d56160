"""What waits for a caller: counts with the link of the list that shows exactly those rows.

Every count is taken with the scope and the filter of the page its link opens (the desk queue, the white-list
applications, the vehicle passes), so a number on the home page equals the number of rows behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination import queries as desk
from chainkeeper.coordination.models import CaseState, Letter, LetterState
from chainkeeper.coordination.scope import letter_scope
from chainkeeper.credentials.models import Credential, CredentialKind, PassStatus, VehiclePass
from chainkeeper.credentials.passes import pass_scope
from chainkeeper.i18n import _
from chainkeeper.sme.arrears import service as arrears
from chainkeeper.sme.arrears.models import State as ComplaintState
from chainkeeper.sme.ladder import service as ladder
from chainkeeper.whitelist.entries import status_on
from chainkeeper.whitelist.models import AppState, Entry
from chainkeeper.whitelist.queries import ApplicationFilter, count_applications
from chainkeeper.whitelist.queries import counts_by_state as applications_by_state

LADDER_REVIEWS = ((Role.county, "submitted"), (Role.city, "county_passed"), (Role.province, "city_passed"),
                  (Role.ministry, "recommended"))
"""The ladder application state waiting at each review level."""
EXPIRING_DAYS = 14
"""A certificate or pass that ends within this many days is shown as expiring."""
OPEN_CASES_SHOWN = 10


@dataclass(frozen=True)
class Item:
    """One figure of the home page: what it counts (a message id), how many, and the list that shows them."""

    key: str
    label: str
    count: int
    url: str


def desk_filter(principal: Principal, params: dict[str, str]) -> desk.CaseFilter:
    """The desk queue's filter for these query parameters (as ``/desk`` reads them)."""
    state = params.get("state", "")
    return desk.CaseFilter(states=(CaseState(state),) if state in CaseState.__members__ else (),
                           open_only=state == "open", region=params.get("region", ""),
                           overdue=True if params.get("overdue") == "1" else None,
                           mine=principal.user_id if params.get("mine") == "1" else None)


def desk_url(params: dict[str, str]) -> str:
    """The address of the desk queue with these filters."""
    return "/desk?" + urlencode(params)


class CaseItems:
    """Items counting the principal's desk queue under several filters, as :func:`desk.count_cases` counts them
    (from the case counters where they cover the filter, capped) but with the counters' cells read once for all of
    them (issue 15: a COUNT of up to 10,001 cases per item was most of an authority's fresh home page)."""

    def __init__(self, session: Session, principal: Principal):
        self.session, self.principal = session, principal
        self._cells: dict[str, list | None] = {}

    def item(self, key: str, label: str, **params: str) -> Item:
        """How many cases the desk queue shows with ``params``, and its link."""
        return Item(key, label, self.count(desk_filter(self.principal, params)), desk_url(params))

    def count(self, where: desk.CaseFilter) -> int:
        """:func:`desk.count_cases` of ``where``."""
        if desk.counter_filter(where):
            if where.region not in self._cells:
                self._cells[where.region] = desk.counted_cells(self.session, self.principal, where)
            found = self._cells[where.region]
            if found is not None:
                return min(sum(cell.n for cell in found if desk.cell_matches(cell, where)), desk.COUNT_CAP + 1)
        return desk.capped_count(self.session, desk.scoped(self.principal, where))


def case_item(session: Session, principal: Principal, key: str, label: str, **params: str) -> Item:
    """How many cases the desk queue shows with ``params``, and its link."""
    return CaseItems(session, principal).item(key, label, **params)


def application_item(session: Session, principal: Principal, key: str, label: str, state: AppState) -> Item:
    """How many applications in ``state`` the application list shows, and its link."""
    count = count_applications(session=session, principal=principal, where=ApplicationFilter(state=state))
    return Item(key, label, count, application_url(state))


def application_url(state: AppState) -> str:
    """The application list filtered by ``state``."""
    return "/whitelists/applications?" + urlencode({"state": state.value})


def pass_counts(session: Session, principal: Principal) -> dict[PassStatus, int]:
    """How many passes the principal may see, per status (one statement, built once per scope)."""
    return {status: count for status, count in session.execute(_pass_counts_query(principal))}


@lru_cache(maxsize=256)
def _pass_counts_query(principal: Principal) -> Select:
    """:func:`pass_counts`' statement for the principal's scope (issue 15: built per request and status, four for an
    enterprise's home)."""
    return (select(VehiclePass.status, func.count()).where(pass_scope(principal))
            .group_by(VehiclePass.status))


def pass_item(key: str, label: str, status: PassStatus, counts: dict[PassStatus, int]) -> Item:
    """How many passes in ``status`` the pass list shows (of :func:`pass_counts`), and its link."""
    return Item(key, label, counts.get(status, 0), f"/passes?status={status.value}")


def authority_items(session: Session, principal: Principal) -> list[Item]:
    """What waits for a county, city or provincial authority (and the ministry): cases, applications, passes."""
    cases = CaseItems(session, principal)
    items = [
        cases.item("to-accept", _("Cases to accept"), state="submitted"),
        cases.item("to-assign", _("Accepted cases to assign"), state="accepted"),
        cases.item("overdue", _("Overdue open cases"), state="open", overdue="1"),
        cases.item("awaiting-measures", _("Assigned cases awaiting measures"), state="assigned"),
        cases.item("mine", _("Cases assigned to you"), state="assigned", mine="1"),
        cases.item("awaiting-confirmation", _("Measures awaiting the enterprise's confirmation"), state="feedback"),
    ]
    if principal.has(Role.county, Role.city):
        items.append(application_item(session, principal, "applications-local",
                                      _("White-list applications to review"), AppState.submitted))
    if principal.has(Role.city, Role.province):
        items.append(application_item(session, principal, "applications-approve",
                                      _("White-list applications to approve"), AppState.locally_reviewed))
        items.append(application_item(session, principal, "applications-publish",
                                      _("Approved applications to publish in a batch"), AppState.approved))
    if principal.has(Role.ministry):
        items.append(application_item(session, principal, "applications-nominated",
                                      _("Nominations to national lists to decide"), AppState.nominated))
    if principal.has(Role.county, Role.city, Role.province):
        items.append(pass_item("passes-pending", _("Vehicle pass applications to review"), PassStatus.pending,
                               pass_counts(session, principal)))
    if principal.has(Role.province, Role.ministry):  # the SME departments that accept arrears complaints
        items.append(complaint_item(session, principal, "arrears-to-accept",
                                    _("Arrears complaints awaiting acceptance"), ComplaintState.submitted))
    items += [Item(f"ladder-{state}", _("Specialised and innovative SME applications to review"),
                   ladder.count_in_state(session=session, principal=principal, state=state),
                   f"/sme/ladder/applications?state={state}") for role, state in LADDER_REVIEWS if principal.has(role)]
    return items


def complaint_item(session: Session, principal: Principal, key: str, label: str, state: ComplaintState) -> Item:
    """The arrears complaints the caller reads in ``state`` (sprint 10 walk: no home page led to them)."""
    return Item(key, label, arrears.count_in_state(session=session, principal=principal, state=state),
                f"/sme/arrears?state={state.value}")


@dataclass(frozen=True)
class LetterRow:
    """A letter waiting for the caller's province: to answer, or answered and to close."""

    letter: Letter
    to_do: str  # a message id


def letters_waiting(session: Session, principal: Principal) -> list[LetterRow]:
    """Letters sent to the caller's province and not answered, and its own letters answered and not closed."""
    province = (principal.region_code or "")[:2]
    if not principal.has(Role.province) or len(principal.region_code or "") != 2:
        return []
    query = select(Letter).where(letter_scope(principal), (
        (Letter.to_region_code == province) & (Letter.state == LetterState.sent)) | (
        (Letter.from_region_code == province) & (Letter.state == LetterState.replied))).order_by(Letter.id)
    return [LetterRow(letter, _("to answer") if letter.state is LetterState.sent else _("answered: read and close"))
            for letter in session.scalars(query)]


def open_cases(session: Session, principal: Principal) -> list[desk.QueueRow]:
    """The caller's most urgent open cases (as the desk orders them), as the queue's light rows of the shown columns
    (no ``Case`` entities; the page shows no count, so none is made: ``total`` given)."""
    where = desk.CaseFilter(open_only=True)
    return desk.list_cases(session=session, principal=principal, where=where, page_size=OPEN_CASES_SHOWN,
                           rows=True, total=0).items


def enterprise_items(session: Session, principal: Principal) -> list[Item]:
    """An enterprise's cases: open, and those whose measures wait for its confirmation; arrears complaints that wait
    for the debtor's answer (its own to give, or, for the creditor, to come) when there are any."""
    answers = complaint_item(session, principal, "arrears-to-answer",
                             _("Arrears complaints awaiting the debtor's answer"), ComplaintState.transferred)
    return [case_item(session, principal, "open-cases", _("Open cases"), state="open"),
            case_item(session, principal, "to-confirm", _("Measures waiting for your confirmation"),
                      state="feedback"), *([answers] if answers.count else [])]


def application_items(session: Session, principal: Principal) -> list[Item]:
    """The enterprise's applications per state (the states it has some in)."""
    labels = {AppState.draft: _("Drafts to complete and submit"), AppState.submitted: _("Awaiting local review"),
              AppState.locally_reviewed: _("Awaiting provincial approval"),
              AppState.nominated: _("Nominated, awaiting the ministry"),
              AppState.approved: _("Approved, awaiting publication"), AppState.published: _("Published"),
              AppState.rejected: _("Rejected"), AppState.withdrawn: _("Withdrawn")}
    counts = applications_by_state(session=session, principal=principal)  # one query, the list's scope
    return [Item(f"applications-{state.value}", label, counts[state], application_url(state))
            for state, label in labels.items() if counts.get(state)]


@dataclass(frozen=True)
class EntryRow:
    """The enterprise on a list: the entry, its list and batch, its status today."""

    entry: Entry
    status: str


def entries_of(session: Session, enterprise_id: int, today: date) -> list[EntryRow]:
    """The enterprise's white-list entries with their status today."""
    found = session.scalars(select(Entry).where(Entry.enterprise_id == enterprise_id).order_by(Entry.id))
    rows = []
    for entry in found:
        status = status_on(session=session, entry=entry, day=today)
        rows.append(EntryRow(entry, status.value if status is not None else "not_listed_yet"))
    return rows


def credential_state(credential: Credential, today: date) -> str:
    """revoked, expired, not_yet, expiring (within :data:`EXPIRING_DAYS`) or valid."""
    if credential.revoked:
        return "revoked"
    if credential.valid_until < today:
        return "expired"
    if credential.valid_from > today:
        return "not_yet"
    return "expiring" if credential.valid_until <= today + timedelta(days=EXPIRING_DAYS) else "valid"


def certificates_of(session: Session, enterprise_id: int) -> list[Credential]:
    """The enterprise's white-list certificates, newest first."""
    query = (select(Credential).where(Credential.enterprise_id == enterprise_id,
                                      Credential.kind == CredentialKind.certificate).order_by(Credential.id.desc()))
    return list(session.scalars(query))


def pass_items(session: Session, principal: Principal) -> list[Item]:
    """The enterprise's passes per status."""
    labels = {PassStatus.approved: _("Approved passes"), PassStatus.pending: _("Pass applications pending review"),
              PassStatus.rejected: _("Rejected pass applications"), PassStatus.revoked: _("Revoked passes")}
    counts = pass_counts(session, principal)
    return [pass_item(f"passes-{status.value}", label, status, counts) for status, label in labels.items()]


def expiring_passes(session: Session, principal: Principal, today: date) -> list[VehiclePass]:
    """Approved passes that end within :data:`EXPIRING_DAYS` days (or have ended)."""
    query = select(VehiclePass).where(pass_scope(principal), VehiclePass.status == PassStatus.approved,
                                      VehiclePass.valid_until <= today + timedelta(days=EXPIRING_DAYS))
    return list(session.scalars(query.order_by(VehiclePass.valid_until)))

