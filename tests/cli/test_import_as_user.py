"""``chainkeeper import`` is the operator's tool (full rights); ``--as USER`` imports with that account's write
scope (issue 10, finding 1, through the command-line door)."""

from accounts_fixture import build_world
from factories import enterprise_row, link_row, write_csv
from sqlalchemy import select

from chainkeeper.audit.models import AuditEvent
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise


def name_of(engine, uscc: str) -> str:
    with unit_of_work(engine) as session:
        return session.scalar(select(Enterprise.name).where(Enterprise.uscc == uscc))


def test_as_county_user_rows_outside_its_region_are_refused(cli, engine, tmp_path):
    world = build_world(engine)
    path = tmp_path / "firms.csv"
    write_csv(path, [enterprise_row(), world.ningbo | {"name": "改名的宁波公司"}])
    refused = cli("import", "enterprises", str(path), "--as", "user_county", "--lang", "en")
    assert refused.exit_code == 1
    assert "firms.csv, row 3, column uscc:" in refused.output and "region 320583" in refused.output
    assert name_of(engine, world.ningbo["uscc"]) == "宁波座椅有限公司"
    links = tmp_path / "links.csv"
    write_csv(links, [link_row(world.ningbo["uscc"], world.changchun["uscc"])])
    assert cli("import", "links", str(links), "--as", "user_county", "--dry-run").exit_code == 1
    assert cli("import", "links", str(links), "--as", "user_province", "--dry-run").exit_code == 1
    assert cli("import", "links", str(links), "--as", "user_ministry", "--dry-run").exit_code == 0


def test_operator_has_full_rights_and_the_account_is_audited(cli, engine, tmp_path):
    world = build_world(engine)
    path = tmp_path / "ningbo.csv"
    write_csv(path, [world.ningbo | {"contact_person": "运维改"}])
    assert cli("import", "enterprises", str(path)).exit_code == 0  # no --as: the operator
    mine = tmp_path / "kunshan.csv"
    write_csv(mine, [world.kunshan | {"contact_person": "县里改"}])
    assert cli("import", "enterprises", str(mine), "--as", "user_county").exit_code == 0
    with unit_of_work(engine) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.object_id == "kunshan.csv"))
    assert event.actor_name == "user_county" and event.client_address.startswith("cli:")


def test_as_an_account_without_write_rights_or_unknown(cli, engine, tmp_path):
    build_world(engine)
    path = tmp_path / "firms.csv"
    write_csv(path, [enterprise_row()])
    analyst = cli("import", "enterprises", str(path), "--as", "user_analyst", "--lang", "en")
    assert analyst.exit_code == 2 and "may not change the registry" in analyst.output
    assert cli("import", "enterprises", str(path), "--as", "nobody").exit_code == 2
