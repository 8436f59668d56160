"""User-facing texts for the domain errors that forms can meet, in the request language."""

from __future__ import annotations

from chainkeeper.errors import ChainkeeperError, NotFound
from chainkeeper.i18n import _, translate

BY_CODE = {
    "weak_password": _("A password needs at least 10 characters, with letters and digits."),
    "too_short": _("A password needs at least 10 characters."),
    "too_simple": _("A password needs at least 3 of: lower-case letters, upper-case letters, digits, other characters."),
    "common_password": _("This password is among the most common ones; choose another."),
    "from_username": _("A password must not be made from the username."),
    "reused_password": _("Choose a password you have not used for your last 5 passwords."),
    "wrong_password": _("The current password is wrong."),
    "taken": _("This username is taken."),
    "mismatch": _("The new passwords do not match."),
}
BY_PREFIX = (
    ("an enterprise user must be bound", _("An enterprise user must be bound to an enterprise (its USCC).")),
    ("a user needs at least one role", _("Choose at least one role.")),
    ("a county authority must be bound", _("A county authority must be bound to a 6-digit region code.")),
    ("a city authority must be bound", _("A city authority must be bound to a 4-digit region code.")),
    ("a province authority must be bound", _("A provincial authority must be bound to a 2-digit region code.")),
)
LOGIN_FAILURES = {
    "throttled": _("Too many login attempts; wait a few minutes and try again."),
    "locked": _("The account is locked after repeated failures; try again in 15 minutes."),
    "login_failed": _("Wrong username or password."),
}


def explain(error: ChainkeeperError, language: str) -> str:
    """A translated sentence for ``error`` (its own English message when none is known)."""
    if isinstance(error, NotFound):
        return translate(_("No enterprise with this USCC is registered (or you may not see it)."), language)
    for detail in getattr(error, "details", []) or []:
        if detail.get("code") in BY_CODE:
            return translate(BY_CODE[detail["code"]], language)
    text = str(error)
    for prefix, message in BY_PREFIX:
        if text.startswith(prefix):
            return translate(message, language)
    return text


def login_failure(code: str, message: str, language: str) -> str:
    """A translated sentence for a failed login (wrong credentials, locked account, throttled caller)."""
    key = "locked" if "locked" in message else code
    return translate(LOGIN_FAILURES.get(key, LOGIN_FAILURES["login_failed"]), language)
