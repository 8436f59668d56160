"""Issue 15 (lane deskapi, sprint 10): the queue API keeps its answers per scope, language and query until a write,
and writes its rows straight to JSON — the same bytes as the case entities' :class:`CasePage` gave; the case page
reads its timeline, comments and files in one statement, and the case by a statement built once per viewer."""

from __future__ import annotations

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_handoffs import act

from chainkeeper.coordination import case_rows, queries, scope
from chainkeeper.coordination.models import Case, CaseCategory, CaseState
from chainkeeper.coordination.schemas import CaseOut, CasePage
from chainkeeper.db import unit_of_work
from chainkeeper.whitelist.models import Attachment

QUERIES = ["", "?page=2&page_size=2", "?open_only=true", "?state=submitted", "?category=parts_supply",
           "?order=newest&page_size=3", "?order=due", "?q=%E7%BA%BF%E6%9D%9F", "?overdue=false&order=oldest",
           "?region=3205", "?page=9"]


def old_body(session, principal, query: dict) -> bytes:
    """The document as the route made it from the case entities (before sprint 9) and validated as CasePage."""
    where = queries.CaseFilter(states=(query["state"],) if query.get("state") else (), category=query.get("category"),
                               region=query.get("region", ""), overdue=query.get("overdue"),
                               open_only=query.get("open_only", False), q=query.get("q", ""))
    page, size = query.get("page", 1), query.get("page_size", 50)
    found = queries.list_cases(session=session, principal=principal, where=where, order=query.get("order", "priority"),
                               page=page, page_size=size)
    total = queries.count_cases(session=session, principal=principal, where=where)
    return CasePage(items=[CaseOut.of(case) for case in found.items], total=total, page=page,
                    page_size=size).model_dump_json().encode()


def parsed(query: str) -> dict:
    """The test queries' parameters as the route's types."""
    from urllib.parse import parse_qsl

    types = {"page": int, "page_size": int, "open_only": lambda v: v == "true", "overdue": lambda v: v == "true",
             "state": CaseState, "category": CaseCategory}
    return {name: types.get(name, str)(value) for name, value in parse_qsl(query.lstrip("?"))}


def test_the_api_list_answers_the_bytes_of_the_entities_for_each_viewer_and_filter(desk):
    """Failed before: the items' ledger number was written last (the dicts were validated into CaseOut, which put it
    second); a document written from the rows must keep the model's field order and formats."""
    oem = client_for(desk, "oem")
    ids = [file(desk, oem)["id"] for _ in range(4)]
    kunshan = client_for(desk, "kunshan")
    act(kunshan, ids[0], "accept")
    from chainkeeper.coordination.api_rows import case_items

    with unit_of_work(desk.engine) as session:
        item = case_items(session=session, principal=desk.caller("kunshan").principal,
                          where=queries.CaseFilter())[0]
    assert list(item) == list(CaseOut.model_fields)
    compared = 0
    for username in ("oem", "kunshan", "jiangsu", "zhejiang"):
        client, principal = client_for(desk, username), desk.caller(username).principal
        for query in QUERIES:
            shown = client.get("/api/v1/desk/cases" + query)
            assert shown.status_code == 200, (username, query, shown.text)
            with unit_of_work(desk.engine) as session:
                assert shown.content == old_body(session, principal, parsed(query)), (username, query)
            compared += len(shown.json()["items"])
    assert compared > 10


def test_the_api_list_is_kept_per_scope_and_query_until_a_write(desk):
    """Failed before: every call read the page's rows again (one statement per call, the count kept apart)."""
    oem, kunshan, jiangsu = client_for(desk, "oem"), client_for(desk, "kunshan"), client_for(desk, "jiangsu")
    case = file(desk, oem)
    first = kunshan.get("/api/v1/desk/cases?open_only=true")
    with statements(desk.engine) as seen:
        again = kunshan.get("/api/v1/desk/cases?open_only=true")
    assert again.content == first.content and [s for s in seen if "desk_case" in s] == []
    with statements(desk.engine) as seen:  # another query, another scope: read for themselves
        assert kunshan.get("/api/v1/desk/cases?open_only=true&page_size=3").status_code == 200
        other = jiangsu.get("/api/v1/desk/cases?open_only=true")
    assert len([s for s in seen if "FROM desk_case" in s and "LIMIT" in s]) == 2
    assert oem.get("/api/v1/desk/cases?open_only=true").json()["items"][0]["id"] == case["id"]
    act(kunshan, case["id"], "accept")  # a write ends every kept answer
    after = kunshan.get("/api/v1/desk/cases?open_only=true").json()
    assert [item["state"] for item in after["items"] if item["id"] == case["id"]] == ["accepted"]
    assert jiangsu.get("/api/v1/desk/cases?open_only=true").content != other.content


def test_the_case_page_reads_its_lists_in_one_statement_and_the_case_by_a_statement_built_once(desk, monkeypatch):
    """Failed before: the timeline, the comments and the files were three statements, and the case's statement was
    built (scope, filter) and run through the ORM again on every first view."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    case = file(desk, oem)
    for name, data in (("说明.txt", b"x" * 3000), ("b.txt", b"y" * 10)):
        sent = oem.post(f"/desk/cases/{case['id']}/attachments", files={"file": (name, data, "text/plain")},
                        follow_redirects=False)
        assert sent.status_code == 303 and "error=" not in sent.headers["location"]
    act(kunshan, case["id"], "accept")
    for body, internal in (("内部意见", True), ("已提供材料", False), ("再补充", False)):
        assert kunshan.post(f"/api/v1/desk/cases/{case['id']}/comments",
                            json={"body": body, "internal": internal}).status_code == 201
    kunshan.get(f"/desk/cases/{case['id']}")
    from chainkeeper.core import data_epoch

    data_epoch.bump()  # a first view again
    built = []
    real = scope.case_scope
    monkeypatch.setattr(case_rows, "case_scope", lambda principal: built.append(principal) or real(principal))
    with statements(desk.engine) as seen:
        assert kunshan.get(f"/desk/cases/{case['id']}").status_code == 200
    assert built == []
    lists = [s for s in seen if "desk_case_event" in s or "desk_case_comment" in s or "desk_case_attachment" in s]
    assert len(lists) == 1, lists
    with unit_of_work(desk.engine) as session:  # the entities' rows, as the page read them before
        entity = session.get(Case, case["id"])
        for username in ("kunshan", "oem"):
            principal = desk.caller(username).principal
            found = case_rows.lists(session, case["id"], principal)
            assert [step[:4] for step in found.timeline] == [(e.at, e.action, e.actor_name, e.note)
                                                             for e in queries.timeline(session=session, case=entity)]
            assert found.comments == [(c.at, c.author_name, c.internal, c.body)
                                      for c in queries.comments(session=session, case=entity, principal=principal)]
            assert found.files == [(link.id, session.get(Attachment, link.attachment_id).filename,
                                    session.get(Attachment, link.attachment_id).size)
                                   for link in queries.attachments(session=session, case=entity)]
            assert [type(c.internal) for c in found.comments] == [bool] * len(found.comments)
            assert len(found.timeline) == 2 and len(found.files) == 2
            assert len(found.comments) == (3 if username == "kunshan" else 2)
