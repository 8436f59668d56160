"""The coordination desk: enterprise cases (问题诉求), their routing, time limits and letters between regions."""
