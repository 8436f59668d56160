"""``chainkeeper import`` bounds (issue 10, findings 16 and 20): a zip bomb is refused at once, the row limit is
the setting ``CHAINKEEPER_IMPORT_MAX_ROWS``."""

import time

from factories import enterprise_row, write_csv

from chainkeeper.config import get_settings


def test_zip_bomb_is_refused_at_once(cli, xlsx_bomb):
    start = time.perf_counter()
    result = cli("import", "enterprises", str(xlsx_bomb), "--lang", "en")
    assert time.perf_counter() - start < 10.0  # includes opening and migrating the database
    assert result.exit_code == 1 and "bomb.xlsx: the workbook holds a cell or text of more than" in result.output


def test_row_limit_is_a_setting(cli, tmp_path, monkeypatch):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row() for _ in range(4)])
    monkeypatch.setenv("CHAINKEEPER_IMPORT_MAX_ROWS", "3")
    get_settings.cache_clear()
    result = cli("import", "enterprises", str(path), "--lang", "en")
    assert result.exit_code == 1 and "e.csv, row 5: the file has more than 3 data rows" in result.output
