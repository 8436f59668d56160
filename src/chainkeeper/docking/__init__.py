"""Supply–demand docking of critical goods (issue 13): the catalogue of critical goods, producers' daily reports
(through :mod:`chainkeeper.reporting`), requisitions, needs posts and the optimal daily allocation."""
