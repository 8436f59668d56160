"""Display labels of the desk's choices (translated at render time)."""

from __future__ import annotations

from chainkeeper.coordination.models import CaseCategory, CaseState, Level, LetterState, Urgency
from chainkeeper.coordination.workflow import Action
from chainkeeper.i18n import _, translate

CATEGORY_LABELS = {
    CaseCategory.staff_return: _("staff return"),
    CaseCategory.parts_supply: _("supplier restart / parts supply"),
    CaseCategory.logistics: _("logistics and transport"),
    CaseCategory.raw_materials: _("raw materials"),
    CaseCategory.energy: _("energy and production factors"),
    CaseCategory.funding: _("funding"),
    CaseCategory.policy: _("policy"),
    CaseCategory.other: _("other"),
}
CATEGORY_ALIASES = {  # the names the 2022 ledgers used, accepted in imported spreadsheets
    "人员返岗": CaseCategory.staff_return, "员工返岗": CaseCategory.staff_return,
    "零部件供应": CaseCategory.parts_supply, "供应商复产": CaseCategory.parts_supply,
    "零部件供应商复产": CaseCategory.parts_supply, "物流运输": CaseCategory.logistics, "物流": CaseCategory.logistics,
    "原材料": CaseCategory.raw_materials, "能源要素": CaseCategory.energy, "能源": CaseCategory.energy,
    "资金": CaseCategory.funding, "融资": CaseCategory.funding, "政策": CaseCategory.policy, "其他": CaseCategory.other,
}
STATE_LABELS = {
    CaseState.submitted: _("submitted"),
    CaseState.accepted: _("accepted"),
    CaseState.rejected: _("rejected"),
    CaseState.assigned: _("assigned"),
    CaseState.feedback: _("feedback given"),
    CaseState.resolved: _("resolved"),
    CaseState.closed: _("closed"),
}
URGENCY_LABELS = {Urgency.normal: _("normal"), Urgency.urgent: _("urgent"), Urgency.critical: _("critical")}
LEVEL_LABELS = {Level.county: _("county"), Level.city: _("city"), Level.province: _("province"),
                Level.ministry: _("ministry")}
LETTER_STATE_LABELS = {LetterState.draft: _("draft"), LetterState.sent: _("sent"),
                       LetterState.replied: _("replied"), LetterState.closed: _("closed")}
ACTION_LABELS = {
    Action.accept: _("Accept"), Action.reject: _("Reject"), Action.assign: _("Assign"),
    Action.feedback: _("Report measures"), Action.confirm: _("Confirm resolved"), Action.object: _("Raise an objection"),
    Action.auto_confirm: _("Confirmed automatically"), Action.close: _("Close (销号)"), Action.reopen: _("Reopen"),
    Action.escalate: _("Escalate"), Action.time_escalate: _("Escalated: time limit breached"),
}
EVENT_LABELS = {action.value: label for action, label in ACTION_LABELS.items()} | {
    "submit": _("Submitted"), "overdue": _("Overdue"), "remind": _("Reminder sent"),
    "letter_sent": _("Sent in a coordination letter"), "letter_replied": _("The letter was answered"),
    "merge": _("Merged"),
}


TIME_LIMIT_REASON = "time limit breached"  # the reason the scheduler stores on a case it escalates: a code
REASON_LABELS = {TIME_LIMIT_REASON: _("Time limit breached")}  # stored reasons that are codes, translated when shown


def reason_text(reason: str, language: str) -> str:
    """A case's stored reason as its reader sees it: a code of the scheduler in ``language``, typed text as is."""
    label = REASON_LABELS.get(reason)
    return reason if label is None else translate(label, language)


def parse_choice(text: str, labels: dict, aliases: dict | None = None) -> object | None:
    """The choice whose value, English label, Chinese label or alias is ``text`` (None when nothing matches)."""
    wanted = text.strip().lower()
    if aliases and text.strip() in aliases:
        return aliases[text.strip()]
    for choice, label in labels.items():
        if wanted in (choice.value, label.lower(), translate(label, "zh_CN").lower()):
            return choice
    return None
