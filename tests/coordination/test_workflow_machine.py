"""A hypothesis state machine drives random sequences of desk actions through the real service layer, on SQLite and
PostgreSQL, and checks the workflow's invariants after every step (issue 6, "Quality"):

- no case is assigned, in feedback, resolved or closed without a liaison (an owner after assignment);
- a closed case is only ever reopened by the blocking party's provincial authority or the ministry;
- every state change leaves exactly one timeline event and one audit event (and queues a notification);
- a case rejected as a duplicate points at a case that was open when it was merged;
- the audit chain verifies (each new event links and hashes correctly after every step; ``verify_chain`` over the
  whole log after every example); a case's escalation level never goes down;
- a refused action (Forbidden / InvalidTransition / ValidationFailed) changes nothing.

Cases are filed by the OEM or by an authority on its behalf (and by the Kunshan supplier about its own suppliers),
about different blocking parties; random users try random actions; a simulated clock moves forward and runs the
scheduled job (``run_tick``) that flags, escalates and auto-confirms.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from coordination.desk_support import MONDAY, build_desk
from hypothesis import event as note
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, func, select

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.chain import event_hash
from chainkeeper.audit.models import GENESIS_HASH, HEAD_ID, AuditEvent, AuditHead
from chainkeeper.audit.service import verify_chain
from chainkeeper.auth.models import User, UserRole
from chainkeeper.auth.roles import AUTHORITY_ROLES, Principal, Role
from chainkeeper.auth.service import principal_of
from chainkeeper.coordination.calendar import WorkCalendar
from chainkeeper.coordination.models import (
    OPEN_STATES,
    Case,
    CaseCategory,
    CaseEvent,
    CaseState,
    Level,
)
from chainkeeper.coordination.routing import set_routing_level
from chainkeeper.coordination.service import NewCase, file_case
from chainkeeper.coordination.tick import run_tick
from chainkeeper.coordination.transitions import Step, apply
from chainkeeper.coordination.workflow import Action, InvalidTransition
from chainkeeper.db import Base, unit_of_work
from chainkeeper.errors import ChainkeeperError, Forbidden, ValidationFailed
from chainkeeper.notifications.models import Notification
from chainkeeper.core.caller import Caller

S, A = CaseState, Action
RANK = {Level.county: 0, Level.city: 1, Level.province: 2, Level.ministry: 3}
NOT_TRANSITIONS = ("remind", "overdue")  # timeline notes of the scheduled job that change no state
OWNED = (S.assigned, S.feedback, S.resolved, S.closed)
LATE = (S.feedback, S.resolved, S.closed)
AUTO_CONFIRM_DAYS = 3  # the default setting (working days; at least as many calendar days)

EXTRA_USERS = {  # more authorities, so that every level of every blocking party's region has someone
    "taicang": (Role.county, "320585"),  # another county of Suzhou: unrelated to a Kunshan blocking party
    "suzhou2": (Role.city, "3205"),  # a second Suzhou officer, to hand a case over to
    "xinwu": (Role.county, "320214"), "wuxi": (Role.city, "3202"),
    "beilun": (Role.county, "330206"), "ningbo": (Role.city, "3302"),
    "chaoyang": (Role.county, "220104"), "changchun": (Role.city, "2201"),
}
HANDLER_OF = {"320583": "kunshan", "3205": "suzhou", "32": "jiangsu", "320214": "xinwu", "3202": "wuxi",
              "330206": "beilun", "3302": "ningbo", "33": "zhejiang", "220104": "chaoyang", "2201": "changchun",
              "22": "jilin", "": "ministry"}
"""The authority office bound exactly to a handling region (the one the queue shows the case to)."""
REQUESTER_USER = {"changchun": "oem", "kunshan": "supplier"}
PLACE = ("G2京沪高速昆山出口", "320583")  # a closed highway exit: a blocking region, not an enterprise
BLOCKINGS = {"changchun": ["kunshan", "ningbo", "wuxi", PLACE], "kunshan": ["wuxi", "ningbo", "changchun", PLACE]}
REASONS = ["", "   ", "供应仍未恢复"]
STEPS_NOW = {  # what the process (issue 6) lets happen next in each state, whoever may take it
    S.submitted: [A.accept, A.reject, A.escalate, A.time_escalate],
    S.accepted: [A.assign, A.escalate, A.time_escalate],
    S.assigned: [A.feedback, A.assign, A.escalate, A.time_escalate],
    S.feedback: [A.confirm, A.object, A.auto_confirm, A.assign, A.escalate],
    S.resolved: [A.close, A.reopen],
    S.closed: [A.reopen],
    S.rejected: [],
}
MAX_CASES = 4  # per example: fewer cases, longer lives


@dataclass
class World:
    """The desk's world, built once per test function."""

    engine: object
    desk: object
    callers: dict[str, Caller]
    roles: dict[str, frozenset[Role]]
    regions: dict[str, str | None]
    enterprises: dict[str, int | None]
    names: dict[int, str]  # user id → username

    def is_authority(self, who: str) -> bool:
        return bool(self.roles[who] & AUTHORITY_ROLES)

    def over(self, who: str, region: str) -> bool:
        """``who`` is an authority (or the ministry) whose region contains ``region``."""
        if Role.ministry in self.roles[who]:
            return True
        mine = self.regions[who] or ""
        return self.is_authority(who) and mine != "" and region.startswith(mine)


def build_world(engine) -> World:
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        password_hash = session.get(User, desk.user_ids["oem"]).password_hash  # no need to hash again
        for username, (role, region) in EXTRA_USERS.items():
            user = User(username=username, display_name=username, email=f"{username}@example.gov.cn",
                        password_hash=password_hash, region_code=region, roles=[UserRole(role=role)])
            session.add(user)
            session.flush()
            desk.user_ids[username] = user.id
    callers, roles, regions, enterprises = {}, {}, {}, {}
    with unit_of_work(engine) as session:
        for username, user_id in desk.user_ids.items():
            principal: Principal = principal_of(session.get(User, user_id))
            callers[username] = Caller(principal, Actor(principal.user_id, principal.username,
                                                        principal.main_role.value))
            roles[username], regions[username] = principal.roles, principal.region_code
            enterprises[username] = principal.enterprise_id
    names = {user_id: username for username, user_id in desk.user_ids.items()}
    return World(engine, desk, callers, roles, regions, enterprises, names)


def clear_desk(engine) -> None:
    """Empty the desk's tables (cases, their events, comments and attachments, letters, routing) and the notification
    outbox between examples; the audit trail is append-only, so it is counted from a baseline instead."""
    with engine.begin() as connection:
        connection.execute(Case.__table__.update().values(merged_into_id=None))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name.startswith("desk_") or table.name == Notification.__tablename__:
                connection.execute(delete(table))


def same_blocking_point(case: dict, other: dict) -> bool:
    """An open, different case about the same blocking party and category: the only kind a case merges into."""
    if other["id"] == case["id"] or other["state"] not in OPEN_STATES or other["category"] != case["category"]:
        return False
    if case["blocking_enterprise_id"] is not None:
        return other["blocking_enterprise_id"] == case["blocking_enterprise_id"]
    return (other["blocking_key"], other["blocking_region_code"]) == (case["blocking_key"], case["blocking_region_code"])


def row_of(case: Case) -> dict:
    """Every stored column of a case."""
    return {column.key: getattr(case, column.key) for column in Case.__mapper__.column_attrs}


def make_machine(world: World):
    engine, users = world.engine, sorted(world.callers)

    class DeskMachine(RuleBasedStateMachine):
        cases = Bundle("cases")

        def __init__(self):
            super().__init__()
            clear_desk(engine)
            self.clock = MONDAY
            with unit_of_work(engine) as session:
                self.baseline = session.scalar(select(func.coalesce(func.max(AuditEvent.seq), 0)))
                head = session.get(AuditHead, HEAD_ID)
                self.chain_end = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
            self.transitions = 0  # state changes (and escalations) expected on the timeline and in the audit
            self.levels: dict[int, int] = {}  # the highest level each case has reached
            self.filings = 0
            self.case_ids: list[int] = []
            self.states: dict[int, CaseState] = {}  # as of the last check
            self.calendar = WorkCalendar.load()

        # --- helpers ---------------------------------------------------------------------------------------

        def _expect_filing(self, filer: str, requester: str, blocking) -> type[Exception] | None:
            """The product's rule: the requester's own users, an authority over its county, or the ministry."""
            enterprise = world.desk.ids[requester]
            county = {"changchun": "220104", "kunshan": "320583"}[requester]
            if not (world.enterprises[filer] == enterprise or world.over(filer, county)):
                return Forbidden
            if blocking == requester:
                return ValidationFailed  # an enterprise cannot block itself
            return None

        def _file(self, filer, requester, blocking, category):
            self.filings += 1
            expected = self._expect_filing(filer, requester, blocking)
            if isinstance(blocking, tuple):
                party = {"blocking_name": blocking[0], "blocking_region_code": blocking[1]}
            else:
                party = {"blocking_uscc": world.desk.usccs[blocking]}
            data = NewCase(category=category, title="断供", blocked="停产", help_wanted="协调复产",
                           requester_id=world.desk.ids[requester], **party)
            try:
                with unit_of_work(engine, immediate=True) as session:
                    case = file_case(session=session, caller=world.callers[filer], data=data, now=self.clock)
                    case_id, level = case.id, case.level
            except ChainkeeperError as error:
                assert expected is not None and isinstance(error, expected), (filer, requester, blocking, error)
                return multiple()
            assert expected is None, (filer, requester, blocking, "filed but should be refused")
            self.transitions += 1
            self.levels[case_id] = RANK[level]
            self.case_ids.append(case_id)
            return case_id

        def _act(self, case_id: int, who: str, step: Step,
                 dry_run: bool = False) -> tuple[dict | None, ChainkeeperError | None]:
            """Apply ``step`` as ``who``; a refusal must leave everything as it was. A dry run checks a success
            against the product's rules, then rolls it back."""
            caller = world.callers[who]
            counts_before = None if dry_run else self._counts()
            with unit_of_work(engine, immediate=True) as session:
                case = session.get(Case, case_id)
                before_state, before_level, before = case.state, case.level, row_of(case)
                try:
                    apply(session=session, case=case, step=step, principal=caller.principal, actor=caller.actor,
                          now=self.clock)
                except ChainkeeperError as error:
                    assert isinstance(error, (Forbidden, ValidationFailed)), repr(error)  # InvalidTransition too
                    assert row_of(case) == before, "a refused action changed the case"
                    assert not session.new, "a refused action left rows behind"
                    session.rollback()
                    refused = error
                else:
                    refused = None
                    after = row_of(case)
                    if dry_run:
                        session.rollback()
            note(f"{step.action.value}: {'refused ' + type(refused).__name__ if refused else 'done'}"
                 f"{' (dry run)' if dry_run else ''}")
            if refused is not None:
                if not dry_run:
                    with unit_of_work(engine) as session:
                        assert row_of(session.get(Case, case_id)) == before
                    assert self._counts() == counts_before, "a refused action left events or notifications"
                return None, refused
            self._check_success(step, who, before_state, before_level, after)
            if not dry_run:
                self.transitions += 1
            return after, None

        def _check_success(self, step: Step, who: str, before_state: CaseState, before_level: Level,
                           after: dict) -> None:
            """What a successful step must have done, from the product's rules."""
            action, state = step.action, after["state"]
            expected = {A.accept: S.accepted, A.reject: S.rejected, A.assign: S.assigned, A.feedback: S.feedback,
                        A.confirm: S.resolved, A.close: S.closed}
            if action in expected:
                assert state is expected[action], (action, state)
            if action in (A.object, A.reopen):
                assert state in OPEN_STATES and state is not S.submitted, (action, state)
            if action is A.escalate:
                assert state is before_state and RANK[after["level"]] == RANK[before_level] + 1
            if action in (A.reject, A.object, A.reopen, A.escalate):
                assert step.reason.strip(), f"{action.value} without a reason"
            if state in OWNED:
                assert after["liaison_id"] is not None, f"{action.value} left the case {state.value} without a liaison"
            if action is A.accept and RANK[after["level"]] < RANK[before_level]:
                # a county takes on a case about its territory routed to its city (issue 9 #1): one level, its own
                assert RANK[after["level"]] == RANK[before_level] - 1, "accept lowered the level by more than one"
                assert after["handling_region_code"] == world.regions[who], (who, after["handling_region_code"])
            else:
                assert RANK[after["level"]] >= RANK[before_level], f"{action.value} lowered the level"
            assert Role.analyst not in world.roles[who] and Role.admin not in world.roles[who], (who, action)
            assert action not in (A.auto_confirm, A.time_escalate), f"{who} did the scheduled job's {action.value}"
            requester_user = world.enterprises[who] == after["requester_id"]
            if world.roles[who] == {Role.enterprise}:
                assert requester_user, f"{who} acted on another enterprise's case"
                assert action in (A.confirm, A.object, A.reopen, A.escalate), f"enterprise user did {action.value}"
            if action in (A.confirm, A.object):
                assert requester_user, f"{who} {action.value}ed on the requester's behalf"
            if before_state is S.closed and action is A.reopen:
                assert Role.ministry in world.roles[who] or (
                    Role.province in world.roles[who] and world.regions[who] == after["blocking_region_code"][:2]), (
                    f"{who} reopened a closed case")
            related = (after["requester_region_code"], after["blocking_region_code"], after["handling_region_code"])
            if world.is_authority(who) and world.desk.user_ids[who] != after["liaison_id"]:
                assert any(world.over(who, region) for region in related), f"unrelated {who} did {action.value}"
            if action is A.assign:
                liaison = world.names[after["liaison_id"]]
                assert world.is_authority(liaison), "the liaison must be an authority user"
                assert liaison == world.names[step.liaison_id]
            if action is A.reject and step.merged_into_id is not None:
                assert after["merged_into_id"] == step.merged_into_id

        def _counts(self) -> tuple[int, int, int]:
            with unit_of_work(engine) as session:
                return (session.scalar(select(func.count()).select_from(CaseEvent)),
                        session.scalar(select(func.count()).where(AuditEvent.seq > self.baseline)),
                        session.scalar(select(func.count()).select_from(Notification)))

        def _load(self, case_id: int) -> dict:
            with unit_of_work(engine) as session:
                return row_of(session.get(Case, case_id))

        # --- rules -------------------------------------------------------------------------------------------

        @initialize(jiangsu=st.sampled_from([None, Level.county, Level.province]),
                    zhejiang=st.sampled_from([None, Level.county]))
        def configure_routing(self, jiangsu, zhejiang):
            with unit_of_work(engine) as session:
                for province, level in (("32", jiangsu), ("33", zhejiang)):
                    if level is not None:
                        set_routing_level(session=session, province_code=province, level=level)

        @precondition(lambda self: len(self.case_ids) < MAX_CASES)
        @rule(target=cases, requester=st.sampled_from(sorted(BLOCKINGS)), data=st.data(),
              category=st.sampled_from([CaseCategory.parts_supply, CaseCategory.policy, CaseCategory.logistics]))
        def file_a_case(self, requester, data, category):
            """Filed by the requester, or by an authority on its behalf."""
            own = REQUESTER_USER[requester]
            county = {"changchun": "220104", "kunshan": "320583"}[requester]
            filers = [own] + [u for u in users if world.is_authority(u) and world.over(u, county)] + ["ministry"]
            filer = data.draw(st.sampled_from(filers), label="filer")
            blocking = data.draw(st.sampled_from([b for b in BLOCKINGS[requester]]), label="blocking")
            return self._file(filer, requester, blocking, category)

        @precondition(lambda self: len(self.case_ids) < MAX_CASES and self.filings < 3 * MAX_CASES)
        @rule(target=cases, filer=st.sampled_from(users), requester=st.sampled_from(sorted(BLOCKINGS)),
              blocking=st.sampled_from(["kunshan", "ningbo", "wuxi", "changchun"]))
        def anyone_files(self, filer, requester, blocking):
            """Anyone tries to file for an enterprise (mostly refused)."""
            return self._file(filer, requester, blocking, CaseCategory.parts_supply)

        @rule(case_id=cases, variants=st.lists(st.integers(0, 3), min_size=1, max_size=8))
        def the_natural_next_steps(self, case_id, variants):
            """The steps the process expects next, by the people who should take them: they must be allowed."""
            for variant in variants:
                self._natural_next_step(case_id, variant)

        @rule(case_id=cases, goal=st.sampled_from([S.feedback, S.resolved, S.closed]))
        def the_case_goes_the_straight_way_to(self, case_id, goal):
            """Accepted, assigned, answered, confirmed, closed by those who should: each step must be allowed."""
            for _ in range(8):
                state = self._load(case_id)["state"]
                if state in (goal, S.rejected):
                    break
                self._natural_next_step(case_id, 0)

        def _natural_next_step(self, case_id, variant):
            case = self._load(case_id)
            state, handling = case["state"], case["handling_region_code"]
            handler = HANDLER_OF[handling]
            if state is S.submitted:
                if variant == 3 and len(self.case_ids) > 2:
                    self._natural(case_id, handler, Step(A.reject, reason="不属于堵点"))
                else:
                    self._natural(case_id, handler, Step(A.accept))
            elif state in (S.accepted, S.assigned) or (state is S.feedback and variant == 3):
                candidates = self._liaisons(case)
                liaison = candidates[variant % len(candidates)]
                if state is S.assigned and variant < 2:
                    self._natural(case_id, world.names[case["liaison_id"]], Step(A.feedback, text="已协调复产"))
                else:
                    self._natural(case_id, handler, Step(A.assign, liaison_id=world.desk.user_ids[liaison]))
            elif state is S.feedback and variant != 1:  # 1: the requester stays silent (auto-confirmation)
                requester_user = "oem" if case["requester_id"] == world.desk.ids["changchun"] else "supplier"
                if variant == 2:
                    self._natural(case_id, requester_user, Step(A.object, reason="仍未发货"))
                else:
                    self._natural(case_id, requester_user, Step(A.confirm))
            elif state is S.resolved:
                self._natural(case_id, handler, Step(A.close))
            elif state is S.closed and variant == 0:
                province = HANDLER_OF[case["blocking_region_code"][:2]]
                self._natural(case_id, province, Step(A.reopen, reason="再次停产"))

        def _natural(self, case_id: int, who: str, step: Step) -> None:
            _, refused = self._act(case_id, who, step)
            assert refused is None, f"{who} could not {step.action.value}: {refused!r}"

        @rule(case_id=cases, who=st.sampled_from(["requester", "handler", "ministry"]))
        def escalate_on_request(self, case_id, who):
            """Escalation on request climbs one level while the case is open, and never past the ministry."""
            case = self._load(case_id)
            username = {"requester": "oem" if case["requester_id"] == world.desk.ids["changchun"] else "supplier",
                        "handler": HANDLER_OF[case["handling_region_code"]], "ministry": "ministry"}[who]
            _, refused = self._act(case_id, username, Step(A.escalate, reason="迟迟未处理"))
            if case["state"] in OPEN_STATES and case["level"] is not Level.ministry:
                assert refused is None, repr(refused)
            else:
                assert isinstance(refused, InvalidTransition), repr(refused)

        @precondition(lambda self: len(self.case_ids) >= 2)
        @rule(case_id=cases, original=st.none() | cases)
        def reject_as_duplicate(self, case_id, original):
            """The handling authority rejects a new case as a duplicate of another (open) one."""
            case = self._load(case_id)
            handler = HANDLER_OF[case["handling_region_code"]]
            target = self._load(original) if original is not None else None
            _, refused = self._act(case_id, handler, Step(A.reject, reason="重复", merged_into_id=original))
            if case["state"] is not S.submitted:
                assert isinstance(refused, InvalidTransition), repr(refused)
            elif target is not None and not same_blocking_point(case, target):
                assert isinstance(refused, ValidationFailed), "merged into a case that is not an open duplicate"
            else:
                assert refused is None, repr(refused)

        @rule(case_id=cases, who=st.sampled_from(users), pick=st.integers(0, 4))
        def anyone_tries_the_next_step(self, case_id, who, pick):
            """Random people try a step that makes sense now (with its reason, measures and a fitting liaison)."""
            self._try_next_step(case_id, who, pick)

        def _next_step(self, case: dict, pick: int) -> Step | None:
            if not STEPS_NOW[case["state"]]:
                return None
            action = STEPS_NOW[case["state"]][pick % len(STEPS_NOW[case["state"]])]
            liaison = self._liaisons(case)[pick % len(self._liaisons(case))]
            return Step(action, reason="供应仍未恢复", text="已协调复产", liaison_id=world.desk.user_ids[liaison])

        def _try_next_step(self, case_id: int, who: str, pick: int, dry_run: bool = False) -> bool:
            step = self._next_step(self._load(case_id), pick)
            return step is not None and self._act(case_id, who, step, dry_run=dry_run)[0] is not None

        @rule(case_id=cases, pick=st.integers(0, 99))
        def everyone_tries_the_next_step_and_it_is_undone(self, case_id, pick):
            """Every user tries a step that makes sense now, each in a transaction rolled back afterwards: every
            success is checked against the product's rules."""
            for who in users:
                self._try_next_step(case_id, who, pick, dry_run=True)

        @precondition(lambda self: any(state in LATE for state in self.states.values()))
        @rule(order=st.permutations(users), pick=st.integers(0, 99))
        def everyone_tries_the_next_step_on_a_late_case(self, order, pick):
            """For a case in feedback, resolved or closed (where confirming, closing and reopening show who may act):
            everyone tries a step that makes sense now, undone; then everyone in turn for real, until one may."""
            late = sorted(case_id for case_id, state in self.states.items() if state in LATE)
            case_id = late[pick % len(late)]
            for who in users:
                self._try_next_step(case_id, who, pick, dry_run=True)
            for who in order:
                if self._try_next_step(case_id, who, pick):
                    break

        @rule(case_id=cases, person=st.sampled_from(["requester", "handler", "liaison", "blocking province",
                                                     "requester province", "ministry"]),
              action=st.sampled_from(list(Action)), liaison=st.none() | st.sampled_from(users))
        def the_people_concerned_try_anything(self, case_id, person, action, liaison):
            """Those a case concerns try every action (undone), then one for real, with a reason, measures and a
            liaison (fitting, or anyone)."""
            case = self._load(case_id)
            requester = "oem" if case["requester_id"] == world.desk.ids["changchun"] else "supplier"
            who = {"requester": requester, "handler": HANDLER_OF[case["handling_region_code"]],
                   "liaison": world.names.get(case["liaison_id"], requester),
                   "blocking province": HANDLER_OF[case["blocking_region_code"][:2]],
                   "requester province": HANDLER_OF[case["requester_region_code"][:2]], "ministry": "ministry"}[person]
            liaison_id = world.desk.user_ids[liaison or self._liaisons(case)[0]]
            for each in Action:
                self._act(case_id, who, Step(each, reason="供应仍未恢复", text="已协调复产", liaison_id=liaison_id),
                          dry_run=True)
            self._act(case_id, who, Step(action, reason="供应仍未恢复", text="已协调复产", liaison_id=liaison_id))

        def _liaisons(self, case: dict) -> list[str]:
            """Authority users in the handling region (the ministry hands a case to the blocking party's province)."""
            area = case["handling_region_code"] or case["blocking_region_code"][:2]
            return [u for u in users if world.is_authority(u) and (world.regions[u] or "").startswith(area)]

        @rule(case_id=cases, data=st.data())
        def anyone_tries_anything(self, case_id, data):
            """Random people try random actions; what succeeds is checked against the product's rules."""
            for _ in range(data.draw(st.integers(1, 4), label="attempts")):
                who = data.draw(st.sampled_from(users), label="who")
                action = data.draw(st.sampled_from(list(Action)), label="action")
                reason = data.draw(st.sampled_from(REASONS), label="reason")
                text = data.draw(st.sampled_from(["", "已协调"]), label="text")
                liaison = data.draw(st.none() | st.sampled_from(users), label="liaison")
                merge = data.draw(st.none() | st.sampled_from(self.case_ids), label="merged into")
                step = Step(action, reason=reason, text=text, merged_into_id=merge,
                            liaison_id=None if liaison is None else world.desk.user_ids[liaison])
                self._act(case_id, who, step)

        @precondition(lambda self: self.case_ids)
        @rule(hours=st.sampled_from([1, 3, 8, 20, 26, 50, 75, 100]))
        def time_passes(self, hours):
            """The clock moves on and the scheduled job runs."""
            self.clock += timedelta(hours=hours)
            with unit_of_work(engine) as session:
                before = {c.id: row_of(c) for c in session.scalars(select(Case))}
            report = run_tick(engine, now=self.clock, assess=False, deliver=False)
            assert report.errors == [], report.errors
            with unit_of_work(engine) as session:
                after = {c.id: row_of(c) for c in session.scalars(select(Case))}
            changed = 0
            for case_id, old in before.items():
                new = after[case_id]
                if new["state"] is not old["state"]:  # only a confirmation nobody objected to
                    assert (old["state"], new["state"]) == (S.feedback, S.resolved), (old["state"], new["state"])
                    waited = (self._local_date(self.clock) - self._local_date(old["feedback_at"])).days
                    assert waited >= AUTO_CONFIRM_DAYS, f"auto-confirmed after {waited} days"
                    changed += 1
                if new["level"] is not old["level"]:  # only one level up, and only once flagged overdue
                    assert RANK[new["level"]] == RANK[old["level"]] + 1 and old["overdue"], (old, new)
                    changed += 1
            assert changed == report.auto_confirmed + report.escalated
            note(f"tick: {report.overdue} flagged, {report.escalated} escalated, {report.auto_confirmed} confirmed")
            self.transitions += changed

        def _local_date(self, moment: datetime):
            return self.calendar.local(moment).date()

        # --- invariants --------------------------------------------------------------------------------------

        def _check_new_links(self, session, audits: list[AuditEvent]) -> None:
            """The events appended since the last step extend the chain: each links to the one before and hashes to
            what it stores, and the head names the last (the whole chain is verified after each example)."""
            seq, last_hash = self.chain_end
            for audit in audits:
                if audit.seq <= seq:
                    continue
                assert (audit.seq, audit.prev_hash) == (seq + 1, last_hash), f"audit event {audit.seq} breaks the chain"
                assert event_hash(audit.hashed_fields()) == audit.hash, f"audit event {audit.seq} was altered"
                seq, last_hash = audit.seq, audit.hash
            head = session.get(AuditHead, HEAD_ID)
            assert (head.last_seq, head.last_hash) == (seq, last_hash), "the audit head does not name the last event"
            self.chain_end = (seq, last_hash)

        def teardown(self):
            with unit_of_work(engine) as session:
                chain = verify_chain(session=session)
            assert chain.ok, chain
            assert chain.last_hash == self.chain_end[1], "the chain verified does not end where the desk left it"

        @invariant()
        def desk_invariants(self):
            with unit_of_work(engine) as session:
                cases = {c.id: c for c in session.scalars(select(Case))}
                events = list(session.scalars(select(CaseEvent).order_by(CaseEvent.id)))
                audits = list(session.scalars(select(AuditEvent).where(AuditEvent.seq > self.baseline)
                                              .order_by(AuditEvent.seq)))
                mails = dict(session.execute(select(Notification.object_id, func.count())
                                             .group_by(Notification.object_id)).all())
                self._check_new_links(session, audits)
            timeline = {case_id: [e for e in events if e.case_id == case_id] for case_id in cases}
            steps = [e for e in events if e.action not in NOT_TRANSITIONS]
            assert len(steps) == self.transitions, "a state change without exactly one timeline event"
            assert len(audits) == self.transitions, "a state change without exactly one audit event"
            assert all(a.object_type == "case" for a in audits)
            for case_id, case in cases.items():
                note(f"case {case.state.value} at {case.level.value} level")
                # an owner after assignment
                if case.state in OWNED:
                    assert case.liaison_id is not None, f"case {case_id} is {case.state.value} without a liaison"
                    assert world.is_authority(world.names[case.liaison_id]), "the liaison is not an authority"
                # the timeline is one unbroken chain of states ending in the case's state
                line = timeline[case_id]
                assert line and line[0].action == "submit" and line[0].from_state is None
                for previous, event in itertools.pairwise(line):
                    assert event.from_state == previous.to_state, (case_id, previous.action, event.action)
                assert line[-1].to_state == case.state.value
                # the audit trail mirrors the timeline, step by step
                mine = [a for a in audits if a.object_id == str(case_id)]
                case_steps = [e for e in line if e.action not in NOT_TRANSITIONS]
                assert [a.action for a in mine] == [f"case.{e.action}" for e in case_steps], case_id
                assert [json.loads(a.after)["state"] for a in mine] == [e.to_state for e in case_steps]
                # the level never goes down, in the trail and across steps, except by a take-on: an accept one
                # level down before any escalation (issue 9 #1)
                levels = [RANK[Level(json.loads(a.after)["level"])] for a in mine]
                for i, (before_level, level) in enumerate(itertools.pairwise(levels), start=1):
                    if level < before_level:
                        earlier = {a.action for a in mine[:i]}
                        assert mine[i].action == "case.accept" and level == before_level - 1, (case_id, levels)
                        assert not earlier & {"case.escalate", "case.time_escalate"}, (case_id, levels)
                assert RANK[case.level] >= self.levels.get(case_id, 0) or (
                    mine and mine[-1].action == "case.accept"), (case_id, case.level)
                self.levels[case_id] = RANK[case.level]
                self.states[case_id] = case.state
                # the people concerned hear of every step
                assert mails.get(str(case_id), 0) >= len(case_steps), f"case {case_id}: a step notified nobody"
                # closed cases are reopened only by the blocking party's province or the ministry
                for event in line:
                    if event.from_state == S.closed.value and event.action == "reopen":
                        who = world.names[event.actor_id]
                        assert Role.ministry in world.roles[who] or (
                            Role.province in world.roles[who]
                            and world.regions[who] == case.blocking_region_code[:2]), f"{who} reopened a closed case"
                # a duplicate points at a case that was open when it was merged
                if case.merged_into_id is not None:
                    assert case.state is S.rejected and case.merged_into_id != case_id
                    rejected_at = next(e.id for e in reversed(line) if e.action == "reject")
                    target_then = [e for e in timeline[case.merged_into_id] if e.id < rejected_at][-1]
                    assert target_then.to_state in {s.value for s in OPEN_STATES}, (case_id, target_then.to_state)

    return DeskMachine


@pytest.fixture
def world(engine, monkeypatch):
    monkeypatch.setenv("CHAINKEEPER_SMTP_HOST", "127.0.0.1")  # e-mail on: notifications are queued
    from chainkeeper.config import get_settings

    get_settings.cache_clear()
    yield build_world(engine)
    get_settings.cache_clear()


def test_random_workflows_keep_the_desk_consistent(world):
    run_state_machine_as_test(make_machine(world),
                              settings=settings(max_examples=25, stateful_step_count=30, deadline=None))
