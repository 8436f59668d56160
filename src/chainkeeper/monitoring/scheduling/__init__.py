"""Daily scheduling (日调度) of key enterprises: the ``daily_scheduling`` report type, the key groups that report
(with their pre-shock baselines), the picture (resumption, 达产率, staff return, output index by region, chain and
group, with the enterprises behind every figure) and the problem → desk case step."""
