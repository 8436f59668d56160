"""The transition table on its own: states, guards, reasons."""

import pytest
from whitelist.support import principal

from chainkeeper.auth.roles import Role
from chainkeeper.whitelist.models import AppState
from chainkeeper.whitelist.workflow import (
    TRANSITIONS, Action, InvalidTransition, NotAllowed, Parties, available, decide,
)

KUNSHAN_FIRM = Parties(enterprise_id=7, county_code="320583", list_scope="32")
NATIONAL = Parties(enterprise_id=7, county_code="320583", list_scope="")
APPLICANT = principal(Role.enterprise, enterprise_id=7)
OTHER_FIRM = principal(Role.enterprise, enterprise_id=8)
KUNSHAN = principal(Role.county, region="320583")
NINGBO_COUNTY = principal(Role.county, region="330206")
SUZHOU = principal(Role.city, region="3205")
JIANGSU = principal(Role.province, region="32")
ZHEJIANG = principal(Role.province, region="33")
MINISTRY = principal(Role.ministry)
ANALYST = principal(Role.analyst)


def test_the_happy_path():
    state = AppState.draft
    for action, who in ((Action.submit, APPLICANT), (Action.pass_local, KUNSHAN), (Action.approve, JIANGSU),
                        (Action.publish, JIANGSU)):
        state = decide(state, action, who, KUNSHAN_FIRM)
    assert state is AppState.published


@pytest.mark.parametrize("who", [OTHER_FIRM, KUNSHAN, JIANGSU, MINISTRY, ANALYST])
def test_only_the_applicant_submits(who):
    with pytest.raises(NotAllowed):
        decide(AppState.draft, Action.submit, who, KUNSHAN_FIRM)


def test_local_review_is_for_the_applicants_county_or_city():
    assert decide(AppState.submitted, Action.pass_local, SUZHOU, KUNSHAN_FIRM) is AppState.locally_reviewed
    for who in (NINGBO_COUNTY, JIANGSU, APPLICANT, MINISTRY):
        with pytest.raises(NotAllowed):
            decide(AppState.submitted, Action.pass_local, who, KUNSHAN_FIRM)


def test_provincial_approval_needs_the_lists_province():
    with pytest.raises(NotAllowed):
        decide(AppState.locally_reviewed, Action.approve, ZHEJIANG, KUNSHAN_FIRM)
    with pytest.raises(NotAllowed):
        decide(AppState.nominated, Action.approve, JIANGSU, NATIONAL)
    assert decide(AppState.nominated, Action.approve, MINISTRY, NATIONAL) is AppState.approved


def test_rejection_needs_a_reason_and_impossible_moves_fail():
    with pytest.raises(InvalidTransition):
        decide(AppState.submitted, Action.reject, KUNSHAN, KUNSHAN_FIRM, reason=" ")
    assert decide(AppState.submitted, Action.reject, KUNSHAN, KUNSHAN_FIRM, reason="材料不全") is AppState.rejected
    for state in (AppState.published, AppState.rejected, AppState.withdrawn):
        for action in Action:
            with pytest.raises(InvalidTransition):
                decide(state, action, MINISTRY, KUNSHAN_FIRM, reason="x")
    with pytest.raises(InvalidTransition):
        decide(AppState.draft, Action.approve, JIANGSU, KUNSHAN_FIRM)


def test_available_actions_follow_the_table():
    assert available(AppState.draft, APPLICANT, KUNSHAN_FIRM) == [Action.submit, Action.withdraw]
    assert available(AppState.submitted, KUNSHAN, KUNSHAN_FIRM) == [Action.pass_local, Action.reject]
    assert available(AppState.approved, JIANGSU, KUNSHAN_FIRM) == [Action.reject]
    assert available(AppState.submitted, ANALYST, KUNSHAN_FIRM) == []
    assert all(target in AppState for target in (t.target for t in TRANSITIONS.values()))
