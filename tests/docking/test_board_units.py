"""The board's units in English (lane walk14; failed before: an English reader read "Capacity a day: 9,000 只" and
"9,000 只 a day covers 12,000 只"): known measure words through the catalogue, Chinese as typed, unknown as typed."""

from datetime import date

from chainkeeper.docking.board import suggest
from chainkeeper.docking.board.models import BoardNeed, Listing
from chainkeeper.docking.units import MEASURE_WORDS, unit_name
from chainkeeper.i18n import translate


def test_measure_words_read_in_english_and_stay_as_typed_in_chinese():
    assert unit_name("只", "en") == unit_name("片", "en") == "pcs" and unit_name("万片", "en") == "10k pcs"
    assert unit_name("只", "zh_CN") == "只" and unit_name("桶", "en") == "桶"
    for word, english in MEASURE_WORDS.items():  # every English name is in the catalogue, in Chinese
        assert translate(english, "zh_CN") != english, word


def test_the_reasons_give_the_unit_in_the_readers_language():
    listing = Listing(title="口罩", unit="只", county_code="420106", capacity_per_day=9000, lead_time_days=1,
                      enterprise_id=1)
    need = BoardNeed(title="口罩", unit="只", county_code="420102", quantity=12000, date_needed=date(2020, 2, 20),
                     enterprise_id=2)
    listing.good_id = need.good_id = 2
    found = suggest.score(listing, need, date(2020, 2, 10), {2: "N95"})
    [capacity] = [r for r in found.reasons if r["code"].startswith("capacity")]
    assert suggest.reason_text(capacity, "en") == "9,000 pcs a day covers 12,000 pcs within 2 days"
    assert suggest.reason_text(capacity, "zh_CN").count("只") == 2
