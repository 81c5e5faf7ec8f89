"""The YAML contract: parsed with positions, declared once, converted into typed records."""
