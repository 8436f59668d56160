"""Recognition holes named by mutation testing: the basis names the entry *and* its list (not swapped), and a list
whose region is no party to the agreement in force says so."""

from whitelist.support import make_list, publish
from whitelist.test_recognition import _agree, _check

from chainkeeper.db import unit_of_work


def test_the_basis_names_the_entry_and_its_list(engine, setup):
    with unit_of_work(engine) as session:
        for scope in ("33", "34"):  # lists before Jiangsu's, so the list's id differs from the entry's
            make_list(session, scope, f"名单 {scope}")
        jiangsu = make_list(session, "32", "江苏白名单")
        entry = publish(session, setup, jiangsu.id)
        assert entry.id != entry.list_id, "the test needs different ids to tell them apart"
        at_home = _check(session, setup, region="320583").bases[0]
        assert (at_home.entry_id, at_home.list_id) == (entry.id, jiangsu.id)
        agreement = _agree(session, setup)
        away = _check(session, setup, region="310115").bases[0]
        assert (away.entry_id, away.list_id, away.agreement_id) == (entry.id, jiangsu.id, agreement.id)


def test_a_list_whose_region_is_no_party_is_named_in_the_notes(engine, setup):
    with unit_of_work(engine) as session:
        publish(session, setup, make_list(session, "32", "江苏白名单").id)
        _agree(session, setup, regions=["31", "33"])  # Shanghai and Zhejiang agree; Jiangsu is not a party
        answer = _check(session, setup, region="310115")
        assert not answer.recognized and answer.bases == []
        assert answer.notes == ["the region of list “江苏白名单” is not party to an agreement here"]
