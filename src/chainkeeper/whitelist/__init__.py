"""Key-enterprise white lists: lists and batches, applications, entries with dated status, the supplier pool,
mutual recognition between regions, and recommendations from the supply network."""
