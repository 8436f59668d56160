"""Issue 15 (lane deskweb3, sprint 8): the case page reads its timeline, comments and files as plain rows (the files
in one statement, not one per file) and renders an assessment's panel once per language; the queue page and the
queue API build each page statement once per caller, filter and order, and answer with the rows of
:func:`queries.list_cases`."""

from __future__ import annotations

import json

from coordination.test_api import client_for, desk, file  # noqa: F401  (the fixture)
from coordination.test_desk_cpu import statements
from coordination.test_handoffs import act

from chainkeeper.coordination import api_rows, pages, queries
from chainkeeper.coordination.models import Case, CaseAttachment, CaseCategory, CaseState
from chainkeeper.db import unit_of_work
from chainkeeper.web.pages.rendering import environment
from chainkeeper.whitelist.models import Attachment

FILES = [("说明.txt", b"x" * 3000), ("b.txt", b"y" * 10), ("c.txt", b"z" * 2048)]


def test_the_case_page_reads_rows_and_its_files_in_one_statement(desk):
    """Failed before: the timeline, comments and attachment links were loaded as whole entities and each file's
    stored attachment by a statement of its own (three files: three more statements)."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    case = file(desk, oem)
    for name, data in FILES:
        sent = oem.post(f"/desk/cases/{case['id']}/attachments", files={"file": (name, data, "text/plain")},
                        follow_redirects=False)
        assert sent.status_code == 303 and "error=" not in sent.headers["location"]
    act(kunshan, case["id"], "accept")
    assert kunshan.post(f"/api/v1/desk/cases/{case['id']}/comments",
                        json={"body": "内部意见", "internal": True}).status_code == 201
    assert oem.post(f"/api/v1/desk/cases/{case['id']}/comments", json={"body": "已提供材料"}).status_code == 201
    with statements(desk.engine) as seen:
        shown = kunshan.get(f"/desk/cases/{case['id']}")
    assert shown.status_code == 200
    assert len([s for s in seen if "wl_attachment" in s]) == 1, seen
    assert not [s for s in seen if "desk_case_event.from_state" in s or "desk_case_comment.author_id" in s]
    with unit_of_work(desk.engine) as session:  # what the entities show, as the page showed them before
        links = session.query(CaseAttachment).filter_by(case_id=case["id"]).order_by(CaseAttachment.id).all()
        expected = [(link.id, session.get(Attachment, link.attachment_id)) for link in links]
        expected = [f'<li><a href="/desk/cases/{case["id"]}/attachments/{link_id}" translate="no">{stored.filename}'
                    f'</a> <span class="muted">{round(stored.size / 1024, 1)} KB</span></li>'
                    for link_id, stored in expected]
    assert len(expected) == 3 and "".join(expected) in shown.text
    comments = shown.text.split('data-testid="comments"')[1]
    assert comments.index("内部意见") < comments.index("已提供材料") and '<span class="tag">内部</span>' in comments
    timeline = shown.text.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert timeline.count("<li>") == 2 and "提交" in timeline and "受理" in timeline
    seen_by_oem = oem.get(f"/desk/cases/{case['id']}").text  # the enterprise: no internal comment
    assert "已提供材料" in seen_by_oem and "内部意见" not in seen_by_oem


def test_the_queue_and_the_api_build_each_page_statement_once_with_the_same_rows(desk, monkeypatch):
    """Failed before: every queue page and API list built its select again (scope, filters, order)."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    for _ in range(3):
        file(desk, oem)
    for url in ("/desk?category=parts_supply", "/api/v1/desk/cases?category=parts_supply"):
        assert kunshan.get(url).status_code == 200
        built = []
        real = queries.filtered
        monkeypatch.setattr(queries, "filtered", lambda where: built.append(where) or real(where))
        assert kunshan.get(url).status_code == 200
        monkeypatch.setattr(queries, "filtered", real)
        assert built == [], url
    principal = desk.caller("kunshan").principal
    wheres = [queries.CaseFilter(), queries.CaseFilter(category=CaseCategory.parts_supply),
              queries.CaseFilter(states=(CaseState.submitted,), q="线束"), queries.CaseFilter(open_only=True)]
    shown = 0
    with unit_of_work(desk.engine) as session:
        for where in wheres:
            for order in queries.ORDERS:
                for page, size in ((1, 50), (2, 2), (0, 500)):
                    old = queries.list_cases(session=session, principal=principal, where=where, order=order,
                                             page=page, page_size=size, rows=True, total=7)
                    new, _ = api_rows.queue_rows(session=session, principal=principal, where=where, order=order,
                                              page=page, page_size=size, total=7)
                    assert new == old
                    shown += len(new.items)
    assert shown > 0


OLD_PANEL = """{% if impact %}
    <p class="headline">{{ _("Stops %(listed)s white-listed enterprises within %(days)s days; %(amount)s of output at risk in %(horizon)s days.", listed=impact.n_listed_stopping, days=impact.listed_within_days or impact.horizon_days, amount=impact.output_at_risk_cny|cny, horizon=impact.horizon_days) }}</p>
    <p>{{ _("%(count)s downstream enterprises fall below 90%% of normal output; the first stops on day %(day)s.", count=impact.n_affected, day=impact.first_stop_day if impact.first_stop_day is not none else "—") }}</p>
    {% if impact.firms %}
    <div class="table-wrap" tabindex="0" role="region" aria-label="{{ _('Impact') }}">
    {% set columns = (_("Enterprise"), _("Below 90%% on day"), _("Stops on day"), _("White-listed")) %}
    <table class="data compact cards"><thead><tr>{% for heading in columns %}<th scope="col">{{ heading }}</th>{% endfor %}</tr></thead>
    <tbody>{% for f in impact.firms %}<tr><td data-label="{{ columns[0] }}" translate="no">{{ f.name }}</td><td data-label="{{ columns[1] }}" class="num">{{ f.day_below_90 if f.day_below_90 is not none else "—" }}</td><td data-label="{{ columns[2] }}" class="num">{{ f.day_below_50 if f.day_below_50 is not none else "—" }}</td><td data-label="{{ columns[3] }}">{{ _("yes")|sentence if f.listed else "—" }}</td></tr>{% endfor %}</tbody></table>
    </div>
    {% endif %}
{% endif %}"""  # the panel as case.html wrote it (sprint 7; its table one card per firm on a phone since lane walk13)


def test_the_case_page_renders_an_assessment_once_per_language_as_before(desk):
    """Failed before (no such reuse): every view formatted the amount at risk (babel) and the firms' table again."""
    oem, kunshan = client_for(desk, "oem"), client_for(desk, "kunshan")
    case = file(desk, oem)
    assert kunshan.post(f"/api/v1/desk/cases/{case['id']}/impact").status_code == 200
    first = kunshan.get(f"/desk/cases/{case['id']}")
    kept = pages.impact_panel.cache_info()
    pages.kept_cases(kunshan.app).clear()  # not the kept page (lane deskcase): the panel is built again, from its cache
    again = kunshan.get(f"/desk/cases/{case['id']}")
    assert pages.impact_panel.cache_info().misses == kept.misses and pages.impact_panel.cache_info().hits > kept.hits
    with unit_of_work(desk.engine) as session:
        impact = json.loads(session.get(Case, case["id"]).impact)
    for language, shown in (("zh_CN", again.text), ("en", oem.get(f"/desk/cases/{case['id']}",
                                                                   cookies={"ck_lang": "en"}).text)):
        old = environment(language).from_string(OLD_PANEL).render(impact=impact)
        panel = shown.split('data-testid="impact">')[1].split("</section>")[0]
        assert panel.startswith(f"\n  <h2>{'影响评估' if language == 'zh_CN' else 'Impact'}</h2>\n{old}"), panel
    assert first.text.count('class="headline"') == 1
    with unit_of_work(desk.engine) as session:  # a new assessment: shown at once
        session.get(Case, case["id"]).impact = json.dumps(impact | {"n_affected": 987654})
    assert "987654" in kunshan.get(f"/desk/cases/{case['id']}").text
