"""Turning a folder into an index: documents, workers, generations, the build."""

from sinoread.indexing.build import Index
from sinoread.indexing.errors import CorpusMissing, IndexBusy, IndexUntrusted, IndexUnusable

__all__ = ["CorpusMissing", "Index", "IndexBusy", "IndexUntrusted", "IndexUnusable"]
