"""Vehicle passes in the service layer, on both databases: numbering, duplicates, review scope, revocation."""

from __future__ import annotations

import pytest
from credentials.support import ACTOR, TODAY, actions_since, audit_mark, days
from sqlalchemy import delete, select

from chainkeeper.auth.roles import Principal, Role
from chainkeeper.credentials import check_payload, create_demo_passes
from chainkeeper.credentials.models import PassStatus, VehiclePass
from chainkeeper.credentials.passes import (
    PassApplication, apply_for_pass, approve_pass, may_review, pass_scope, reject_pass, revoke_pass,
)
from chainkeeper.db import unit_of_work
from chainkeeper.errors import ValidationFailed
from chainkeeper.registry.service import get_enterprise


def _application(**overrides) -> PassApplication:
    values = dict(goods_category="汽车座椅", origin_code="320583", destination_code="220104",
                  route="G2 → G25 → G1", plate="苏E12345", valid_from=days(0), valid_until=days(30),
                  crew=[("王建国", "13912345678")]) | overrides
    return PassApplication(**values)


def _firm(session, row) -> int:
    return get_enterprise(session=session, uscc=row["uscc"]).id


def _apply(session, world, firm="kunshan", **overrides) -> VehiclePass:
    return apply_for_pass(session=session, actor=ACTOR, enterprise_id=_firm(session, getattr(world, firm)),
                          application=_application(**overrides), today=TODAY)


def _approved(session, world, **overrides) -> VehiclePass:
    return approve_pass(session=session, actor=ACTOR, vehicle_pass=_apply(session, world, **overrides), today=TODAY)


def _principal(role: Role, region: str | None = None, enterprise_id: int | None = None) -> Principal:
    return Principal(1, "u", "u", frozenset({role}), enterprise_id=enterprise_id, region_code=region)


def test_numbers_are_issuer_code_and_serial_never_reused(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        first = _approved(session, world, plate="苏E11111")
        second = _approved(session, world, plate="苏E22222")
        ningbo = _approved(session, world, firm="ningbo", origin_code="330206", plate="浙B33333")
        assert (first.pass_number, second.pass_number) == ("320583000001", "320583000002")
        assert ningbo.pass_number == "330206000001" and ningbo.issuer_code == "330206"
        revoke_pass(session=session, actor=ACTOR, vehicle_pass=second, reason="vehicle sold")
    with unit_of_work(engine) as session:  # even a deleted pass's number stays used
        session.execute(delete(VehiclePass).where(VehiclePass.id == second.id))
    with unit_of_work(engine) as session:
        third = _approved(session, world, plate="苏E22222")
        assert third.pass_number == "320583000003"


def test_approval_signs_a_verifiable_pass_and_revocation_revokes_it(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        mark = audit_mark(session)
        approved = _approved(session, world, plate="苏ED12345")
        payload = approved.credential.payload
        verdict = check_payload(session=session, payload=payload, today=TODAY)
        assert verdict.status == "valid"
        assert verdict.claims.kind == "vehicle_pass" and verdict.claims.fields["number"] == approved.pass_number
        assert verdict.claims.fields["plate"] == "苏ED12345"
        revoke_pass(session=session, actor=ACTOR, vehicle_pass=approved, reason="route closed")
        assert approved.status is PassStatus.revoked
        assert check_payload(session=session, payload=payload, today=TODAY).status == "revoked"
        assert actions_since(session, mark, "vehicle_pass", approved.id) == ["pass.apply", "pass.approve", "pass.revoke"]


def test_second_active_pass_for_the_same_vehicle_and_route_is_refused(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        _approved(session, world, plate="苏E12345")
        with pytest.raises(ValidationFailed) as refused:
            _apply(session, world, plate="苏E 12345", valid_from=days(20), valid_until=days(40))
        assert refused.value.details[0]["code"] == "duplicate_pass"
        _apply(session, world, plate="苏E12345", valid_from=days(31), valid_until=days(50))  # after it ends
        _apply(session, world, plate="苏E12345", destination_code="330206")  # another route
        _apply(session, world, plate="苏E54321")  # another vehicle


def test_duplicate_is_also_refused_at_approval(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        first = _apply(session, world)
        first.status = PassStatus.rejected  # let a second application in, then bring the first back
        second = _apply(session, world)
        first.status = PassStatus.pending
        approve_pass(session=session, actor=ACTOR, vehicle_pass=second, today=TODAY)
        with pytest.raises(ValidationFailed):
            approve_pass(session=session, actor=ACTOR, vehicle_pass=first, today=TODAY)


def test_rejection_needs_a_reason_and_pending_status(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        application = _apply(session, world)
        with pytest.raises(ValidationFailed):
            reject_pass(session=session, actor=ACTOR, vehicle_pass=application, reason="")
        reject_pass(session=session, actor=ACTOR, vehicle_pass=application, reason="no route permit")
        assert application.status is PassStatus.rejected and application.pass_number is None
        with pytest.raises(ValidationFailed):
            approve_pass(session=session, actor=ACTOR, vehicle_pass=application, today=TODAY)


@pytest.mark.parametrize(("changes", "field"), [
    ({"plate": "苏E1234挂"}, "plate"), ({"plate": "ABC123"}, "plate"), ({"origin_code": "320500"}, "origin_code"),
    ({"destination_code": "999999"}, "destination_code"), ({"crew": []}, "crew"),
    ({"crew": [("张三", "12345")]}, "crew"), ({"valid_until": days(-1)}, "valid_until"),
    ({"valid_until": days(120)}, "valid_until"), ({"route": " "}, "route"),
    ({"trailer_plate": "苏E12345"}, "trailer_plate"),
])
def test_invalid_applications(engine, world, changes, field):
    with unit_of_work(engine) as session:
        with pytest.raises(ValidationFailed) as refused:
            _apply(session, world, **changes)
        assert field in {d["field"] for d in refused.value.details}


def test_review_scope_follows_the_origin_county(engine, world):
    with unit_of_work(engine) as session:
        jiangsu = _apply(session, world)
        zhejiang = _apply(session, world, firm="ningbo", origin_code="330206", destination_code="320583",
                          plate="浙B12345")
        for region, role in (("320583", Role.county), ("3205", Role.city), ("32", Role.province)):
            reviewer = _principal(role, region)
            assert may_review(session, reviewer, jiangsu) and not may_review(session, reviewer, zhejiang)
        assert not may_review(session, _principal(Role.county, "320505"), jiangsu)  # another Suzhou county
        assert may_review(session, _principal(Role.county, "330206"), zhejiang)
        assert not may_review(session, _principal(Role.ministry), jiangsu)


def test_read_scope(engine, world):
    with unit_of_work(engine) as session:
        own = _apply(session, world)
        other = _apply(session, world, firm="ningbo", origin_code="330206", destination_code="220104",
                       plate="浙B12345")
        kunshan_firm = _firm(session, world.kunshan)

        def visible(principal):
            return set(session.scalars(select(VehiclePass.id).where(pass_scope(principal))))

        assert visible(_principal(Role.enterprise, enterprise_id=kunshan_firm)) == {own.id}
        assert visible(_principal(Role.county, "320583")) == {own.id}
        assert visible(_principal(Role.province, "22")) == {own.id, other.id}  # destination Changchun
        assert visible(_principal(Role.analyst)) == {own.id, other.id}


def test_demo_pass_from_kunshan_to_changchun(engine, world, keys_dir):
    with unit_of_work(engine) as session:
        created = create_demo_passes(session=session, actor=ACTOR)
        assert len(created) == 1 and created[0].pass_number == "320583000001"
        assert (created[0].origin_code, created[0].destination_code) == ("320583", "220104")
        assert create_demo_passes(session=session, actor=ACTOR)[0].id == created[0].id


def test_a_pass_whose_validity_has_ended_is_neither_applied_for_nor_approved(engine, world, keys_dir):
    """Applying with a validity that ended yesterday is refused; an application approved after its validity ended is
    refused too (it would only verify as expired at the checkpoint), and stays pending, without a number."""
    with unit_of_work(engine) as session:
        with pytest.raises(ValidationFailed) as refused:
            _apply(session, world, valid_from=days(-3), valid_until=days(-1))
        assert refused.value.details == [{"field": "valid_until", "message": "the validity has already ended"}]
        waiting = _apply(session, world, valid_from=days(0), valid_until=days(2))
        with pytest.raises(ValidationFailed) as late:
            approve_pass(session=session, actor=ACTOR, vehicle_pass=waiting, today=days(3))
        assert late.value.details[0]["code"] == "ended"
        assert waiting.status is PassStatus.pending and waiting.pass_number is None
        assert approve_pass(session=session, actor=ACTOR, vehicle_pass=waiting, today=days(2)).pass_number
