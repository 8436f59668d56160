"""What the sprint 12 walk found on the board (lane walk13), each failing before: a Shanghai district's place
read 市辖区浦东新区 (the national table's placeholder for a municipality's prefecture level), and a listing
with a day's lead time read "Lead time: 1 days" in English."""

from docking.board_support import listing, post
from docking.test_board_web import client_for, world  # noqa: F401  (the fixture)

from chainkeeper.db import unit_of_work
from chainkeeper.docking.board.views import places


def test_a_municipality_s_district_is_placed_under_the_municipality_s_name(world):
    with unit_of_work(world.engine) as session:
        named = places(session, ["310115", "220104", "420112", "31", ""])
    assert named == {"310115": "上海市浦东新区", "220104": "长春市朝阳区", "420112": "武汉市东西湖区", "31": "上海市"}


def test_a_one_day_lead_time_reads_in_the_singular(world):
    post(world, "maker_user", "listing", listing(title="一日达口罩", lead=1, county="310115"))
    post(world, "maker_user", "listing", listing(title="两日达口罩", lead=2))
    hospital = client_for(world, "hospital_user")
    hospital.cookies.set("ck_lang", "en")
    page = hospital.get("/docking/board").text
    assert "Lead time: 1 day</p>" in page and "Lead time: 2 days</p>" in page and "1 days" not in page
    assert "上海市浦东新区" in page and "市辖区" not in page
    hospital.cookies.set("ck_lang", "zh_CN")
    assert "交货期: 1 天</p>" in hospital.get("/docking/board").text
