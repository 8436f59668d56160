"""Adapter for the Willems (2008) real multi-echelon supply chains (MSOM 10(1)).

Each chain's CSV (line 1 ``/chain``, line 2 a header of XPaths, arc rows and stage rows mixed) becomes registry rows:
every stage an enterprise of a synthetic owner, every arc ``from → to`` a supply link from the upstream stage to the
downstream one. Codes are deterministic, so importing the same chain twice is idempotent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from chainkeeper.registry.uscc import ALPHABET, check_character

COUNTY = "310115"  # the synthetic owner is registered in Pudong, Shanghai
INDUSTRY_BY_CLASS = {"Part": "3399", "Manuf": "3499", "Dist": "5199", "Retail": "5299", "Trans": "5439"}
DEFAULT_INDUSTRY = "4190"


@dataclass
class WillemsChain:
    """One chain: its number, stages (name, classification, cost, time) and arcs (from, to)."""

    number: int
    stages: list[dict[str, str]]
    arcs: list[tuple[str, str]]

    def enterprise_rows(self) -> list[dict[str, str]]:
        """One enterprise row per stage, in the import's canonical columns."""
        return [
            dict(uscc=stage_uscc(self.number, i), name=f"Willems链{self.number:02d}-{s['name']}", county_code=COUNTY,
                 industry_code=INDUSTRY_BY_CLASS.get(s["classification"], DEFAULT_INDUSTRY), size="medium")
            for i, s in enumerate(self.stages)
        ]

    def link_rows(self) -> list[dict[str, str]]:
        """One link row per arc: the upstream stage supplies the downstream stage."""
        index = {s["name"]: i for i, s in enumerate(self.stages)}
        demand = {s["name"]: _number(s["avg_demand"]) * _number(s["cost"]) for s in self.stages}
        return [
            dict(supplier_uscc=stage_uscc(self.number, index[a]), customer_uscc=stage_uscc(self.number, index[b]),
                 annual_value=f"{demand[b]:.2f}", lead_time_days=self.stages[index[a]]["time"] or "", essential="1")
            for a, b in self.arcs
        ]


def _number(text: str) -> float:
    try:
        return max(float(text), 0.0)
    except ValueError:
        return 0.0


def stage_uscc(chain: int, stage: int) -> str:
    """A valid, unique USCC for stage ``stage`` of chain ``chain``."""
    serial, digits = chain * 100_000 + stage, []
    for _ in range(9):
        serial, digit = divmod(serial, len(ALPHABET))
        digits.append(ALPHABET[digit])
    body = "91" + COUNTY + "".join(reversed(digits))
    return body + check_character(body)


def read_chain(path: Path) -> WillemsChain:
    """Parse one chain file."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    reader = csv.reader(io.StringIO("\n".join(lines[1:])))
    header = next(reader)
    col = {name: header.index(xpath) for name, xpath in (
        ("from", "/arcs/arc/@from"), ("to", "/arcs/arc/@to"), ("name", "/stages/stage/@stageName"),
        ("classification", "/stages/stage/@stageClassification"), ("cost", "/stages/stage/@stageCost"),
        ("time", "/stages/stage/@stageTime"), ("avg_demand", "/stages/stage/@avgDemand"),
    )}
    stages, arcs = [], []
    for row in reader:
        row += [""] * (len(header) - len(row))
        if row[col["from"]]:
            arcs.append((row[col["from"]], row[col["to"]]))
        if row[col["name"]]:
            stages.append({key: row[col[key]] for key in ("name", "classification", "cost", "time", "avg_demand")})
    return WillemsChain(int(path.stem), stages, arcs)
