"""The sections fed by the other monitoring features: indicators and rankings, warnings, stoppage forecasts and the
key groups' output. Each hook returns a section, or None when its feature is not installed (yet): the briefing
then lists it as pending instead of failing.

Hooks (one per feature, each calling that feature's service only):

- :func:`indicators_section` — ``chainkeeper.monitoring.indicators.service.series`` / ``ranking``
- :func:`warnings_section` — ``chainkeeper.monitoring.warnings``
- :func:`forecast_section` — ``chainkeeper.monitoring.forecast``
- :func:`key_groups_section` — ``chainkeeper.monitoring.scheduling.service``
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from types import ModuleType

from sqlalchemy.orm import Session

from chainkeeper.i18n import _
from chainkeeper.monitoring.briefing import feeds
from chainkeeper.monitoring.briefing.sections import Period

log = logging.getLogger(__name__)


def feature(module: str) -> ModuleType | None:
    """The feature's module, or None when it is not installed."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        return None


def indicators_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The month's published indicators of the region (beside the national figure), this year's value added month by
    month, and the provinces ranked by value added growth (``monitoring.indicators``)."""
    found = feature("chainkeeper.monitoring.indicators.service")
    if found is None:
        return None
    from chainkeeper.monitoring.briefing.indicators import indicators_section as build

    return build(session, found, period, region_code)


def warnings_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The warnings raised for the month in the region by level, and the list of them
    (``monitoring.warnings.service.list_warnings``)."""
    found = feature("chainkeeper.monitoring.warnings.service")
    return None if found is None else feeds.warnings_section(session, found, period, region_code)


def forecast_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The month's latest stoppage forecast (``monitoring.forecast.service``)."""
    found = feature("chainkeeper.monitoring.forecast.service")
    return None if found is None else feeds.forecast_section(session, found, period, region_code)


def key_groups_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The key groups' output against their baseline (``monitoring.scheduling.service.picture``)."""
    found = feature("chainkeeper.monitoring.scheduling.service")
    return None if found is None else feeds.key_groups_section(session, found, period, region_code)


HOOKS: list[tuple[str, Callable[[Session, Period, str], dict | None]]] = [
    (_("Monthly indicators and rankings"), indicators_section),
    (_("Early warnings"), warnings_section),
    (_("Stoppage forecasts"), forecast_section),
    (_("Key groups' output"), key_groups_section),
]
"""(title shown while pending, hook), in the order of the briefing."""
