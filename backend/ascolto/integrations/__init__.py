"""Integrations with static-site generators: the `integrate` command, baked numbers and JSON-LD."""
