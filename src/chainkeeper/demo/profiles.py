"""Roles (kinds of firm) and edges (who buys what from whom) of the synthetic economy.

A role fixes a firm's industries, regions, size mix and labels; an edge says how many suppliers of a role a customer
of another role has, how much it buys, and whether the input is essential. Region codes are 2-digit provinces,
4-digit cities or 6-digit counties of ``areas.csv``; weights are relative.
"""

from __future__ import annotations

from dataclasses import dataclass

SIZES = ("large", "medium", "small", "micro")
LABELS = ("leading", "key_node", "specialized", "little_giant", "single_champion", "foreign_invested")


@dataclass(frozen=True)
class Role:
    """A kind of firm; ``share`` is its part of all firms, ``sizes`` the probabilities of SIZES."""

    name: str
    share: float
    industries: tuple[tuple[str, float], ...]
    places: tuple[tuple[str, float], ...]
    sizes: tuple[float, float, float, float]
    leading: float = 0.0  # share of large firms labelled 'leading'
    key_node: float = 0.0  # share labelled 'key_node'
    champion: float = 0.0  # share of large/medium firms labelled 'single_champion'
    foreign: float = 0.0  # share of firms in Shanghai/Suzhou labelled 'foreign_invested'
    chain: str = ""  # chain hand-set on a few firms whose industry belongs to no chain
    chain_share: float = 0.0


@dataclass(frozen=True)
class Edge:
    """Customers of role ``customer`` buy from suppliers of role ``supplier``."""

    customer: str
    supplier: str
    mean: float  # mean number of such suppliers per customer
    value: float  # median annual value of one link, CNY
    essential: float  # probability the input is essential to the customer
    inventory: float = 12.0  # median days of stock the customer holds of this input
    minimum: int = 1
    dispersion: float = 2.0  # negative-binomial shape of the supplier count; smaller is more spread
    local: float = 0.55  # probability of buying inside the customer's regional cluster
    customer_industries: tuple[str, ...] = ()
    supplier_industries: tuple[str, ...] = ()
    product: str = ""  # a fixed product name for every link of this edge


OEM_CITIES = ("3101", "2201", "4201", "4401", "5001", "1101", "3401", "6101", "4502", "4403", "3302")
"""Cities with automobile OEMs: Shanghai, Changchun, Wuhan, Guangzhou, Chongqing, Beijing, Hefei, Xi'an, Liuzhou,
Shenzhen, Ningbo (Hangzhou Bay)."""
OEM_FIRST = ("220174", "420114", "440112", "310114", "500112", "110113", "340177", "610113", "450204", "440310",
             "330282")
"""Counties of the first OEMs, one per OEM city, so that every OEM city has one as soon as there are enough OEMs."""
CHIP_CITIES = ("3101", "3202", "4403", "6101", "1101")
"""Chip makers and designers: Shanghai, Wuxi, Shenzhen, Xi'an, Beijing."""
CHIP_INDUSTRIES = ("3973", "3972", "6520")
FOREIGN_CITIES = (3101, 3205)

OEM_PLACES = (
    ("310114", 3), ("310115", 2), ("220174", 3), ("220173", 1), ("420114", 2), ("420115", 1), ("420113", 1),
    ("440112", 2), ("440114", 2), ("440115", 2), ("440113", 1), ("500112", 2), ("500105", 1), ("110113", 2),
    ("110115", 1), ("340177", 2), ("340122", 1), ("610113", 1), ("610117", 1), ("450204", 1), ("450206", 1),
    ("440310", 1), ("330282", 1),
)
PARTS_PLACES = (
    ("3101", 10), ("310114", 5), ("3205", 10), ("320583", 8), ("3202", 7), ("3204", 3), ("3302", 7), ("3301", 5),
    ("3401", 4), ("3306", 2), ("4403", 7), ("4419", 6), ("4406", 5), ("4401", 6), ("2201", 3), ("4201", 4),
    ("5001", 4), ("1101", 2), ("1201", 2), ("3702", 1), ("3706", 1), ("5101", 2), ("4301", 1), ("4502", 1),
)
CHIP_PLACES = (("3101", 25), ("310115", 10), ("3202", 18), ("4403", 20), ("6101", 10), ("1101", 17))
IC_SUPPORT_PLACES = (("3101", 30), ("1101", 20), ("3202", 15), ("4403", 15), ("3401", 10), ("6101", 10))
MATERIAL_PLACES = (
    ("310113", 6), ("420107", 4), ("1302", 5), ("2103", 3), ("330211", 3), ("3201", 4), ("3405", 2), ("4406", 4),
    ("320582", 3), ("320281", 3), ("4419", 3), ("3302", 3), ("4403", 2), ("5001", 2), ("3701", 1),
)
CHEMICAL_PLACES = (("3201", 4), ("330211", 3), ("310116", 3), ("3702", 2), ("3310", 3), ("3207", 3), ("4401", 2),
                   ("3209", 2))
EQUIPMENT_PLACES = (
    ("2101", 3), ("2102", 2), ("3203", 3), ("4301", 4), ("3205", 4), ("3101", 4), ("3202", 3), ("3302", 3),
    ("330281", 2), ("4403", 4), ("4419", 3), ("4406", 3), ("3701", 2), ("3702", 2), ("3706", 2), ("1101", 2),
    ("1201", 2), ("4201", 2), ("5101", 1), ("6101", 2), ("3401", 2), ("3301", 2), ("3204", 2),
)
API_PLACES = (("3310", 6), ("1301", 5), ("3207", 3), ("3306", 3), ("3701", 2), ("4201", 2), ("3205", 2), ("5101", 2))
PHARMA_PLACES = (
    ("3101", 3), ("310115", 3), ("3205", 2), ("320576", 3), ("1101", 3), ("110115", 2), ("3301", 3), ("4201", 2),
    ("420111", 1), ("5101", 3), ("4401", 2), ("3201", 2), ("3310", 2), ("1301", 2), ("2301", 2), ("3701", 1),
    ("4403", 2),
)
MEDICAL_PLACES = (("429004", 4), ("4403", 5), ("3101", 4), ("3205", 3), ("3204", 2), ("3601", 2), ("3310", 2),
                  ("4419", 2), ("4201", 2), ("1101", 2))
NONWOVEN_PLACES = (("429004", 6), ("3205", 2), ("3302", 2), ("4419", 2), ("3601", 1), ("4406", 1))

ROLES: tuple[Role, ...] = (
    Role("oem", 0.006, (("3611", 0.6), ("3612", 0.4)), OEM_PLACES, (1, 0, 0, 0), leading=1.0, foreign=0.4),
    Role("tier1", 0.08, (("3670", 0.58), ("3660", 0.09), ("3620", 0.07), ("3962", 0.08), ("3841", 0.08),
                         ("2911", 0.05), ("3831", 0.05)), PARTS_PLACES, (0.25, 0.45, 0.25, 0.05),
         leading=0.1, key_node=0.3, champion=0.03, foreign=0.25),
    Role("tier2", 0.19, (("3670", 0.3), ("3484", 0.08), ("3482", 0.06), ("3391", 0.08), ("3393", 0.06),
                         ("2929", 0.1), ("2913", 0.06), ("3982", 0.07), ("3983", 0.07), ("3981", 0.05),
                         ("3813", 0.05), ("3451", 0.02)), PARTS_PLACES, (0.05, 0.3, 0.5, 0.15),
         champion=0.02, foreign=0.15),
    Role("tier3", 0.23, (("3484", 0.25), ("3360", 0.15), ("3482", 0.12), ("2929", 0.15), ("2913", 0.08),
                         ("3399", 0.1), ("3311", 0.07), ("3525", 0.08)), PARTS_PLACES, (0.01, 0.12, 0.52, 0.35),
         foreign=0.05),
    Role("materials", 0.06, (("3130", 0.35), ("3252", 0.15), ("3251", 0.1), ("2651", 0.25), ("2652", 0.15)),
         MATERIAL_PLACES, (0.35, 0.35, 0.25, 0.05), leading=0.2, key_node=0.2, chain="auto", chain_share=0.05),
    Role("chip", 0.012, (("3973", 0.4), ("3972", 0.25), ("6520", 0.35)), CHIP_PLACES, (0.2, 0.35, 0.35, 0.1),
         leading=0.3, key_node=0.3, champion=0.05, foreign=0.2),
    Role("ic_support", 0.006, (("3985", 0.6), ("3562", 0.4)), IC_SUPPORT_PLACES, (0.1, 0.3, 0.45, 0.15),
         key_node=0.15, champion=0.05),
    Role("equipment", 0.08, (("3421", 0.16), ("3422", 0.08), ("3491", 0.12), ("3514", 0.1), ("3432", 0.06),
                             ("3412", 0.08), ("4011", 0.15), ("3525", 0.15), ("3424", 0.1)), EQUIPMENT_PLACES,
         (0.1, 0.3, 0.45, 0.15), leading=0.2, key_node=0.05, champion=0.03, foreign=0.15),
    Role("equip_parts", 0.08, (("3451", 0.2), ("3453", 0.2), ("3444", 0.18), ("3443", 0.14), ("3441", 0.1),
                               ("3311", 0.1), ("3483", 0.08)), EQUIPMENT_PLACES, (0.05, 0.25, 0.5, 0.2),
         champion=0.03, foreign=0.1),
    Role("chemicals", 0.03, (("2614", 0.4), ("2661", 0.3), ("2662", 0.3)), CHEMICAL_PLACES, (0.15, 0.35, 0.4, 0.1),
         key_node=0.05, chain="biomedicine", chain_share=0.04),
    Role("api", 0.04, (("2710", 0.75), ("2780", 0.25)), API_PLACES, (0.1, 0.35, 0.45, 0.1),
         key_node=0.15, champion=0.03),
    Role("pharma", 0.06, (("2720", 0.45), ("2740", 0.2), ("2761", 0.25), ("2762", 0.1)), PHARMA_PLACES,
         (0.15, 0.3, 0.4, 0.15), leading=0.3, key_node=0.05, foreign=0.2),
    Role("medical", 0.04, (("2770", 0.35), ("3581", 0.2), ("3584", 0.2), ("2915", 0.15), ("3589", 0.1)),
         MEDICAL_PLACES, (0.05, 0.25, 0.45, 0.25), leading=0.2, key_node=0.1, foreign=0.15),
    Role("nonwoven", 0.015, (("1781", 1.0),), NONWOVEN_PLACES, (0.05, 0.3, 0.45, 0.2), key_node=0.1),
)
ROLE_INDEX = {role.name: i for i, role in enumerate(ROLES)}

_ELECTRONIC = ("3962", "3841", "3831", "3982", "3983", "3981", "3813")
_OEM_JIT = {"inventory": 7.0, "dispersion": 4.0, "local": 0.5}

EDGES: tuple[Edge, ...] = (
    # automobile: OEMs hold little stock of parts (just in time) and depend on most of them
    Edge("oem", "tier1", 40, 2.5e7, 0.9, minimum=12, **_OEM_JIT),
    Edge("oem", "materials", 3, 6e7, 0.8, inventory=15, supplier_industries=("3130", "3252", "2651")),
    Edge("oem", "equipment", 4, 8e6, 0.1, inventory=30, local=0.4),
    Edge("oem", "chip", 1, 6e6, 1.0, inventory=10, local=0.2, minimum=0, dispersion=1.0),
    Edge("tier1", "tier2", 3.5, 3e6, 0.7, inventory=10),
    Edge("tier1", "materials", 1.3, 5e6, 0.6, inventory=15),
    Edge("tier1", "chip", 1, 4e6, 1.0, inventory=12, local=0.2, dispersion=50, customer_industries=_ELECTRONIC),
    Edge("tier1", "equipment", 0.6, 2e6, 0.1, inventory=30, minimum=0),
    Edge("tier2", "tier3", 2.0, 6e5, 0.5, inventory=12),
    Edge("tier2", "materials", 1.0, 1e6, 0.6, inventory=15),
    Edge("tier2", "chip", 1, 8e5, 0.9, inventory=12, local=0.2, dispersion=50, customer_industries=_ELECTRONIC),
    Edge("tier3", "materials", 1.2, 4e5, 0.5, inventory=15),
    # integrated circuits: designers depend on a single foundry; fabs on materials and tools
    Edge("chip", "chip", 1, 3e7, 1.0, inventory=20, local=0.3, dispersion=50, customer_industries=("6520",),
         supplier_industries=("3973",), product="晶圆代工服务"),
    Edge("chip", "ic_support", 2, 1e7, 0.9, inventory=20, customer_industries=("3973", "3972")),
    Edge("ic_support", "chemicals", 1, 2e6, 0.5, inventory=20, supplier_industries=("2661", "2662")),
    # equipment
    Edge("equipment", "equip_parts", 3, 2e6, 0.7, inventory=15),
    Edge("equipment", "chip", 1, 1e6, 1.0, inventory=15, local=0.2, dispersion=50,
         customer_industries=("4011", "3491")),
    Edge("equipment", "materials", 1.2, 3e6, 0.6, inventory=20, supplier_industries=("3130", "3252", "3251")),
    Edge("equip_parts", "materials", 1.3, 1.5e6, 0.6, inventory=20, supplier_industries=("3130", "3252", "3251")),
    Edge("materials", "chemicals", 1, 2e7, 0.8, inventory=15, customer_industries=("2651", "2652"),
         supplier_industries=("2614",)),
    # biomedicine: formulators depend on few API makers
    Edge("pharma", "api", 2.2, 5e6, 0.9, inventory=25, dispersion=1.5),
    Edge("api", "chemicals", 1.8, 3e6, 0.7, inventory=20, customer_industries=("2710",)),
    # medical supplies
    Edge("medical", "nonwoven", 2, 2e6, 1.0, inventory=10, customer_industries=("2770",)),
    Edge("medical", "materials", 1, 1.5e6, 0.7, inventory=15, customer_industries=("2915", "3584", "3589"),
         supplier_industries=("2651", "2652")),
    Edge("medical", "chip", 1, 2e6, 1.0, inventory=20, local=0.2, dispersion=50, customer_industries=("3581",)),
    Edge("nonwoven", "materials", 1.5, 3e6, 1.0, inventory=12, supplier_industries=("2651",)),
)
