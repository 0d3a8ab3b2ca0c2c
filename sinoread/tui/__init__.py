"""The Textual reader: a thin layer over the core."""
