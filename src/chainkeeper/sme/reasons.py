"""Reasons in words, shared by the SME services: a translatable message id with the values that fill it."""

from __future__ import annotations

from chainkeeper.i18n import translate


class Reason(str):
    """A translatable message id (the ``str`` value) with the values that fill its ``{placeholders}``.

    A value that has a ``render(language)`` method (another :class:`Reason`, a size-standard row) is put in the
    reader's language too.

    >>> Reason("row {row}", row=3).render("en")
    'row 3'
    """

    params: dict

    def __new__(cls, message: str, **params: object) -> Reason:
        reason = super().__new__(cls, message)
        reason.params = dict(params)
        return reason

    def render(self, language: str | None) -> str:
        """The reason in ``language`` with its values filled in."""
        values = {k: v.render(language) if hasattr(v, "render") else v for k, v in self.params.items()}
        return translate(str(self), language, **values)


def render_all(reasons, language: str | None) -> list[str]:
    """Each reason (a :class:`Reason` or a plain msgid) in ``language``."""
    return [r.render(language) if isinstance(r, Reason) else translate(r, language) for r in reasons]
