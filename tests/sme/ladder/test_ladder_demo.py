"""The ladder demo: Jiangsu's lists taken over behind the registry's labels, the demo SME account, applications
waiting at every level — through the services."""


from factories import enterprise_row, import_registry, new_uscc
from sqlalchemy import func, select

from chainkeeper.auth.demo import create_demo_users
from chainkeeper.auth.models import User
from chainkeeper.db import unit_of_work
from chainkeeper.registry.models import Enterprise
from chainkeeper.sme.ladder.demo import create_demo_ladder
from chainkeeper.sme.ladder.models import LadderApplication, LadderRecognition


def test_the_ladder_in_jiangsu(sqlite_engine):
    import_registry(sqlite_engine, {
        "giant": enterprise_row(uscc=new_uscc("320505"), county_code="320505", size="small",
                                labels="specialized;little_giant"),
        "spec": enterprise_row(uscc=new_uscc("320211"), county_code="320211", size="medium", labels="specialized"),
        "zj": enterprise_row(uscc=new_uscc("330106"), county_code="330106", size="small", labels="specialized")})
    with unit_of_work(sqlite_engine) as session:
        create_demo_users(session=session)
    counts = create_demo_ladder(sqlite_engine)
    assert counts == {"ladder enterprises (lists taken over)": 2, "ladder applications": 4}
    with unit_of_work(sqlite_engine) as session:
        states = dict(session.execute(select(LadderApplication.state, func.count())
                                      .group_by(LadderApplication.state)).all())
        assert states == {"submitted": 1, "county_passed": 1, "city_passed": 1, "recommended": 1}
        tiers = dict(session.execute(select(LadderRecognition.tier, func.count())
                                     .group_by(LadderRecognition.tier)).all())
        assert tiers == {"innovative": 7, "specialized": 3, "little_giant": 1}
        account = session.scalars(select(User).where(User.username == "ladder_sme")).one()
        assert session.get(Enterprise, account.enterprise_id).name == "昆山示例精密机械有限公司"
        zhejiang = session.scalars(select(Enterprise).where(Enterprise.province_code == "33")).one()
        assert zhejiang.label_codes == ["specialized"]  # outside Jiangsu the registry's labels stay as they were
