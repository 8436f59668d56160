"""Industry names in the analysis workspace in English (lane walk14; failed before: the picker read "36 汽车制造业"
on an English page): the shipped English names of the GB/T 4754-2017 sections and divisions."""

from sqlalchemy import select

from chainkeeper.analysis import forms
from chainkeeper.analysis.scenario import ScenarioSpec
from chainkeeper.auth.roles import Principal, Role
from chainkeeper.db import unit_of_work
from chainkeeper.reference.loader import industry_name, industry_names_en, industry_rows
from chainkeeper.reference.models import Industry


def test_every_section_and_division_has_an_english_name():
    codes = {row["code"] for row in industry_rows() if row["level"] <= 2}
    assert set(industry_names_en()) == codes and len(codes) == 117
    assert industry_name("36", "汽车制造业", "en") == "Manufacture of automobiles"
    assert industry_name("36", "汽车制造业", "zh_CN") == "汽车制造业" and industry_name("3610", "汽车整车制造", "en") == "汽车整车制造"


def test_the_picker_and_the_scenario_name_divisions_in_the_readers_language(sqlite_engine):
    analyst = Principal(user_id=1, username="analyst", display_name="分析员", roles=frozenset({Role.analyst}))
    with unit_of_work(sqlite_engine) as session:
        assert session.scalar(select(Industry.name).where(Industry.code == "36")) == "汽车制造业"
        english = dict(forms.choices(session, analyst, "en")["industries"])
        chinese = dict(forms.choices(session, analyst, "zh_CN")["industries"])
        spec = ScenarioSpec(cut=0.9, duration=30, horizon_days=60, industries=("36",))
        described = forms.describe(session, spec, "en")["industries"]
    assert english["36"] == "36 Manufacture of automobiles" and chinese["36"] == "36 汽车制造业"
    assert described == ["36 Manufacture of automobiles"]
