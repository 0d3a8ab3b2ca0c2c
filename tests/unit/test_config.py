"""Config loading: the bundled file is valid, and every mistake names its line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sinoread.config import ConfigError, load_config
from sinoread.resources import bundled_config_path


def test_bundled_config_loads(cfg):
    assert {"China", "Vietnam", "Russia", "Japan", "United States", "Philippines", "India"} <= set(cfg.countries)
    assert cfg.resolve_country("Hanoi") == "Vietnam"
    assert cfg.resolve_country("PRC") == "China"
    assert cfg.resolve_country("u.s.") == "United States"
    assert cfg.resolve_country("Filipino") == "Philippines"
    assert cfg.resolve_country("Atlantis") is None


ASEAN_STATES = ["Brunei", "Cambodia", "Indonesia", "Laos", "Malaysia", "Myanmar", "Philippines",
                "Singapore", "Thailand", "Vietnam"]


def test_asia_pacific_and_major_powers_present(cfg):
    for c in ASEAN_STATES + ["China", "Japan", "South Korea", "North Korea", "Taiwan", "Australia",
                             "New Zealand", "India", "Mongolia", "Russia", "United States",
                             "United Kingdom", "France", "Germany"]:
        assert c in cfg.countries, c


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.yaml"
    p.write_text(text, encoding="utf-8")
    return p


BASE = "countries:\n  China:\n    aliases: [Chinese]\n"


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        (BASE + "roles: [President\n", 4, "flow sequence"),  # where the unclosed [ opened
        (BASE + "bogus: 1\n", 4, "unknown key 'bogus'"),
        (BASE + "roles: 12\n", 4, "expected a list"),
        (BASE + "boilerplate:\n  - '(unclosed'\n", 5, "does not compile"),
        (BASE + "  Taiwan:\n    aliases: [Chinese]\n", 4, "claimed by both"),
        (BASE + "roles: !!python/object:os.system [echo hi]\n", 4, "python/object"),
        (BASE + "not_names: [NO]\n", 4, "quote it"),
        (BASE + "roles: [A]\nroles: [B]\n", 5, "duplicate key"),
        (BASE + "people:\n  - name: X\n    country: Narnia\n", 6, "unknown country"),
        (BASE + "ship_prefixes:\n  HMS: Narnia\n", 5, "unknown country"),
        (BASE + "ship_prefixes:\n  'H(MS': China\n", 5, "expected 2 to 6 letters"),
    ],
)
def test_bad_config_names_line(tmp_path, text, line, fragment):
    with pytest.raises(ConfigError) as err:
        load_config(_write(tmp_path, text))
    message = str(err.value)
    assert f"line {line}" in message, message
    assert fragment in message


def test_python_tag_never_executes(tmp_path):
    marker = tmp_path / "pwned"
    text = BASE + f"roles: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(ConfigError):
        load_config(_write(tmp_path, text))
    assert not marker.exists()


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_bundled_path_exists():
    assert bundled_config_path().is_file()


def test_validated_config_is_remembered_by_content_only(tmp_path):
    """A config that passed validation is not re-validated pattern by pattern; changed bytes are."""
    path = tmp_path / "c.yaml"
    good = bundled_config_path().read_text(encoding="utf-8")
    path.write_text(good, encoding="utf-8")
    first = load_config(path)
    memo_dir = Path(os.environ["XDG_CACHE_HOME"]) / "sinoread" / "validated-configs"
    assert [p.name.split("-")[0] for p in memo_dir.iterdir()] == [first.digest]
    again = load_config(path)
    assert again.tone_cooperation.pattern == first.tone_cooperation.pattern
    assert [c.pattern.pattern for c in again.kinds] == [c.pattern.pattern for c in first.kinds]
    # The same file with one broken role pattern: new bytes, so it is checked and refused.
    path.write_text(good.replace("roles:\n", "roles:\n  - '(unclosed'\n", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"roles\[0\].*does not compile"):
        load_config(path)
    assert len(list(memo_dir.iterdir())) == 1


def test_country_slot_must_stand_at_the_top_level_of_an_organisation_pattern(tmp_path):
    """Organisation patterns are matched outwards from a country mention, so {country} must
    split them into two patterns that compile on their own."""
    text = bundled_config_path().read_text(encoding="utf-8").replace(
        "organization_patterns:\n", 'organization_patterns:\n  - "(?:{country}|Crown) Navy"\n', 1)
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"organization_patterns\[0\].*at the top level"):
        load_config(path)


def test_an_include_is_a_bare_file_name(tmp_path):
    text = bundled_config_path().read_text(encoding="utf-8").replace(
        "include: [countries.yaml]", "include: [../../etc/passwd.yaml]")
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"include\[0\].*not a plain \.yaml file name"):
        load_config(path)
    copied = tmp_path / "copy" / "config.yaml"  # a copied config still finds the bundled table
    copied.parent.mkdir()
    copied.write_text(bundled_config_path().read_text(encoding="utf-8"), encoding="utf-8")
    assert len(load_config(copied).states) >= 200
