"""The per-patient history database."""
