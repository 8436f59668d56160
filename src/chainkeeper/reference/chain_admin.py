"""Administration of key chains: create or change a chain's industries, and re-derive enterprises' chains."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from chainkeeper.errors import NotFound, ValidationFailed
from chainkeeper.reference.chains import derive_chain
from chainkeeper.reference.models import Industry, KeyChain, KeyChainIndustry
from chainkeeper.registry.models import Enterprise


def _check_industries(session: Session, codes: list[str]) -> None:
    known = set(session.scalars(select(Industry.code).where(Industry.code.in_(codes))))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationFailed(
            f"unknown industry codes: {', '.join(unknown)}",
            [{"field": "industry_codes", "value": code, "message": "not a GB/T 4754-2017 code"} for code in unknown],
        )


def save_chain(*, session: Session, code: str, name_zh: str, name_en: str, industry_codes: list[str]) -> KeyChain:
    """Create or replace a key chain, then re-derive the chain of every enterprise not set by hand."""
    if not industry_codes:
        raise ValidationFailed("a key chain needs at least one industry code")
    _check_industries(session, industry_codes)
    chain = session.get(KeyChain, code)
    if chain is None:
        position = len(session.scalars(select(KeyChain.code)).all())
        chain = KeyChain(code=code, name_zh=name_zh, name_en=name_en, position=position)
        session.add(chain)
    chain.name_zh, chain.name_en = name_zh, name_en
    chain.industries = [KeyChainIndustry(chain_code=code, industry_code=c) for c in dict.fromkeys(industry_codes)]
    session.flush()
    rederive_enterprise_chains(session=session)
    return chain


def delete_chain(*, session: Session, code: str) -> None:
    """Remove a key chain; enterprises set to it by hand lose the setting, the others are re-derived."""
    chain = session.get(KeyChain, code)
    if chain is None:
        raise NotFound(f"no key chain {code}")
    session.execute(
        update(Enterprise).where(Enterprise.chain_code == code).values(chain_code=None, chain_set_by_hand=False)
    )
    session.delete(chain)
    session.flush()
    rederive_enterprise_chains(session=session)


def rederive_enterprise_chains(*, session: Session) -> int:
    """Set the derived chain of every enterprise whose chain was not set by hand; returns how many changed."""
    prefixes = [tuple(row) for row in session.execute(
        select(KeyChainIndustry.industry_code, KeyChainIndustry.chain_code)
        .join(KeyChain).order_by(KeyChain.position, KeyChainIndustry.industry_code)
    )]
    derived: dict[str, str | None] = {}
    industries = session.scalars(select(Enterprise.industry_code).distinct().where(~Enterprise.chain_set_by_hand))
    for industry in industries:
        derived[industry] = derive_chain(industry, prefixes)
    changed = 0
    for industry, chain in derived.items():
        result = session.execute(
            update(Enterprise)
            .where(Enterprise.industry_code == industry, ~Enterprise.chain_set_by_hand)
            .where(Enterprise.chain_code.is_distinct_from(chain))
            .values(chain_code=chain)
        )
        changed += result.rowcount or 0
    return changed
