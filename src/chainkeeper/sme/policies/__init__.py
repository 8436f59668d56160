"""Policy matching (惠企政策 / 助查): a library of support policies with structured conditions, matching an
enterprise's profile to the policies it qualifies for (with reasons) and the near misses (with what is missing),
Chinese full-text search, XLSX import and subscriptions that notify when a new policy matches.

Layers: :mod:`rules` (pure: the condition vocabulary and the reference evaluator), :mod:`engine` (numpy: the same
rules over many enterprises at once), :mod:`service` (the database: policies, profiles, matching, subscriptions),
:mod:`importing` (XLSX), and the edges :mod:`api` and :mod:`pages`.
"""
