"""What the region picker asks: a region's children, regions by name, and a typed region resolved to its code.

Region names come from the in-memory reference copy (:mod:`chainkeeper.reference.cache`), so the cascade costs no
query. A municipality's prefecture level is a placeholder in the national table ("市辖区", "县"); it is shown under
the province's own name, which is how people name it (上海市, not 市辖区).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from chainkeeper.reference import cache
from chainkeeper.reference.models import Region

PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
MAX_MATCHES = 20
_SEPARATORS = re.compile(r"[\s/>→,，、]+")


@dataclass(frozen=True)
class RegionChoice:
    """One region as a picker lists it."""

    code: str
    name: str
    level: int  # 1 province, 2 prefecture, 3 county
    path: str  # e.g. "江苏省 苏州市 昆山市"
    has_children: bool


def all_names(session: Session) -> dict[str, str]:
    """Every region name by code (the in-memory reference copy)."""
    return cache.reference_names(session, Region) or {}


def display_name(code: str, names: dict[str, str]) -> str:
    """The name people use for ``code``: a municipality's placeholder prefecture reads as the province."""
    name = names.get(code, code)
    if len(code) == 4 and name in PLACEHOLDER_NAMES:
        return names.get(code[:2], name)
    return name


def display_names(session: Session, codes) -> dict[str, str]:
    """:func:`display_name` for each known code."""
    names = all_names(session)
    return {code: display_name(code, names) for code in {c for c in codes if c} if code in names}


def region_path(code: str, names: dict[str, str]) -> str:
    """Province, prefecture and county names of ``code``, without repeating a municipality's name."""
    parts: list[str] = []
    for length in (2, 4, 6):
        if len(code) >= length and code[:length] in names:
            name = display_name(code[:length], names)
            if not parts or parts[-1] != name:
                parts.append(name)
    return " ".join(parts)


def _choice(code: str, names: dict[str, str], parents: set[str]) -> RegionChoice:
    return RegionChoice(code, display_name(code, names), len(code) // 2, region_path(code, names), code in parents)


def _parents(names: dict[str, str]) -> set[str]:
    return {code[:-2] for code in names if len(code) > 2}


def children(session: Session, parent: str = "") -> list[RegionChoice]:
    """The provinces (``parent`` empty), a province's prefectures or a prefecture's counties, in code order."""
    names = all_names(session)
    parents = _parents(names)
    length = len(parent) + 2
    return [_choice(code, names, parents) for code in sorted(names)
            if len(code) == length and code.startswith(parent)]


def search(session: Session, text: str, *, within: str = "", limit: int = MAX_MATCHES) -> list[RegionChoice]:
    """Regions whose name (or code) contains ``text``, inside ``within``; provinces first, then prefectures."""
    wanted = text.strip()
    if not wanted:
        return []
    names = all_names(session)
    parents = _parents(names)
    found = [code for code in names if code.startswith(within)
             and (wanted in display_name(code, names) or code.startswith(wanted))]
    found.sort(key=lambda code: (len(code), code))
    return [_choice(code, names, parents) for code in found[:limit]]


def resolve_region(session: Session, text: str | None) -> str | None:
    """The code of a region typed as a code, a unique name or a path of names ("江苏省 苏州市 昆山市");
    None when nothing (or more than one region) matches."""
    wanted = (text or "").strip()
    if not wanted:
        return None
    names = all_names(session)
    if wanted.isdigit():
        return wanted if wanted in names else None
    parts = [part for part in _SEPARATORS.split(wanted) if part]
    if not parts:
        return None
    matches = [code for code in names if display_name(code, names) == parts[-1] or names[code] == parts[-1]]
    if len(parts) > 1:
        matches = [code for code in matches if all(part in region_path(code, names) for part in parts[:-1])]
    matches = sorted(set(matches), key=len)
    if len(matches) > 1 and len(matches[0]) < len(matches[1]):
        return matches[0]  # a municipality: 上海市 is the province, not its placeholder prefecture
    return matches[0] if len(matches) == 1 else None

