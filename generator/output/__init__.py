"""Docs and site on disk: generation, the manifest, writing and swapping trees, the MkDocs build, the scan."""
