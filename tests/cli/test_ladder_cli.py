"""``chainkeeper ladder expire``: the daily job takes the labels off a lapsed recognition, in the chosen language."""

from datetime import date

from sme.ladder.ladder_support import build_world

from chainkeeper.audit.actor import SYSTEM
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.ladder import service


def test_expire_takes_the_label_off_a_lapsed_recognition(cli, engine):
    world = build_world(engine)
    firm = world.ids["ks"]
    with unit_of_work(engine) as session:
        service.register(session=session, actor=SYSTEM, items=[(firm, "specialized", "province", date(2024, 1, 2))])
        assert session.get(Enterprise, firm).label_codes == ["specialized"]
    kept = cli("ladder", "expire", "--day", "2027-01-02", "--lang", "en")  # the last day of validity
    assert kept.exit_code == 0 and "0 enterprises' ladder labels updated" in kept.output
    lapsed = cli("ladder", "expire", "--day", "2027-01-03")
    assert lapsed.exit_code == 0 and "已更新 1 家企业的梯度培育标签" in lapsed.output
    with unit_of_work(engine) as session:
        assert session.get(Enterprise, firm).label_codes == []
