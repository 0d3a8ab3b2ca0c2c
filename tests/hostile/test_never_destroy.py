"""Never destroy what sinoread did not create: export targets, and the config a lesson edits."""

from __future__ import annotations

import multiprocessing
import os
import stat
import subprocess

import pytest

from sinoread.config import load_config
from sinoread.workbench.teach import Lesson, TeachError, teach
from tests.helpers import ROOT, SEEDS, cli, ready


@pytest.fixture
def export(tmp_path):
    env = {"SINOREAD_CORPUS": str(SEEDS), "SINOREAD_INDEX": str(tmp_path / "i")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return cli("export", "timeline", *args, env=env)

    return run


def test_export_never_replaces_a_device_link_fifo_or_folder(tmp_path, export):
    null = os.stat("/dev/null")
    r = export("-o", "/dev/null", "--format", "markdown", "--force")  # as root this broke /dev/null once
    assert r.returncode == 2 and "/dev/null is a device; reports are written only to regular files" in r.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == null.st_rdev
    target = tmp_path / "target.md"
    target.write_text("precious")
    (tmp_path / "link.md").symlink_to(target)
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "dir.md").mkdir()
    for name, kind in (("link.md", "a symbolic link"), ("pipe.md", "a FIFO"), ("dir.md", "a folder")):
        r = export("-o", str(tmp_path / name), "--force")
        assert r.returncode == 2 and f"is {kind}" in r.stderr and "Traceback" not in r.stderr, name
    assert target.read_text() == "precious" and (tmp_path / "link.md").is_symlink()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.md").st_mode)


def test_export_replaces_an_existing_file_only_with_force_and_keeps_its_mode(tmp_path, export):
    out = tmp_path / "brief.md"
    out.write_text("yesterday's brief")
    os.chmod(out, 0o640)
    r = export("-o", str(out))
    assert r.returncode == 2 and "exists; replace it with --force" in r.stderr
    assert out.read_text() == "yesterday's brief"
    assert export("-o", str(out), "--force").returncode == 0
    assert out.read_text().startswith("#") and stat.S_IMODE(os.stat(out).st_mode) == 0o640
    new = tmp_path / "new.md"
    assert export("-o", str(new)).returncode == 0 and new.is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sinoread-")]


def test_export_names_too_long_and_unknown_extensions(tmp_path, export):
    r = export("-o", str(tmp_path / ("x" * 300 + ".md")))
    assert r.returncode == 2 and "the file name is too long" in r.stderr and "Traceback" not in r.stderr
    r = export("-o", str(tmp_path / "brief.docx"))
    assert r.returncode == 2 and "unknown extension .docx" in r.stderr
    assert not (tmp_path / "brief.docx").exists()


async def test_the_app_asks_before_replacing_an_export(app_factory, tmp_path):
    from textual.widgets import Input

    from sinoread.tui.screens.export import ExportScreen

    out = tmp_path / "brief.md"
    out.write_text("yesterday's brief")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("T")
        await ready(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await ready(pilot)
        assert "exists: Enter again replaces it" in str(app.screen.query_one("#export-error").render())
        assert out.read_text() == "yesterday's brief"
        await pilot.press("enter")
        await ready(pilot)
        assert not isinstance(app.screen, ExportScreen) and out.read_text() != "yesterday's brief"


def _teach_one(config: str, word: str) -> str:
    try:
        teach(load_config(config), Lesson("alias", word, "Vietnam"))
        return "ok"
    except TeachError as exc:
        return str(exc)


def test_two_lessons_at_once_both_land(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text((ROOT / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(config, 0o640)
    words = [f"Viet{i}" for i in range(6)]
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(_teach_one, [(str(config), w) for w in words])
    assert results == ["ok"] * len(words)
    loose, _exact = load_config(config).countries["Vietnam"]
    assert set(words) <= set(loose)  # none lost
    assert stat.S_IMODE(os.stat(config).st_mode) == 0o640


def test_a_read_only_config_is_not_overwritten(tmp_path):
    """Decided by the file's mode: root could write it, and must not."""
    config = tmp_path / "config.yaml"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    os.chmod(config, 0o444)
    with pytest.raises(TeachError, match=r"is read-only \(mode 0444\)"):
        teach(load_config(config), Lesson("alias", "Nam Viet", "Vietnam"))
    assert config.read_text(encoding="utf-8") == text and stat.S_IMODE(os.stat(config).st_mode) == 0o444
