"""The one-page physiotherapist report: content model, page (PDF/PNG) and self-contained HTML."""
