"""Exports to other systems (FHIR)."""
