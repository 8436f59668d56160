"""Mutual-recognition agreements (the ministry manages them) and white-list categories (administrators)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from chainkeeper.audit.actor import Actor
from chainkeeper.audit.service import record
from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.reference.models import Region
from chainkeeper.whitelist.models import Agreement, AgreementCategory, AgreementRegion, Category


def list_agreements(*, session: Session) -> list[Agreement]:
    """Every agreement, newest first."""
    return list(session.scalars(select(Agreement).order_by(Agreement.valid_from.desc(), Agreement.id)))


def get_agreement(*, session: Session, agreement_id: int) -> Agreement:
    """The agreement, or :class:`NotFound`."""
    found = session.get(Agreement, agreement_id)
    if found is None:
        raise NotFound(f"no agreement {agreement_id}")
    return found


def _check(session: Session, regions: list[str], categories: list[str], valid_from: date,
           valid_until: date | None) -> None:
    details = []
    if len(set(regions)) < 2:
        details.append({"field": "regions", "message": "at least two parties"})
    for code in regions:
        region = session.get(Region, code)
        if region is None or region.level > 2:
            details.append({"field": "regions", "message": f"{code} is not a province or city"})
    known = set(session.scalars(select(Category.code)))
    details += [{"field": "categories", "message": code} for code in categories if code not in known]
    if not categories:
        details.append({"field": "categories", "message": "a value is required"})
    if valid_until is not None and valid_until < valid_from:
        details.append({"field": "valid_until", "message": "ends before it starts"})
    if details:
        raise ValidationFailed("the agreement is not valid", details)


def create_agreement(*, session: Session, actor: Actor, name: str, regions: list[str], categories: list[str],
                     valid_from: date, valid_until: date | None = None) -> Agreement:
    """A new agreement between provinces or cities, covering some categories, in force between two dates."""
    _check(session, regions, categories, valid_from, valid_until)
    agreement = Agreement(name=name.strip(), valid_from=valid_from, valid_until=valid_until,
                          regions=[AgreementRegion(region_code=c) for c in sorted(set(regions))],
                          categories=[AgreementCategory(category_code=c) for c in sorted(set(categories))])
    session.add(agreement)
    session.flush()
    record(session=session, actor=actor, action="whitelist.agreement.create", object_type="wl_agreement",
           object_id=agreement.id, after=_snapshot(agreement))
    return agreement


def end_agreement(*, session: Session, actor: Actor, agreement: Agreement, valid_until: date) -> Agreement:
    """Set (or move) the last day an agreement is in force."""
    if valid_until < agreement.valid_from:
        raise ValidationFailed("the agreement cannot end before it starts")
    before = _snapshot(agreement)
    agreement.valid_until = valid_until
    record(session=session, actor=actor, action="whitelist.agreement.end", object_type="wl_agreement",
           object_id=agreement.id, before=before, after=_snapshot(agreement))
    return agreement


def _snapshot(agreement: Agreement) -> dict:
    return {"name": agreement.name, "regions": agreement.region_codes, "categories": agreement.category_codes,
            "valid_from": agreement.valid_from, "valid_until": agreement.valid_until}


DEFAULT_CATEGORIES = (  # code, Chinese, English (the same as migration 0006 seeds)
    ("medical", "防疫和医疗物资", "Epidemic-prevention and medical supplies"),
    ("necessities", "生活必需品", "Daily necessities"),
    ("agri_inputs", "农业生产资料", "Agricultural inputs"),
    ("strategic", "战略性产业重点物资", "Key materials for strategic industries"),
    ("operation", "运行保障类", "Operation support"),
    ("strategic_function", "战略功能类", "Strategic function"),
    ("economic", "经济支撑类", "Economic support"),
    ("basic", "基础产业类", "Basic industry"),
)


def ensure_default_categories(*, session: Session) -> int:
    """Add the default categories that are missing (not audited: reference data); how many were added."""
    known = set(session.scalars(select(Category.code)))
    missing = [(code, zh, en, i) for i, (code, zh, en) in enumerate(DEFAULT_CATEGORIES, 1) if code not in known]
    session.add_all(Category(code=code, name_zh=zh, name_en=en, position=i) for code, zh, en, i in missing)
    session.flush()
    return len(missing)


def list_categories(*, session: Session) -> list[Category]:
    """Every category in display order."""
    return list(session.scalars(select(Category).order_by(Category.position, Category.code)))


def save_category(*, session: Session, actor: Actor, code: str, name_zh: str, name_en: str,
                  position: int = 0) -> Category:
    """Create or rename a category (administrators)."""
    if not code.strip() or len(code) > 32 or not code.replace("_", "").isalnum():
        raise ValidationFailed("a category code has letters, digits and underscores",
                               [{"field": "code", "message": code}])
    category = session.get(Category, code)
    before = None if category is None else {"name_zh": category.name_zh, "name_en": category.name_en}
    if category is None:
        category = Category(code=code)
        session.add(category)
    category.name_zh, category.name_en, category.position = name_zh.strip(), name_en.strip(), position
    session.flush()
    record(session=session, actor=actor, action="whitelist.category.save", object_type="wl_category", object_id=code,
           before=before, after={"name_zh": category.name_zh, "name_en": category.name_en})
    return category
