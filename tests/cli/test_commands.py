"""The command line, run in-process against the test databases."""

from factories import enterprise_row, write_csv


def test_import_reports_bad_rows_and_fails(cli, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, [enterprise_row(), enterprise_row(county_code="999999")])
    result = cli("import", "enterprises", str(path), "--lang", "en")
    assert result.exit_code == 1
    assert "999999 is not a county-level administrative division code" in result.output
    assert "nothing was written" in result.output
    assert "0 enterprises" in cli("registry", "stats", "--lang", "en").output


def test_import_in_chinese_by_default(cli, tmp_path):
    path = tmp_path / "ok.csv"
    write_csv(path, [enterprise_row(), enterprise_row()])
    dry = cli("import", "enterprises", str(path), "--dry-run")
    assert dry.exit_code == 0 and "仅校验" in dry.output
    result = cli("import", "enterprises", str(path))
    assert result.exit_code == 0 and "新增 2" in result.output
    assert "企业 2 家" in cli("registry", "stats").output


def test_db_upgrade_is_repeatable(cli):
    assert cli("db", "upgrade").exit_code == 0
    assert cli("db", "upgrade").exit_code == 0


def test_import_leaves_an_audit_event(cli, engine, tmp_path):
    from chainkeeper.audit.service import search
    from chainkeeper.db import unit_of_work

    path = tmp_path / "audited.csv"
    write_csv(path, [enterprise_row()])
    assert cli("import", "enterprises", str(path)).exit_code == 0
    with unit_of_work(engine) as session:
        events = search(session=session, action="import.enterprises", object_id="audited.csv").items
    assert events and events[0].actor_name.startswith("cli:") and '"created":1' in events[0].after.replace(" ", "")
    assert cli("audit", "verify").exit_code == 0


def test_enterprise_import_gives_each_enterprise_a_history(cli, engine, tmp_path):
    from chainkeeper.audit.service import history
    from chainkeeper.db import unit_of_work

    rows = [enterprise_row(), enterprise_row()]
    path = tmp_path / "two.csv"
    write_csv(path, rows)
    assert cli("import", "enterprises", str(path)).exit_code == 0
    with unit_of_work(engine) as session:
        events = history(session=session, object_type="enterprise", object_id=rows[1]["uscc"])
    assert [e.action for e in events] == ["enterprise.import"]
    assert events[0].after_values["name"] == rows[1]["name"] and "contact_phone" not in events[0].after_values
