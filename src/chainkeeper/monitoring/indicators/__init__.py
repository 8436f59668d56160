"""Monthly regional indicators: value added of industry above designated size, PMI, output of key products.

- :mod:`.models`     indicator, indicator_value (one figure per indicator, region, industry and month),
  indicator_target (a region's target for a year)
- :mod:`.compute`    pure computations: YoY from levels, cumulative YoY, contributions, rankings, gaps
- :mod:`.parsing`    the published file shapes (statistics bureau exports, data-vendor sheets) read into observations
- :mod:`.importing`  the import: read, check, store all or nothing, audited
- :mod:`.service`    what the other lanes call: :func:`.service.series`, :func:`.service.ranking`,
  :func:`.service.latest_period`
"""
