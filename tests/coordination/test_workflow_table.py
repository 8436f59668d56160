"""The case workflow as a pure table, tested from the product's rules (issue 6 and the docstrings), not from the table.

No database: principals and parties are built by hand. The world mirrors the desk's: a Changchun OEM (Jilin)
whose Kunshan supplier (Suzhou, Jiangsu) stops; the case is handled by the Suzhou city authority.
"""

from __future__ import annotations

import itertools

import pytest

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.coordination.models import OPEN_STATES, CaseState, Level
from chainkeeper.coordination.workflow import (
    Action,
    InvalidTransition,
    Parties,
    available,
    decide,
    escalated,
)
from chainkeeper.errors import Forbidden, ValidationFailed

S, A = CaseState, Action
CHANGCHUN_OEM, KUNSHAN_SUPPLIER, NINGBO_SEATS = 1, 2, 3
LIAISON_ID = 50


def _person(user_id: int, role: Role, region: str | None = None, enterprise: int | None = None) -> Principal:
    return Principal(user_id=user_id, username=f"u{user_id}", display_name=f"u{user_id}", roles=frozenset({role}),
                     enterprise_id=enterprise, region_code=region)


P = {
    "oem": _person(1, Role.enterprise, enterprise=CHANGCHUN_OEM),  # the requester
    "supplier": _person(2, Role.enterprise, enterprise=KUNSHAN_SUPPLIER),  # the blocking party's own users
    "kunshan": _person(10, Role.county, "320583"),  # the blocking party's county
    "taicang": _person(11, Role.county, "320585"),  # another county of Suzhou
    "suzhou": _person(12, Role.city, "3205"),  # the blocking party's city: handles the case
    "wuxi": _person(13, Role.city, "3202"),  # another city of Jiangsu
    "jiangsu": _person(14, Role.province, "32"),  # the blocking party's province
    "zhejiang": _person(15, Role.province, "33"),  # an unrelated province
    "jilin": _person(16, Role.province, "22"),  # the requester's province
    "changchun": _person(17, Role.city, "2201"),  # the requester's city
    "ministry": _person(18, Role.ministry),
    "analyst": _person(19, Role.analyst),
    "admin": _person(20, Role.admin),
    "liaison": _person(LIAISON_ID, Role.county, "320583"),  # the named liaison (一对一), a Kunshan clerk
    "clerk": _person(51, Role.county, "320583"),  # a Kunshan colleague who is not the liaison
    "system": None,  # the scheduled job
}
EVERYONE = tuple(P)
ENTERPRISE_USERS = ("oem", "supplier")

CROSS = Parties(requester_id=CHANGCHUN_OEM, requester_region="220104", blocking_region="320583",
                handling_region="3205", liaison_id=LIAISON_ID)
"""Changchun → Kunshan, routed to the Suzhou city authority (the default level)."""
COUNTY = Parties(CHANGCHUN_OEM, "220104", "320583", "320583", LIAISON_ID)
"""The same case where Jiangsu routes new cases to the county."""
LOCAL = Parties(requester_id=KUNSHAN_SUPPLIER, requester_region="320583", blocking_region="320214",
                handling_region="3202", liaison_id=None)
"""Kunshan → Wuxi: requester and blocking party in the same province, handled by the Wuxi city authority."""
AT_MINISTRY = Parties(CHANGCHUN_OEM, "220104", "320583", "", LIAISON_ID)
"""The cross-province case escalated all the way up."""
NINGBO = Parties(CHANGCHUN_OEM, "220104", "330206", "3302", LIAISON_ID)
"""Changchun → Ningbo (Zhejiang)."""
LOCAL_AT_MINISTRY = Parties(KUNSHAN_SUPPLIER, "320583", "320214", "", None)
"""The same-province case escalated all the way up: Jiangsu no longer handles it."""
ALL_PARTIES = {"cross": CROSS, "county": COUNTY, "local": LOCAL, "ministry": AT_MINISTRY, "ningbo": NINGBO,
               "local_ministry": LOCAL_AT_MINISTRY}

# ---------------------------------------------------------------------------------------------------------------
# Which actions make sense in which state, written from issue 6:
#   submitted → accepted (or rejected with a reason) → assigned (交办) → feedback (反馈) → resolved (the requester
#   confirms, or automatically after N days without objection) → closed (销号); reopen from resolved or closed;
#   escalate on request or when a time limit is breached; the requester may object to the measures; a handler may
#   hand a case over to another liaison (also when the measures were not enough).
# Time escalation runs on the handler's clock: submitted (accept limit), accepted/assigned (resolve limit); in
# feedback the handler has answered and the clock waits for the requester.
# Rejected is final; closed only reopens.
# ---------------------------------------------------------------------------------------------------------------
POSSIBLE = {
    (S.submitted, A.accept), (S.submitted, A.reject),
    (S.accepted, A.assign), (S.assigned, A.assign), (S.feedback, A.assign),
    (S.assigned, A.feedback),
    (S.feedback, A.confirm), (S.feedback, A.object), (S.feedback, A.auto_confirm),
    (S.resolved, A.close),
    (S.resolved, A.reopen), (S.closed, A.reopen),
    *((state, A.escalate) for state in OPEN_STATES),
    *((state, A.time_escalate) for state in (S.submitted, S.accepted, S.assigned)),
}
IMPOSSIBLE = sorted(set(itertools.product(CaseState, Action)) - POSSIBLE, key=lambda p: (p[0].value, p[1].value))


def attempt(state: CaseState, action: Action, who: str, parties: Parties = CROSS, *, reason: str = "供应仍未恢复",
            text: str = "已协调复产", level: Level = Level.city) -> CaseState:
    return decide(state, action, P[who], parties, reason=reason, text=text, level=level)


def may(state: CaseState, action: Action, who: str, parties: Parties = CROSS, **kwargs) -> bool:
    """True when allowed, False when Forbidden; any other error is a test failure."""
    try:
        attempt(state, action, who, parties, **kwargs)
    except Forbidden:
        return False
    return True


# --- the table's shape -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("state, action", IMPOSSIBLE, ids=lambda v: v.value)
@pytest.mark.parametrize("who", ["ministry", "suzhou", "oem", "system", "analyst"])
def test_actions_that_make_no_sense_in_a_state_are_invalid_for_everyone(state, action, who):
    with pytest.raises(InvalidTransition):
        attempt(state, action, who)


def test_invalid_transition_is_a_validation_error_not_a_permission_error():
    assert issubclass(InvalidTransition, ValidationFailed) and not issubclass(InvalidTransition, Forbidden)


def test_rejected_is_final_and_closed_only_reopens():
    for action in Action:
        with pytest.raises(InvalidTransition):
            attempt(S.rejected, action, "ministry")
    assert [a for a in Action if (S.closed, a) in POSSIBLE] == [A.reopen]


# the natural actor of each possible step on the cross-province case, and where the step leads (issue 6)
WHERE_IT_LEADS = [
    (S.submitted, A.accept, "suzhou", S.accepted),
    (S.submitted, A.reject, "suzhou", S.rejected),
    (S.accepted, A.assign, "suzhou", S.assigned),
    (S.assigned, A.assign, "suzhou", S.assigned),
    (S.feedback, A.assign, "suzhou", S.assigned),
    (S.assigned, A.feedback, "liaison", S.feedback),
    (S.feedback, A.confirm, "oem", S.resolved),
    (S.feedback, A.auto_confirm, "system", S.resolved),
    (S.resolved, A.close, "suzhou", S.closed),
]


@pytest.mark.parametrize("state, action, who, target", WHERE_IT_LEADS, ids=lambda v: getattr(v, "value", v))
def test_each_step_leads_where_the_process_says(state, action, who, target):
    assert attempt(state, action, who) is target


def test_an_objection_and_a_reopening_send_the_case_back_to_open_work():
    assert attempt(S.feedback, A.object, "oem") in OPEN_STATES
    assert attempt(S.feedback, A.object, "oem") is not S.feedback  # the measures are no longer the answer
    assert attempt(S.resolved, A.reopen, "oem") in OPEN_STATES
    assert attempt(S.closed, A.reopen, "jiangsu") in OPEN_STATES


@pytest.mark.parametrize("state", sorted(OPEN_STATES, key=lambda s: s.value), ids=lambda s: s.value)
def test_escalation_changes_who_handles_not_the_state(state):
    assert attempt(state, A.escalate, "oem") is state
    if (state, A.time_escalate) in POSSIBLE:
        assert attempt(state, A.time_escalate, "system") is state


@pytest.mark.parametrize("state, action", sorted(POSSIBLE, key=lambda p: (p[0].value, p[1].value)),
                         ids=lambda v: v.value)
def test_every_possible_step_is_open_to_someone(state, action):
    assert any(may(state, action, who, parties) for who in EVERYONE for parties in ALL_PARTIES.values())


# --- guards: who may act --------------------------------------------------------------------------------------

ALLOWED = {  # (state, action, parties) → who may act; everyone else in EVERYONE is refused
    # the handling authority accepts; for a cross-province case the requester's province may too (it sends the
    # coordination letter); other counties/cities/provinces may not
    # the county of the blocking party accepts a case its city was given: it takes the case on (issue 9 #1)
    (S.submitted, A.accept, "cross"): {"kunshan", "liaison", "clerk", "suzhou", "jiangsu", "jilin", "ministry"},
    (S.submitted, A.reject, "cross"): {"suzhou", "jiangsu", "jilin", "ministry"},
    (S.submitted, A.accept, "county"): {"kunshan", "liaison", "clerk", "suzhou", "jiangsu", "jilin", "ministry"},
    (S.submitted, A.accept, "local"): {"wuxi", "jiangsu", "ministry"},  # same province: no letter, no second door
    (S.submitted, A.accept, "ministry"): {"jilin", "ministry"},  # escalated: the city and province are out
    (S.submitted, A.accept, "ningbo"): {"zhejiang", "jilin", "ministry"},
    (S.submitted, A.accept, "local_ministry"): {"ministry"},
    # assigning (交办) belongs to the handling authority alone
    (S.accepted, A.assign, "cross"): {"suzhou", "jiangsu", "ministry"},
    (S.accepted, A.assign, "local"): {"wuxi", "jiangsu", "ministry"},
    (S.accepted, A.assign, "ministry"): {"ministry"},
    (S.feedback, A.assign, "cross"): {"suzhou", "jiangsu", "ministry"},
    # feedback: the named liaison, or the handling authority
    (S.assigned, A.feedback, "cross"): {"liaison", "suzhou", "jiangsu", "ministry"},
    (S.assigned, A.feedback, "ministry"): {"liaison", "ministry"},
    # only the requester confirms or objects; only the scheduled job confirms by default
    (S.feedback, A.confirm, "cross"): {"oem"},
    (S.feedback, A.object, "cross"): {"oem"},
    (S.feedback, A.confirm, "local"): {"supplier"},
    (S.feedback, A.auto_confirm, "cross"): {"system"},
    # closing (销号): any authority over the requester's or the blocking party's region, or the ministry
    (S.resolved, A.close, "cross"): {"kunshan", "liaison", "clerk", "suzhou", "jiangsu", "jilin", "changchun",
                                     "ministry"},
    (S.resolved, A.close, "local"): {"kunshan", "liaison", "clerk", "suzhou", "wuxi", "jiangsu", "ministry"},
    # reopening a resolved case: those involved and the requester
    (S.resolved, A.reopen, "cross"): {"oem", "kunshan", "liaison", "clerk", "suzhou", "jiangsu", "jilin",
                                      "changchun", "ministry"},
    # reopening a closed case: only the blocking party's provincial authority, or the ministry
    (S.closed, A.reopen, "cross"): {"jiangsu", "ministry"},
    (S.closed, A.reopen, "county"): {"jiangsu", "ministry"},
    (S.closed, A.reopen, "local"): {"jiangsu", "ministry"},
    (S.closed, A.reopen, "ministry"): {"jiangsu", "ministry"},
    (S.closed, A.reopen, "ningbo"): {"zhejiang", "ministry"},
    # escalation on request: the requester or those involved
    (S.submitted, A.escalate, "cross"): {"oem", "kunshan", "liaison", "clerk", "suzhou", "jiangsu", "jilin",
                                         "changchun", "ministry"},
    (S.feedback, A.escalate, "local"): {"supplier", "kunshan", "liaison", "clerk", "suzhou", "wuxi", "jiangsu",
                                        "ministry"},
    # time escalation: the scheduled job only
    (S.submitted, A.time_escalate, "cross"): {"system"},
    (S.assigned, A.time_escalate, "ministry"): set(),  # already at the top (refused as invalid, see below)
}


@pytest.mark.parametrize("key", list(ALLOWED), ids=lambda k: f"{k[0].value}-{k[1].value}-{k[2]}")
def test_who_may_act(key):
    state, action, parties_name = key
    parties = ALL_PARTIES[parties_name]
    if state is S.assigned and action is A.time_escalate:
        for who in EVERYONE:
            with pytest.raises((InvalidTransition, Forbidden)):
                attempt(state, action, who, parties, level=Level.ministry)
        return
    permitted = {who for who in EVERYONE if may(state, action, who, parties, level=Level.city)}
    assert permitted == ALLOWED[key]


@pytest.mark.parametrize("parties_name", list(ALL_PARTIES))
@pytest.mark.parametrize("who", ENTERPRISE_USERS)
def test_an_enterprise_user_never_does_an_authoritys_work(who, parties_name):
    parties = ALL_PARTIES[parties_name]
    for state, action in POSSIBLE:
        if action in (A.accept, A.reject, A.assign, A.feedback, A.close, A.auto_confirm, A.time_escalate) or (
                state is S.closed):
            assert not may(state, action, who, parties), (state, action)


@pytest.mark.parametrize("parties_name", list(ALL_PARTIES))
def test_an_enterprise_acts_only_on_its_own_cases(parties_name):
    parties = ALL_PARTIES[parties_name]
    outsider = "supplier" if parties.requester_id != KUNSHAN_SUPPLIER else "oem"
    for state, action in POSSIBLE:
        assert not may(state, action, outsider, parties), (state, action)


@pytest.mark.parametrize("who", ["analyst", "admin"])
def test_analysts_and_administrators_never_move_a_case(who):
    for (state, action), parties in itertools.product(POSSIBLE, ALL_PARTIES.values()):
        assert not may(state, action, who, parties), (state, action, parties)


def test_an_unrelated_authority_never_moves_a_case():
    # Taicang and Wuxi city have nothing to do with Changchun → Kunshan; Zhejiang nothing with anything but Ningbo
    for (state, action), parties in itertools.product(POSSIBLE, (CROSS, COUNTY, AT_MINISTRY)):
        for who in ("taicang", "wuxi", "zhejiang"):
            assert not may(state, action, who, parties), (who, state, action)


def test_a_county_authority_in_another_county_cannot_accept():
    assert may(S.submitted, A.accept, "kunshan", COUNTY)
    assert not may(S.submitted, A.accept, "taicang", COUNTY)


def test_an_authority_without_a_region_has_no_power():
    for role in (Role.county, Role.city, Role.province):
        for region in (None, ""):
            P["unbound"] = _person(99, role, region)
            try:
                for (state, action), parties in itertools.product(POSSIBLE, ALL_PARTIES.values()):
                    assert not may(state, action, "unbound", parties), (role, region, state, action)
            finally:
                del P["unbound"]


AUTHORITY_ACTIONS = (A.accept, A.reject, A.assign, A.feedback, A.close, A.reopen, A.escalate)


@pytest.mark.parametrize("parties_name", list(ALL_PARTIES))
def test_the_ministry_may_take_every_authority_action(parties_name):
    parties = ALL_PARTIES[parties_name]
    for state, action in POSSIBLE:
        if action in AUTHORITY_ACTIONS:
            assert may(state, action, "ministry", parties, level=Level.province), (state, action)


@pytest.mark.parametrize("parties_name", list(ALL_PARTIES))
@pytest.mark.parametrize("action", [A.auto_confirm, A.time_escalate])
def test_only_the_scheduled_job_confirms_by_default_and_escalates_on_time(action, parties_name):
    parties = ALL_PARTIES[parties_name]
    for state, possible_action in POSSIBLE:
        if possible_action is action:
            assert may(state, action, "system", parties), state
            assert not any(may(state, action, who, parties) for who in EVERYONE if who != "system"), state


def test_the_scheduled_job_takes_no_person_s_action():
    for (state, action), parties in itertools.product(POSSIBLE, ALL_PARTIES.values()):
        if action not in (A.auto_confirm, A.time_escalate):
            assert not may(state, action, "system", parties), (state, action)


def test_the_liaison_gives_feedback_only_on_its_own_case():
    assert may(S.assigned, A.feedback, "liaison", CROSS)
    assert not may(S.assigned, A.feedback, "clerk", CROSS)  # same office, but not the named liaison
    unnamed = Parties(CHANGCHUN_OEM, "220104", "320583", "3205", liaison_id=None)
    assert not may(S.assigned, A.feedback, "liaison", unnamed)


def test_the_liaison_must_be_an_authority_user_to_act_as_one():
    oem_as_liaison = Parties(CHANGCHUN_OEM, "220104", "320583", "3205", liaison_id=P["supplier"].user_id)
    assert not may(S.assigned, A.feedback, "supplier", oem_as_liaison)


def test_the_buttons_match_the_decisions():
    for state, who, parties in itertools.product(CaseState, EVERYONE, ALL_PARTIES.values()):
        buttons = set(available(state, P[who], parties))
        decided = set()
        for action in Action:
            try:
                attempt(state, action, who, parties, level=Level.county)
            except (Forbidden, InvalidTransition):
                continue
            decided.add(action)
        assert buttons == decided, (state, who, parties)


# --- reasons and texts -----------------------------------------------------------------------------------------

NEEDS_A_REASON = [(S.submitted, A.reject, "suzhou"), (S.feedback, A.object, "oem"), (S.resolved, A.reopen, "oem"),
                  (S.closed, A.reopen, "jiangsu"), (S.submitted, A.escalate, "oem"), (S.assigned, A.escalate, "suzhou")]


@pytest.mark.parametrize("state, action, who", NEEDS_A_REASON, ids=lambda v: getattr(v, "value", v))
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_reject_object_reopen_and_escalate_need_a_reason(state, action, who, reason):
    with pytest.raises(ValidationFailed) as error:
        attempt(state, action, who, reason=reason)
    assert [d["field"] for d in error.value.details] == ["reason"]
    assert attempt(state, action, who, reason="供应仍未恢复") is not None


@pytest.mark.parametrize("state, action, who", [(S.submitted, A.accept, "suzhou"), (S.accepted, A.assign, "suzhou"),
                                                (S.feedback, A.confirm, "oem"), (S.resolved, A.close, "suzhou"),
                                                (S.feedback, A.auto_confirm, "system"),
                                                (S.assigned, A.time_escalate, "system")],
                         ids=lambda v: getattr(v, "value", v))
def test_other_steps_need_no_reason(state, action, who):
    assert attempt(state, action, who, reason="") is not None


@pytest.mark.parametrize("text", ["", "  "])
def test_feedback_needs_the_measures(text):
    with pytest.raises(ValidationFailed) as error:
        attempt(S.assigned, A.feedback, "liaison", text=text)
    assert [d["field"] for d in error.value.details] == ["measures"]


def test_a_refused_principal_learns_nothing_about_missing_reasons():
    with pytest.raises(Forbidden):
        attempt(S.submitted, A.reject, "zhejiang", reason="")


# --- escalation ------------------------------------------------------------------------------------------------

def test_escalation_climbs_county_city_province_ministry_then_refuses():
    level, region, path = Level.county, "320583", []
    while True:
        try:
            level, region = escalated(level, "320583")
        except InvalidTransition:
            break
        path.append((level, region))
        assert len(path) < 10
    assert path == [(Level.city, "3205"), (Level.province, "32"), (Level.ministry, "")]


@pytest.mark.parametrize("level, blocking, expected", [
    (Level.city, "330206", (Level.province, "33")),
    (Level.province, "220104", (Level.ministry, "")),
    (Level.county, "320214", (Level.city, "3202")),
])
def test_escalation_goes_to_the_blocking_partys_next_authority(level, blocking, expected):
    assert escalated(level, blocking) == expected


@pytest.mark.parametrize("action, who", [(A.escalate, "oem"), (A.escalate, "ministry"), (A.time_escalate, "system")])
def test_a_case_with_the_ministry_cannot_be_escalated(action, who):
    with pytest.raises(InvalidTransition):
        attempt(S.submitted, action, who, AT_MINISTRY, level=Level.ministry)
    for level in (Level.county, Level.city, Level.province):
        assert attempt(S.submitted, action, who, CROSS, level=level) is S.submitted
