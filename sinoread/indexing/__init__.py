"""Turning a folder into an index: documents, workers, generations, the build."""
