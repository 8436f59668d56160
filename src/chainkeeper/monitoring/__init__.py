"""Monitoring and early warning: the industrial economy's pulse.

Sub-packages, one feature each (models, schemas, service, api.py, pages.py):

- ``scheduling``  daily scheduling (日调度) of key enterprises: the daily report type, the reporting groups, the picture
- ``forecast``    stoppage forecasts from reported capacity and inventory, seeded into the engine; the backtest
- ``indicators``  monthly regional indicators (value added, PMI, key products): import and computations
- ``warnings``    early-warning rules, red / yellow / blue warnings, acknowledgement
- ``briefing``    the monthly briefing (通报): page, PDF, XLSX annex, archive

Daily reports travel through :mod:`chainkeeper.reporting`, the reporting framework the docking feature reuses.
"""
