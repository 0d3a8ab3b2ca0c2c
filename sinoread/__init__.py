"""sinoread: a terminal reader for security and military cooperation between states."""

__version__ = "0.1.0"
