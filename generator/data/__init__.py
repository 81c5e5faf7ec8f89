"""Files for machines: records.json and its JSON Schema, the format reference, timeline, feeds, JSON-LD."""
