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
from chainkeeper.whitelist.queries import ApplicationFilter, count_query
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
    return Item(key, label, counts.get(status, 0), pass_url(status))


def pass_url(status: PassStatus) -> str:
    """The pass list filtered by ``status``."""
    return f"/passes?status={status.value}"


def authority_items(session: Session, principal: Principal, cases: CaseItems | None = None) -> list[Item]:
    """What waits for a county, city or provincial authority (and the ministry): cases (from ``cases``' counters,
    when given: the request's other parts read the same), applications, passes."""
    cases = cases or CaseItems(session, principal)
    others = waiting_items(session, principal)
    return [
        cases.item("to-accept", _("Cases to accept"), state="submitted"),
        cases.item("to-assign", _("Accepted cases to assign"), state="accepted"),
        cases.item("overdue", _("Overdue open cases"), state="open", overdue="1"),
        cases.item("awaiting-measures", _("Assigned cases awaiting measures"), state="assigned"),
        others.pop(0),  # the cases assigned to the caller: a filter the counters do not keep
        cases.item("awaiting-confirmation", _("Measures awaiting the enterprise's confirmation"), state="feedback"),
        *others]


@dataclass(frozen=True)
class Waiting:
    """A figure of :func:`authority_items` counted by a statement of its list's feature."""

    key: str
    label: str
    url: str
    query: Select


def waiting_items(session: Session, principal: Principal) -> list[Item]:
    """The authority's figures the desk's counters do not give (cases assigned to the caller first), counted in
    one statement."""
    return counted_items(session, *_waiting_query(principal))


def counted_items(session: Session, waiting: tuple[Waiting, ...], query: Select) -> list[Item]:
    """The items of ``waiting``, counted by ``query`` (a column per item)."""
    return [Item(w.key, w.label, count or 0, w.url) for w, count in zip(waiting, session.execute(query).one())]


def counted_together(waiting: list[Waiting]) -> tuple[tuple[Waiting, ...], Select]:
    """``waiting`` and the one statement that counts them all (each count a scalar subquery)."""
    return tuple(waiting), select(*(w.query.scalar_subquery() for w in waiting))


def case_waiting(principal: Principal, key: str, label: str, **params: str) -> Waiting:
    """The cases the desk queue shows with ``params`` counted by a query (a capped count; :class:`CaseItems`
    reads the counters where they cover the scope)."""
    return Waiting(key, label, desk_url(params),
                   desk.capped_count_query(desk.scoped(principal, desk_filter(principal, params))))


@lru_cache(maxsize=256)
def _waiting_query(principal: Principal) -> tuple[tuple[Waiting, ...], Select]:
    """:func:`waiting_items`' figures and their one statement (each count a scalar subquery), built once per
    principal (issue 15: a statement each, built on every first view)."""
    waiting = [case_waiting(principal, "mine", _("Cases assigned to you"), state="assigned", mine="1")]
    if principal.has(Role.county, Role.city):
        waiting.append(_application("applications-local", _("White-list applications to review"),
                                    principal, AppState.submitted))
    if principal.has(Role.city, Role.province):
        waiting += [_application("applications-approve", _("White-list applications to approve"), principal,
                                 AppState.locally_reviewed),
                    _application("applications-publish", _("Approved applications to publish in a batch"), principal,
                                 AppState.approved)]
    if principal.has(Role.ministry):
        waiting.append(_application("applications-nominated", _("Nominations to national lists to decide"),
                                    principal, AppState.nominated))
    if principal.has(Role.county, Role.city, Role.province):
        pending = PassStatus.pending
        waiting.append(Waiting("passes-pending", _("Vehicle pass applications to review"), pass_url(pending),
                               select(func.count()).select_from(VehiclePass).where(
                                   pass_scope(principal), VehiclePass.status == pending)))
    if principal.has(Role.province, Role.ministry):  # the SME departments that accept arrears complaints
        submitted = ComplaintState.submitted
        waiting.append(Waiting("arrears-to-accept", _("Arrears complaints awaiting acceptance"),
                               complaint_url(submitted), arrears.count_query(principal, submitted)))
    waiting += [Waiting(f"ladder-{state}", _("Specialised and innovative SME applications to review"),
                        f"/sme/ladder/applications?state={state}", ladder.count_query(principal, state))
                for role, state in LADDER_REVIEWS if principal.has(role)]
    return counted_together(waiting)


def _application(key: str, label: str, principal: Principal, state: AppState) -> Waiting:
    """The applications in ``state`` the application list shows."""
    return Waiting(key, label, application_url(state), count_query(principal, ApplicationFilter(state=state)))


def complaint_url(state: ComplaintState) -> str:
    """The arrears complaints' list filtered by ``state``."""
    return f"/sme/arrears?state={state.value}"


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
    cases, confirm, answers = counted_items(session, *_enterprise_query(principal))
    return [cases, confirm, *([answers] if answers.count else [])]


@lru_cache(maxsize=256)
def _enterprise_query(principal: Principal) -> tuple[tuple[Waiting, ...], Select]:
    """:func:`enterprise_items`' figures and their one statement, built once per principal (issue 15: three
    statements built on every first view; an enterprise's scope has no counters)."""
    transferred = ComplaintState.transferred
    return counted_together([
        case_waiting(principal, "open-cases", _("Open cases"), state="open"),
        case_waiting(principal, "to-confirm", _("Measures waiting for your confirmation"), state="feedback"),
        Waiting("arrears-to-answer", _("Arrears complaints awaiting the debtor's answer"), complaint_url(transferred),
                arrears.count_query(principal, transferred))])


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

