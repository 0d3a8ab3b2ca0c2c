"""Load and validate `config.yaml`; every error names the file, line and key."""

from sinoread.config.loader import load_config
from sinoread.config.located import MAX_NODES, SAFE_LOADER, ConfigError
from sinoread.config.model import (
    ALIAS_TAGS,
    AMBIGUITY_CLASSES,
    Config,
    Country,
    CountryAlias,
    Cue,
    Organization,
    Person,
)

__all__ = [
    "ALIAS_TAGS", "AMBIGUITY_CLASSES", "MAX_NODES", "SAFE_LOADER", "Config", "ConfigError", "Country",
    "CountryAlias", "Cue", "Organization", "Person", "load_config",
]
