"""Early warning (预警): rules an authority sets per indicator and region, red / yellow / blue warnings raised from
the monthly indicators and the daily reports' inventory, each with the chart that explains it, acknowledged by a
named person and announced through the outbox.

- :mod:`.rules`     pure rule evaluation on plain ``(period, value)`` series (thresholds, robust z, STL residuals,
  inventory lights, price moves)
- :mod:`.models`    ``warning_rule``, ``early_warning`` and its links (the engine's own simulation warnings live in
  :mod:`chainkeeper.analysis.warnings`: unrelated)
- :mod:`.service`   evaluate, raise (deduplicated, notified, audited), list, acknowledge, edit rules
"""
