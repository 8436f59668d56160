"""Display names of the white-list states, actions, statuses and resumption values (translated in templates)."""

from chainkeeper.i18n import _

LABELS = {
    "draft": _("Draft"), "submitted": _("Submitted, awaiting local review"),
    "nominated": _("Nominated, awaiting the ministry"), "locally_reviewed": _("Awaiting provincial approval"),
    "approved": _("Approved, awaiting publication"), "published": _("Published"), "rejected": _("Rejected"),
    "withdrawn": _("Withdrawn"),
    "submit": _("Submit"), "withdraw": _("Withdraw"), "pass_local": _("Pass local review"), "approve": _("Approve"),
    "reject": _("Reject"), "publish": _("Publish"),
    "active": _("Active"), "suspended": _("Suspended"), "removed": _("Removed"),
    "none": _("Not resumed"), "partly": _("Partly resumed"), "fully": _("Fully resumed"),
}
