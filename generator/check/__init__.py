"""The content folder read whole: records, hand-written pages, source texts, quotes placed, rules across files."""
