"""Promise 3: a bad config is one clear line naming file and line; exit 2; nothing runs."""

from __future__ import annotations

import pytest

from sinoread.cli.main import main
from tests.helpers import ROOT

GOOD = (ROOT / "config.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text, where, what",
    [
        ("countries: [unclosed\n", "line 1", "flow sequence"),
        ("countries:\n  China:\n    aliases: China\n", "line 3", "expected a list"),
        (GOOD + "\nfrobnicate: true\n", f"line {GOOD.count(chr(10)) + 2}", "unknown key 'frobnicate'"),
        (GOOD.replace('  - "note to readers"', '  - "note to (readers"'), "boilerplate", "does not compile"),
        (GOOD.replace("countries: {}", "countries:\n  Japan:\n    aliases: [Hanoi]"), "countries", "claimed by both"),
        ("countries: !!python/object/apply:os.system ['touch /tmp/sinoread-pwned']\n", "line 1", "python/object"),
        ("countries:\n  Norway:\n    aliases: [NO]\n", "line 3", "quote it"),
        ("countries:\n  China: {}\n  China: {}\n", "line 3", "duplicate key"),
        ("- just\n- a list\n", "config", "top level must be a mapping"),
        ("countries: {}\n\ufffe\x00binary", "line 2", "not allowed"),
    ],
)
def test_bad_config_exits_2_with_location(tmp_path, capsys, text, where, what):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    rc = main(["--config", str(path), "--index", str(tmp_path / "i"), "articles"])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("sinoread: ") and err.count("\n") == 1, err
    assert "config.yaml" in err and where in err and what in err
    assert "Traceback" not in err


def test_python_tag_runs_nothing(tmp_path, capsys):
    marker = tmp_path / "pwned"
    path = tmp_path / "config.yaml"
    path.write_text(f"countries: !!python/object/apply:os.system ['touch {marker}']\n")
    assert main(["--config", str(path), "articles"]) == 2
    assert not marker.exists()
