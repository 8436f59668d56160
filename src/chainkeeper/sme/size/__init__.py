"""The size self-test: large, medium, small or micro by the statistical standard (统计上大中小微型企业划分办法（2017）).

>>> verdict = classify(industry_code="3670", employees=500, revenue_wan=50_000, assets_wan=None)
>>> verdict.sector, verdict.size.value, verdict.is_sme
('industry', 'medium', True)

The rule (the standard's note 1): large, medium and small enterprises must reach the lower bounds of *all* of the
row's indicators, otherwise they drop a class; an enterprise is micro when *any* indicator is below the small
class. So the class is the lowest one every indicator reaches. Pure: no database, no web.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainkeeper.coordination.messages import refuse
from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.registry.models import SizeClass
from chainkeeper.sme.size.standard import Sector, Threshold, find_sector, normalize_code, standard

__all__ = ["Reason", "SizeTestError", "SizeVerdict", "classify", "SIZE_LABELS", "INDICATOR_LABELS", "standard"]

ORDER = (SizeClass.large, SizeClass.medium, SizeClass.small, SizeClass.micro)
SIZE_LABELS = {SizeClass.large: _("large"), SizeClass.medium: _("medium"), SizeClass.small: _("small"),
               SizeClass.micro: _("micro")}
INDICATOR_LABELS = {"employees": _("Employees (persons)"), "revenue_wan": _("Revenue (10,000 yuan)"),
                    "assets_wan": _("Total assets (10,000 yuan)")}
_REACHED = {
    "employees": _("Employees {value}: at least {bound}, the lower bound of the {size} class"),
    "revenue_wan": _("Revenue {value} (10,000 yuan): at least {bound}, the lower bound of the {size} class"),
    "assets_wan": _("Total assets {value} (10,000 yuan): at least {bound}, the lower bound of the {size} class"),
}
_BELOW_SMALL = {
    "employees": _("Employees {value}: below {bound}, the lower bound of the small class, so micro"),
    "revenue_wan": _("Revenue {value} (10,000 yuan): below {bound}, the lower bound of the small class, so micro"),
    "assets_wan": _("Total assets {value} (10,000 yuan): below {bound}, the lower bound of the small class, "
                    "so micro"),
}
_MISSING = {
    "employees": _("the number of employees is required for this industry's size test"),
    "revenue_wan": _("the revenue (10,000 yuan) is required for this industry's size test"),
    "assets_wan": _("the total assets (10,000 yuan) are required for this industry's size test"),
}
_NEGATIVE = {
    "employees": _("the number of employees must be zero or more"),
    "revenue_wan": _("the revenue must be zero or more"),
    "assets_wan": _("the total assets must be zero or more"),
}
_SECTOR = _("Industry {code} belongs to the standard's row “{sector}”")
_LOWEST = _("Every indicator reaches the {size} class and not all reach a higher one: {size}")


class SizeTestError(ValidationFailed):
    """The test cannot decide: a field the row needs is missing or invalid, or the industry is not covered."""

    code = "size_test_failed"


class Reason(str):
    """A translatable message id (the ``str`` value) with the values that fill its ``{placeholders}``.

    ``size`` holds a size msgid and ``sector`` a row key; both are put in the reader's language by :meth:`render`.
    """

    params: dict

    def __new__(cls, message: str, **params: object) -> Reason:
        reason = super().__new__(cls, message)
        reason.params = dict(params)
        return reason

    def render(self, language: str | None) -> str:
        """The reason in ``language`` with its values filled in."""
        values = dict(self.params)
        if "size" in values:
            values["size"] = translate(values["size"], language)
        if "sector" in values:
            values["sector"] = standard().sector(values["sector"]).label(language)
        return translate(str(self), language, **values)


@dataclass(frozen=True)
class SizeVerdict:
    """The outcome of the size test: the class, the standard's row and the reasons line by line."""

    size: SizeClass
    sector: str
    reasons: tuple[str, ...]
    is_sme: bool

    def explain(self, language: str | None) -> list[str]:
        """The reasons in ``language``."""
        return [r.render(language) if isinstance(r, Reason) else translate(r, language) for r in self.reasons]


def classify(*, industry_code: str, employees: int | None, revenue_wan: float | None,
             assets_wan: float | None) -> SizeVerdict:
    """Classify an enterprise by the 2017 standard.

    Parameters
    ----------
    industry_code : a GB/T 4754-2017 code (section letter, division, group or class), e.g. ``"C"``, ``"36"``,
        ``"3670"``; it must be fine enough to pick one row (``"59"`` is not: loading vs. warehousing).
    employees, revenue_wan, assets_wan : the indicators (persons, 10,000 yuan); ``None`` when unknown. Only the
        ones the row uses are needed.

    Raises
    ------
    SizeTestError
        naming the field (``details[0]["field"]``) when the code is not covered or too coarse, or a needed
        indicator is missing or negative.
    """
    sector = _sector_of(industry_code)
    values = {"employees": employees, "revenue_wan": revenue_wan, "assets_wan": assets_wan}
    reasons: list[Reason] = [Reason(_SECTOR, code=normalize_code(industry_code), sector=sector.key)]
    reached = []
    for threshold in sector.thresholds:
        value = _needed(threshold.indicator, values[threshold.indicator])
        size = _class_of(value, threshold)
        reached.append(size)
        reasons.append(_indicator_reason(threshold, value, size))
    size = max(reached, key=ORDER.index)
    if len(sector.thresholds) > 1:
        reasons.append(Reason(_LOWEST, size=SIZE_LABELS[size]))
    return SizeVerdict(size=size, sector=sector.key, reasons=tuple(reasons), is_sme=size is not SizeClass.large)


def _sector_of(industry_code: str) -> Sector:
    code = normalize_code(industry_code)
    if not code:
        raise _error("industry_code", _("the industry code is required for the size test"))
    found = find_sector(code)
    if found is None:
        raise _error("industry_code", _("industry {code} is not covered by the statistical size standard (2017)"),
                     code=code)
    if isinstance(found, tuple):
        raise _error("industry_code", _("industry {code} spans several rows of the size standard ({rows}); "
                                        "give a finer code"), code=code, rows="、".join(s.name_zh for s in found))
    return found


def _needed(field: str, value: float | None) -> float:
    if value is None:
        raise _error(field, _MISSING[field])
    if value < 0 or value != value:  # NaN is not a number of persons or yuan
        raise _error(field, _NEGATIVE[field])
    return value


def _class_of(value: float, threshold: Threshold) -> SizeClass:
    if value >= threshold.large:
        return SizeClass.large
    if value >= threshold.medium:
        return SizeClass.medium
    if value >= threshold.small:
        return SizeClass.small
    return SizeClass.micro


def _indicator_reason(threshold: Threshold, value: float, size: SizeClass) -> Reason:
    shown = _number(value)
    if size is SizeClass.micro:
        return Reason(_BELOW_SMALL[threshold.indicator], value=shown, bound=_number(threshold.small))
    bound = getattr(threshold, size.value)
    return Reason(_REACHED[threshold.indicator], value=shown, bound=_number(bound), size=SIZE_LABELS[size])


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _error(field: str, template: str, **params: object) -> SizeTestError:
    """A :class:`SizeTestError` naming ``field``; ``error_text`` translates it (the template is the msgid)."""
    return refuse(SizeTestError, template, field=field, **params)
