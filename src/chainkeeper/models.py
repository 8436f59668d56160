"""Imports every feature's ORM models so that ``Base.metadata`` knows all tables (for Alembic and tests)."""

from chainkeeper.analysis import models as analysis_models  # noqa: F401
from chainkeeper.audit import models as audit_models  # noqa: F401
from chainkeeper.auth import models as auth_models  # noqa: F401
from chainkeeper.coordination import models as coordination_models  # noqa: F401
from chainkeeper.coordination import case_counts as coordination_counts  # noqa: F401
from chainkeeper.credentials import models as credentials_models  # noqa: F401
from chainkeeper.monitoring.briefing import models as briefing_models  # noqa: F401
from chainkeeper.docking import models as docking_models  # noqa: F401
from chainkeeper.docking.board import models as board_models  # noqa: F401
from chainkeeper.monitoring.indicators import models as indicator_models  # noqa: F401
from chainkeeper.monitoring.scheduling import models as scheduling_models  # noqa: F401
from chainkeeper.notifications import models as notifications_models  # noqa: F401
from chainkeeper.reference import models as reference_models  # noqa: F401
from chainkeeper.registry import models as registry_models  # noqa: F401
from chainkeeper.reporting import models as reporting_models  # noqa: F401
from chainkeeper.whitelist import models as whitelist_models  # noqa: F401
from chainkeeper.monitoring.forecast import models as forecast_models  # noqa: F401
from chainkeeper.monitoring.warnings import models as warnings_models  # noqa: F401
from chainkeeper.sme.ladder import models as ladder_models  # noqa: F401
from chainkeeper.sme.policies import models as sme_policies_models  # noqa: F401
from chainkeeper.sme.arrears import models as arrears_models  # noqa: F401
