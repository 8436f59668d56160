"""``chainkeeper import`` bounds (issue 10, findings 16 and 20): a zip bomb is refused at once, the row limit is
the setting ``CHAINKEEPER_IMPORT_MAX_ROWS``."""

from factories import enterprise_row, write_csv
from xlsx_bombs import Unpacked

from chainkeeper.config import get_settings


def test_zip_bomb_is_refused_at_once(cli, xlsx_bomb, monkeypatch):
    unpacked = Unpacked(monkeypatch)
    result = cli("import", "enterprises", str(xlsx_bomb), "--lang", "en")
    assert unpacked.bytes < 8 * 2**20  # of the 400 MB it holds: refused at once, on any machine
    assert result.exit_code == 1 and "bomb.xlsx: the workbook holds a cell or text of more than" in result.output


def test_row_limit_is_a_setting(cli, tmp_path, monkeypatch):
    path = tmp_path / "e.csv"
    write_csv(path, [enterprise_row() for _ in range(4)])
    monkeypatch.setenv("CHAINKEEPER_IMPORT_MAX_ROWS", "3")
    get_settings.cache_clear()
    result = cli("import", "enterprises", str(path), "--lang", "en")
    assert result.exit_code == 1 and "e.csv, row 5: the file has more than 3 data rows" in result.output
