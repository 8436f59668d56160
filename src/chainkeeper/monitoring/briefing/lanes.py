"""The sections fed by the other monitoring features: indicators and rankings, warnings, stoppage forecasts and the
key groups' output. Each hook returns a section, or None when it has nothing for the month: the briefing then
lists it as pending.

Hooks (one per feature, each calling that feature's service only):

- :func:`indicators_section` — ``chainkeeper.monitoring.indicators.service.series`` / ``ranking``
- :func:`warnings_section` — ``chainkeeper.monitoring.warnings``
- :func:`forecast_section` — ``chainkeeper.monitoring.forecast``
- :func:`key_groups_section` — ``chainkeeper.monitoring.scheduling.service``
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from chainkeeper.i18n import _
from chainkeeper.monitoring.briefing import feeds
from chainkeeper.monitoring.briefing.sections import Period

log = logging.getLogger(__name__)



def indicators_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The month's published indicators of the region (beside the national figure), this year's value added month by
    month, and the provinces ranked by value added growth (``monitoring.indicators``)."""
    from chainkeeper.monitoring.indicators import service as found
    from chainkeeper.monitoring.briefing.indicators import indicators_section as build

    return build(session, found, period, region_code)


def warnings_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The warnings raised for the month in the region by level, and the list of them
    (``monitoring.warnings.service.list_warnings``)."""
    from chainkeeper.monitoring.warnings import service as found
    return feeds.warnings_section(session, found, period, region_code)


def forecast_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The month's latest stoppage forecast (``monitoring.forecast.service``)."""
    from chainkeeper.monitoring.forecast import service as found
    return feeds.forecast_section(session, found, period, region_code)


def key_groups_section(session: Session, period: Period, region_code: str) -> dict | None:
    """The key groups' output against their baseline (``monitoring.scheduling.service.picture``)."""
    from chainkeeper.monitoring.scheduling import service as found
    return feeds.key_groups_section(session, found, period, region_code)


HOOKS: list[tuple[str, Callable[[Session, Period, str], dict | None]]] = [
    (_("Monthly indicators and rankings"), indicators_section),
    (_("Early warnings"), warnings_section),
    (_("Stoppage forecasts"), forecast_section),
    (_("Key groups' output"), key_groups_section),
]
"""(title shown while pending, hook), in the order of the briefing."""
