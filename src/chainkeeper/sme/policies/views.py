"""Policies, matches and profiles as the API and the pages show them (shared by both edges)."""

from __future__ import annotations

from chainkeeper.sme.policies.fields import PolicyIn
from chainkeeper.sme.policies.models import EnterpriseProfile, Policy
from chainkeeper.sme.policies.rules import Rule
from chainkeeper.sme.policies.schemas import EvaluationOut, MatchOut, PolicyBody, PolicyOut, ProfileOut
from chainkeeper.sme.policies.service import Match
from chainkeeper.sme.reasons import render_all


def policy_out(policy: Policy) -> PolicyOut:
    """A stored policy for the API."""
    return PolicyOut(id=policy.id, code=policy.code, title=policy.title, issuer=policy.issuer,
                     document_number=policy.document_number, source_url=policy.source_url,
                     region_scope=policy.region_scope, industries=policy.industries,
                     size_classes=policy.size_classes, labels_any=policy.labels_any,
                     min_age_years=policy.min_age_years, max_age_years=policy.max_age_years, rules=policy.rules,
                     valid_from=policy.valid_from, valid_to=policy.valid_to, benefit=policy.benefit,
                     how_to_apply=policy.how_to_apply, illustrative=policy.illustrative)


def policy_in(body: PolicyBody) -> PolicyIn:
    """The API body as the service takes it."""
    values = body.model_dump()
    values["rules"] = [Rule(r.fact, r.op, r.value) for r in body.rules]
    return PolicyIn(**values)


def match_out(found: Match, language: str) -> MatchOut:
    """A match with its reasons in ``language``."""
    def one(policy, evaluation) -> EvaluationOut:
        return EvaluationOut(policy=policy_out(policy), met=render_all(evaluation.met, language),
                             missing=render_all(evaluation.missing, language))

    return MatchOut(enterprise_id=found.profile.enterprise_id, size=found.profile.size,
                    qualified=[one(p, e) for p, e in found.qualified], near_misses=[one(p, e) for p, e in found.near])


def profile_out(enterprise_id: int, stored: EnterpriseProfile | None) -> ProfileOut:
    """A profile (empty when none is stored)."""
    if stored is None:
        return ProfileOut(enterprise_id=enterprise_id)
    return ProfileOut(enterprise_id=enterprise_id, founded_on=stored.founded_on, facts=stored.facts,
                      extra_labels=stored.extra_labels)


def policy_text(policy: Policy) -> dict[str, str]:
    """A stored policy as the form's (and the import file's) text cells."""
    def number(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return {"code": policy.code, "title": policy.title, "issuer": policy.issuer,
            "document_number": policy.document_number, "source_url": policy.source_url,
            "region_scope": policy.region_scope, "industries": ",".join(policy.industries),
            "size_classes": ",".join(policy.size_classes), "labels_any": ",".join(policy.labels_any),
            "min_age_years": number(policy.min_age_years), "max_age_years": number(policy.max_age_years),
            "rules": "; ".join(Rule(r["fact"], r["op"], float(r["value"])).text() for r in policy.rules),
            "valid_from": policy.valid_from.isoformat() if policy.valid_from else "",
            "valid_to": policy.valid_to.isoformat() if policy.valid_to else "", "benefit": policy.benefit,
            "how_to_apply": policy.how_to_apply, "illustrative": "1" if policy.illustrative else ""}
