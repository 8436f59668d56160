"""The helpers behind the pages: local times, Accept-Language, pagination numbers, table URLs."""

from datetime import datetime, timezone

from starlette.requests import Request

from chainkeeper.web.pages.admin_audit import local_day_start
from chainkeeper.web.pages.rendering import _accepted, local_time
from chainkeeper.web.pages.tables import Listing, Pager


def request(query: str = "", path: str = "/enterprises") -> Request:
    return Request({"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []})


def test_times_are_shown_in_shanghai():
    assert local_time(datetime(2022, 4, 11, 16, 30, 59, tzinfo=timezone.utc)) == "2022-04-12 00:30"  # to the minute
    assert local_time(datetime(2022, 4, 11, 16, 30)) == "2022-04-12 00:30"  # naive = UTC
    assert local_time(datetime(2022, 4, 11, 16, 30, 59), "%Y-%m-%d %H:%M:%S") == "2022-04-12 00:30:59"  # audit
    assert local_time(None) == ""
    assert local_day_start("2022-04-12").astimezone(timezone.utc) == datetime(2022, 4, 11, 16, tzinfo=timezone.utc)
    assert local_day_start("2022-04-12", days_after=1).day == 13 and local_day_start("12/04/2022") is None


def test_accept_language_by_quality():
    assert _accepted("fr, en-US;q=0.8, zh-CN;q=0.9") == "zh_CN"
    assert _accepted("de, en;q=0.5") == "en"
    assert _accepted("de, fr") is None and _accepted("") is None and _accepted("en;q=x, zh") == "zh_CN"


def test_pager_window():
    assert Pager(1, 20, 0).pages == 1 and Pager(1, 20, 0).first == 0
    assert Pager(5, 20, 200).window() == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert Pager(2, 20, 45).window() == [1, 2, 3] and (Pager(3, 20, 45).first, Pager(3, 20, 45).last) == (41, 45)


def test_listing_reads_and_writes_the_query_string():
    listing = Listing(request("q=%E6%98%86&sort=uscc&dir=desc&page=3&size=50&other=1"), filters=("q",),
                      sorts=("name", "uscc"), default_sort="name")
    assert (listing.value("q"), listing.sort, listing.descending, listing.page, listing.page_size) == (
        "昆", "uscc", True, 3, 50)
    assert listing.sort_url("uscc") == "/enterprises?q=%E6%98%86&sort=uscc&size=50&other=1"
    assert listing.sort_url("name") == "/enterprises?q=%E6%98%86&sort=name&size=50&other=1"
    assert listing.page_url(1) == "/enterprises?q=%E6%98%86&sort=uscc&dir=desc&size=50&other=1"
    odd = Listing(request("sort=password&page=-2&size=7&sup_page=4"), sorts=("name",), default_sort="name")
    assert (odd.sort, odd.page, odd.page_size) == ("name", 1, 20)
    assert Listing(request("sup_page=4"), prefix="sup_").page == 4
