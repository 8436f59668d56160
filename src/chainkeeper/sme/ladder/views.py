"""The ladder's objects as plain dicts in the reader's language, for the API and the pages alike."""

from __future__ import annotations

from chainkeeper.sme.ladder.models import LadderApplication, LadderRecognition
from chainkeeper.sme.ladder.rules import Assessment, Check, rulebook, tier_rules
from chainkeeper.sme.ladder.service import SelfAssessment, today


def tier_name(tier: str, language: str) -> str:
    rules = tier_rules(tier)
    return rules["en"] if language == "en" else rules["zh"]


def _check(check: Check, language: str) -> dict:
    return {"code": check.code, "label": check.label.get(language), "met": check.met, "answer": check.answer,
            "parts": [_check(part, language) for part in check.parts]}


def assessment_out(result: Assessment, language: str) -> dict:
    """Score, groups with their lines (answer → band → points), conditions, direct conditions, verdict."""
    rules = tier_rules(result.tier)
    return {
        "tier": result.tier, "tier_name": tier_name(result.tier, language), "score": result.score,
        "pass_mark": result.pass_mark, "passed": result.passed, "direct_met": result.direct_met,
        "rule": rules["rule_en" if language == "en" else "rule_zh"],
        "groups": [{"code": g.code, "label": g.label.get(language), "points": g.points, "max_points": g.max_points,
                    "minimum": g.minimum, "met": g.met,
                    "lines": [{"code": line.code, "label": line.label.get(language), "answer": line.answer,
                               "band": line.band.get(language), "points": line.points, "max_points": line.max_points}
                              for line in g.lines]} for g in result.groups],
        "conditions": [_check(c, language) for c in result.conditions],
        "direct": [_check(c, language) for c in result.direct],
        "failures": [text.get(language) for text in result.failures],
    }


def self_assessment_out(found: SelfAssessment, language: str) -> dict:
    return {**assessment_out(found.assessment, language), "size": found.size, "size_reasons": found.verdict.explain(language),
            "is_sme": found.is_sme, "prerequisite": found.prerequisite,
            "prerequisite_name": tier_name(found.prerequisite, language) if found.prerequisite else None,
            "prerequisite_held": found.prerequisite_held, "eligible": found.eligible}


def application_out(app: LadderApplication, language: str) -> dict:
    return application_fields(app, app.enterprise, language)


def application_fields(app, firm, language: str) -> dict:
    """:func:`application_out` from any object with the application's attributes (an entity or a Core row) and its
    enterprise's ``name`` and ``uscc`` (``firm``)."""
    return {"id": app.id, "enterprise_id": app.enterprise_id, "enterprise": firm.name,
            "uscc": firm.uscc, "tier": app.tier, "tier_name": tier_name(app.tier, language),
            "kind": app.kind, "county_code": app.county_code, "score": app.score, "size": app.size,
            "state": app.state, "facts": app.facts, "history": app.history,
            "submitted_at": app.submitted_at.isoformat(timespec="seconds")}


def recognition_out(rec: LadderRecognition, language: str) -> dict:
    return recognition_fields(rec, rec.enterprise, language)


def recognition_fields(rec, firm, language: str) -> dict:
    """:func:`recognition_out` from any object with the recognition's attributes (an entity or a Core row) and its
    enterprise's ``name``, ``uscc`` and ``county_code`` (``firm``)."""
    day = today()
    status = "revoked" if rec.revoked_on else "expired" if rec.valid_until < day else "active"
    return {"id": rec.id, "enterprise_id": rec.enterprise_id, "enterprise": firm.name,
            "uscc": firm.uscc, "county_code": firm.county_code, "tier": rec.tier,
            "tier_name": tier_name(rec.tier, language), "recognised_by": rec.recognised_by,
            "recognised_on": rec.recognised_on.isoformat(), "valid_until": rec.valid_until.isoformat(),
            "re_review_due": rec.valid_until.isoformat(), "re_reviewed_on": rec.re_reviewed_on and
            rec.re_reviewed_on.isoformat(), "revoked_on": rec.revoked_on and rec.revoked_on.isoformat(),
            "revoked_reason": rec.revoked_reason, "status": status}


def rules_out(language: str) -> dict:
    """The rulebook's header and the form's definitions in ``language`` (the full tables: GET .../rules?full=1)."""
    book, key = rulebook(), "en" if language == "en" else "zh"
    return {"rulebook": book["rulebook"], "document": book["document"], "title": book["title_" + key],
            "issued": book["issued"], "in_force": book["in_force"], "source": book["source"],
            "validity_years": book["validity_years"],
            "tiers": [{"code": t, "name": tier_name(t, language), "rule": book["tiers"][t]["rule_" + key],
                       "recognised_by": book["tiers"][t]["recognised_by"],
                       "prerequisite": book["tiers"][t]["prerequisite"]} for t in book["tier_order"]],
            "facts": [{"code": f["code"], "kind": f["kind"], "unit": f["unit"], "label": f[key]} for f in book["facts"]],
            "choices": {c: {"label": v[key], "options": [{"code": o["code"], "label": o[key]} for o in v["options"]]}
                        for c, v in book["choices"].items()},
            "achievements": [{"code": a["code"], "label": a[key]} for a in book["achievements"]]}
