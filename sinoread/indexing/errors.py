"""Why an index cannot be used: each error's message says what to do."""


class IndexUnusable(Exception):
    """The index cannot be used; the message says what to do."""


class IndexBusy(IndexUnusable):
    pass


class IndexUntrusted(IndexUnusable):
    """The index folder could have been written by someone else: it is not opened."""


class CorpusMissing(IndexUnusable):
    """The corpus folder is gone (renamed, deleted, unmounted): the index is kept as it is."""
