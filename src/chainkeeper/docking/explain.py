"""The allocation's reasons and statuses in words (zh/en), shared by the pages, the API and the XLSX export."""

from __future__ import annotations

from chainkeeper.i18n import _, translate

TEXTS = {
    "fixed": _("fixed by hand or directed by a requisition"),
    "only_producer": _("the only producer that may supply this need"),
    "nearest": _("the nearest producer with stock"),
    "nearer_exhausted": _("the {count} nearer producers had no stock left"),
    "nearer_exhausted_one": _("the one nearer producer had no stock left"),
    "need_met": _("the need is met"),
    "producer_exhausted": _("the producer's stock is used up"),
    "lot_size": _("minimum lot: what is left does not make a lot"),
    "no_eligible_producer": _("no producer may supply it (none reported stock, or their output is requisitioned "
                              "for another region)"),
    "stock_exhausted": _("all {producers} producers that may supply it are used up (by classes {classes})"),
    "no_stock": _("no producer has stock of this good today"),
    "no_needs": _("no approved need is open for this good"),
    "optimal": _("optimal: classes served in order, then the shortest transport"),
    "within_gap": _("a feasible plan: classes served in order as far as the solver got before its time limit, "
                    "not proven optimal"),
    "fixed_over_stock": _("the fixed lines of producer {supply} add up to {fixed}, more than its {available}"),
    "fixed_over_need": _("the fixed lines to need {demand} add up to {fixed}, more than its {need}"),
    "fixed_unknown": _("a fixed line names a producer or need that is not in today's allocation"),
    "fixed_negative": _("a fixed quantity must be 0 or more"),
    "solver_failed": _("the solver gave no answer in time; try again or fix fewer lines"),
}
PRIORITY_TEXTS = {1: _("1 front-line treatment"), 2: _("2 severe-risk regions"), 3: _("3 others")}


def reason_text(reason: dict | None, language: str) -> str:
    """A stored reason ({code, params}) in ``language``."""
    if not reason:
        return ""
    code, params = reason.get("code", ""), dict(reason.get("params") or {})
    if "classes" in params:
        params["classes"] = ", ".join(str(c) for c in params["classes"]) or "—"
    if code == "nearer_exhausted" and params.get("count") == 1:
        code = "nearer_exhausted_one"  # not "the 1 nearer producers"
    template = TEXTS.get(code)
    if template is None:
        return code
    try:
        return translate(template, language, **params)
    except (KeyError, IndexError):
        return translate(template, language)


def priority_text(priority: int, language: str) -> str:
    """The priority class in words."""
    return translate(PRIORITY_TEXTS.get(priority, str(priority)), language)
STATE_TEXTS = {  # the states shown on the pages (translated there with _(state))
    "draft": _("draft"), "published": _("published"), "proposed": _("proposed"), "shipped": _("shipped"),
    "received": _("received"), "submitted": _("submitted"), "approved": _("approved"), "rejected": _("rejected"),
    "cancelled": _("cancelled"), "failed": _("failed"), "withdrawn": _("withdrawn"),
}


def state_text(state: str, language: str) -> str:
    """A plan's, line's or need's state in words."""
    return translate(STATE_TEXTS.get(state, state), language)
STATUS_HINTS = {  # what a coordinator can do on a day the allocation could not serve anything (shown under the message)
    "no_stock": _("No producer of this scope reported stock of this good for the day (reports older than two days "
                  "are not used). Ask the producers to report today, or requisition output from another region."),
    "no_needs": _("No approved need of this scope is open for this good. Review the needs waiting for review, or "
                  "check that today's needs were posted."),
    "fixed_infeasible": _("The lines fixed by hand ask for more than a producer has or a need wants. Release or "
                          "lower a fixed line below, then the rest is re-optimised."),
    "solver_failed": _("Nothing was changed. Propose the allocation again; if it fails again, release some fixed "
                       "lines."),
}
