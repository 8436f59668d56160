"""The home page of each role: the work waiting for the caller (:mod:`.work`) or the national picture
(:mod:`.picture`), each figure counted exactly like the list its link opens."""
