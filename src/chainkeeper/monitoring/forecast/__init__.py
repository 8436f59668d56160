"""Stoppage forecasts: the engine seeded with the daily reports; lines per key enterprise, red/yellow, backtest."""
