"""Mailers: the port (base.py) and its adapters (outbox, smtp, ses)."""
