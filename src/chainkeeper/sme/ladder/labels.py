"""Display names of the ladder's states, review steps and recognition statuses (translated in the templates)."""

from chainkeeper.i18n import _

STATE_LABELS = {
    "submitted": _("Awaiting the county review"), "county_passed": _("Awaiting the city review"),
    "city_passed": _("Awaiting the provincial review"), "recommended": _("Recommended, awaiting the ministry"),
    "recognised": _("Recognition granted"), "rejected": _("Rejected"), "withdrawn": _("Withdrawn"),
}
ACTION_LABELS = {
    "submit": _("Submitted"), "pass": _("Pass this review"), "recommend": _("Recommend to the ministry"),
    "recognise": _("Recognise"), "reject": _("Reject"), "withdraw": _("Withdraw"),
}
STATUS_LABELS = {"active": _("Valid"), "expired": _("Expired"), "revoked": _("Revoked")}
KIND_LABELS = {"new": _("New application"), "re_review": _("Re-review")}
