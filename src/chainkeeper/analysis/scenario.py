"""A scenario as an analyst writes it, checked against the registry and turned into the engine's shock.

Which enterprises a scenario hits: those in any of ``regions`` (all of them when no region is given) that belong to
any of ``industries`` or ``chains`` (all of them when neither is given), plus every enterprise named in ``firms``.
"Shanghai, auto chain" is thus Shanghai's auto-chain firms; "Shanghai" alone is every registered firm of Shanghai.

Every unknown or out-of-range value is refused with :class:`ScenarioRejected`, which names the bad value and the
field; its message is an English template translated where it is shown.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import Session

from chainkeeper.errors import ValidationFailed
from chainkeeper.i18n import _, translate
from chainkeeper.reference.models import Industry, KeyChain, Region
from chainkeeper.registry import uscc as uscc_codes
from chainkeeper.registry.models import Enterprise
from chainkeeper.registry.service import region_clause

RECOVERIES = ("step", "linear", "exponential")
RATIONING = ("proportional", "priority")
MAX_HORIZON = 365
MAX_ITEMS = 200


class ScenarioRejected(ValidationFailed):
    """A scenario the registry or the engine cannot run; ``template``/``params`` give the message to translate."""

    code = "scenario_rejected"

    def __init__(self, template: str, field_name: str = "", **params):
        super().__init__(template.format(**params), [{"field": field_name, "message": template.format(**params)}]
                         if field_name else None)
        self.template, self.params, self.field = template, params, field_name

    def translated(self, language: str) -> str:
        """The message in ``language``."""
        return translate(self.template, language, **self.params)


@dataclass(frozen=True)
class ScenarioSpec:
    """What an analyst asks: who is cut, by how much, for how long, how it recovers, and how long to watch.

    ``cut``: share of capacity lost (0.9 = −90%); ``duration``: days of the cut (None = all along); ``recovery``:
    ``step`` (immediate at the end), ``linear`` or ``exponential`` over the duration; ``on``: the calendar date of
    day 0 (white-list status is read on it); ``firms``: USCCs.
    """

    cut: float
    duration: int | None = 30
    horizon_days: int = 60
    recovery: str = "step"
    rationing: str = "proportional"
    regions: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    firms: tuple[str, ...] = ()
    on: date | None = None

    def to_json(self) -> dict:
        """The spec as stored with a run."""
        data = asdict(self)
        data["on"] = self.on.isoformat() if self.on else None
        return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}

    @classmethod
    def from_json(cls, data: dict) -> ScenarioSpec:
        """The spec stored with a run."""
        values = dict(data)
        values["on"] = date.fromisoformat(values["on"]) if values.get("on") else None
        for key in ("regions", "industries", "chains", "firms"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)


@dataclass
class ResolvedScenario:
    """A checked scenario: the enterprise ids it cuts, with the names of what it names (for display)."""

    spec: ScenarioSpec
    enterprise_ids: list[int]
    region_names: dict[str, str] = field(default_factory=dict)
    firm_names: dict[str, str] = field(default_factory=dict)


def check_numbers(spec: ScenarioSpec) -> None:
    """Refuse a cut, duration, horizon, recovery path or rationing rule out of range."""
    if not 0.0 < float(spec.cut) <= 1.0:
        raise ScenarioRejected(_("The cut must be more than 0% and at most 100%, got {value}."), "cut",
                               value=spec.cut)
    if not isinstance(spec.horizon_days, int) or not 1 <= spec.horizon_days <= MAX_HORIZON:
        raise ScenarioRejected(_("The horizon must be 1 to {most} days, got {value}."), "horizon_days",
                               most=MAX_HORIZON, value=spec.horizon_days)
    if spec.duration is not None and (not isinstance(spec.duration, int) or spec.duration < 1):
        raise ScenarioRejected(_("The duration must be a positive number of days, got {value}."), "duration",
                               value=spec.duration)
    if spec.recovery not in RECOVERIES:
        raise ScenarioRejected(_("Unknown recovery path {value}."), "recovery", value=spec.recovery)
    if spec.recovery != "step" and spec.duration is None:
        raise ScenarioRejected(_("A gradual recovery needs a duration."), "duration")
    if spec.rationing not in RATIONING:
        raise ScenarioRejected(_("Unknown rationing rule {value}."), "rationing", value=spec.rationing)
    for name in ("regions", "industries", "chains", "firms"):
        if len(getattr(spec, name)) > MAX_ITEMS:
            raise ScenarioRejected(_("At most {most} values in {field}."), name, most=MAX_ITEMS, field=name)


def _known(session: Session, column, values) -> set[str]:
    return set(session.scalars(select(column).where(column.in_(list(values))))) if values else set()


def _refuse_unknown(values, known, template: str, field_name: str) -> None:
    missing = [value for value in values if value not in known]
    if missing:
        raise ScenarioRejected(template, field_name, value=", ".join(missing[:5]))


def check_codes(session: Session, spec: ScenarioSpec) -> dict[str, str]:
    """Refuse region, industry and key-chain codes the reference tables do not hold; returns the region names."""
    bad_format = [code for code in spec.regions if not code.isdigit() or len(code) not in (2, 4, 6)]
    if bad_format:
        raise ScenarioRejected(_("A region code has 2, 4 or 6 digits: {value}."), "regions", value=bad_format[0])
    regions = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(spec.regions))).all()) \
        if spec.regions else {}
    _refuse_unknown(spec.regions, regions, _("No such region: {value}."), "regions")
    _refuse_unknown(spec.industries, _known(session, Industry.code, spec.industries),
                    _("No such industry: {value}."), "industries")
    _refuse_unknown(spec.chains, _known(session, KeyChain.code, spec.chains), _("No such key chain: {value}."),
                    "chains")
    return regions


def _industry_clause(session: Session, codes) -> list:
    """Enterprises of an industry code at any level (a section letter covers its classes)."""
    clauses = []
    for code in codes:
        if code.isdigit():
            clauses.append(Enterprise.industry_code.like(f"{code}%"))
        else:
            classes = select(Industry.code).where(Industry.section == code, Industry.level == 4)
            clauses.append(Enterprise.industry_code.in_(classes))
    return clauses


def _firms(session: Session, spec: ScenarioSpec, visible: ColumnElement[bool]) -> dict[str, tuple[int, str]]:
    """The named firms (USCC → id, name), each visible to the caller; refused when unknown or out of sight."""
    codes = [uscc_codes.normalize(code) for code in spec.firms]
    rows = session.execute(select(Enterprise.uscc, Enterprise.id, Enterprise.name)
                           .where(Enterprise.uscc.in_(codes), visible)).all() if codes else []
    found = {row.uscc: (row.id, row.name) for row in rows}
    _refuse_unknown(codes, found, _("No such enterprise: {value}."), "firms")
    return found


def resolve(session: Session, spec: ScenarioSpec, *, visible: ColumnElement[bool] = true()) -> ResolvedScenario:
    """Check ``spec`` against the registry and list the enterprises it cuts.

    ``visible``: the enterprises the caller may name (a regional user cannot cut a firm it cannot see by name).
    Raises :class:`ScenarioRejected` for any bad value, or when the scenario hits no registered enterprise.
    """
    check_numbers(spec)
    regions = check_codes(session, spec)
    firms = _firms(session, spec, visible)
    ids: set[int] = {firm_id for firm_id, _name in firms.values()}
    if spec.regions or spec.industries or spec.chains:
        query = select(Enterprise.id)
        if spec.regions:
            query = query.where(or_(*(region_clause(code) for code in spec.regions)))
        kinds = _industry_clause(session, spec.industries) + [Enterprise.chain_code.in_(spec.chains)] * bool(spec.chains)
        if kinds:
            query = query.where(or_(*kinds))
        ids |= set(session.scalars(query))
    if not ids:
        raise ScenarioRejected(_("The scenario hits no registered enterprise: name regions, industries, key chains "
                                 "or enterprises."), "regions")
    return ResolvedScenario(spec, sorted(ids), regions, {uscc: name for uscc, (_i, name) in firms.items()})
