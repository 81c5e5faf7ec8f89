"""Briefing site generator: YAML briefings in, checked Markdown for MkDocs + Material out."""
