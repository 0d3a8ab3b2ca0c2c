"""Corpus-wide views: timeline, actors, stories, sources, notes, reports, teaching."""
