"""The demo: a seeded synthetic economy that tells the platform's story (see the brief)."""
