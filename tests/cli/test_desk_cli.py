"""``chainkeeper desk`` in one language, in Beijing time, without cut-off columns (issue 9 #10)."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from coordination.desk_support import build_desk, parts_case

from chainkeeper.auth.api import login_throttle
from chainkeeper.db import unit_of_work

FILED = datetime(2022, 4, 18, 1, 0, tzinfo=timezone.utc)  # 09:00 in Beijing


def test_desk_list_speaks_one_language_in_beijing_time_and_cuts_nothing(cli, engine):
    login_throttle.reset()
    desk = build_desk(engine)
    with unit_of_work(engine) as session:
        case = parts_case(desk, session, now=FILED)
        ledger_no, due = case.ledger_no, case.accept_due_at
    zh = cli("desk", "list", "--wide")
    assert zh.exit_code == 0, zh.output
    assert ledger_no in zh.output and "线束断供" in zh.output and "共 1 件诉求" in zh.output
    assert "北京时间" in zh.output and "case(s)" not in zh.output and "…" not in zh.output
    assert due.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M") in zh.output
    assert due.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") not in zh.output
    assert "地市 苏州市" in zh.output  # the handler by name, not 3205
    en = cli("desk", "list", "--lang", "en", "--wide")
    assert "1 case(s)" in en.output and "Beijing time" in en.output and "共" not in en.output
    assert ledger_no in en.output
    narrow = cli("desk", "list", "--lang", "en")  # a narrow terminal folds long cells instead of cutting them
    assert "…" not in narrow.output and "Beijing" in narrow.output
    by_number = cli("desk", "list", "--q", ledger_no, "--wide")
    assert ledger_no in by_number.output and "共 1 件诉求" in by_number.output


def test_desk_routing_refuses_a_bad_level_in_chinese(cli, engine):
    result = cli("desk", "routing", "32", "village")
    assert result.exit_code == 1 and "层级须为" in result.output
    assert "地市" in cli("desk", "routing", "32").output
