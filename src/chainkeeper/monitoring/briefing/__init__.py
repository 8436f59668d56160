"""The monthly briefing (月度通报): a snapshot of a month in a region — desk statistics, white-list resumption and,
as they are installed, indicators and rankings, warnings, stoppage forecasts and the key groups' output — kept as
JSON, shown as a page with charts, printed as a PDF (server-side, CJK font embedded) with an XLSX annex; generated on
demand and by the clock on the 3rd of each month; every generation is kept as a new version."""
