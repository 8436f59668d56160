"""The desk's refusals in the user's language.

Services raise the platform's errors with an English message that is also the catalog key; values go in as
``{name}`` placeholders (see :func:`refuse`), so the message translates whole. :func:`error_text` is what the pages
and the CLI show.
"""

from __future__ import annotations

from chainkeeper.errors import ChainkeeperError, ValidationFailed
from chainkeeper.i18n import translate


def refuse(kind: type[ChainkeeperError], template: str, *, field: str | None = None, **params: object):
    """An error of ``kind`` whose message is ``template`` filled with ``params``; the template stays the key its
    translation is found under (``field`` names the form field at fault, and fills ``{field}`` if the template has it)."""
    if field is not None and "{field}" in template:
        params = {"field": field, **params}
    message = template.format(**params) if params else template
    if issubclass(kind, ValidationFailed):
        error = kind(message, [{"field": field, "message": message}] if field else [])
    else:
        error = kind(message)
    error.template, error.params = template, params
    return error


def error_text(error: Exception, language: str) -> str:
    """The error's message in ``language`` (a message the catalog does not know is shown as it is)."""
    template = getattr(error, "template", None)
    if template is not None:
        return translate(template, language, **error.params)
    return translate(str(error), language)
