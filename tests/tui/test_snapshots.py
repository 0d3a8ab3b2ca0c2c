"""Snapshots of the main views at 80x24 and 120x40 (update with --snapshot-update)."""

from __future__ import annotations

import pytest

from tests.helpers import ready

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_main_screen(snap_compare, app_factory, size):
    assert snap_compare(app_factory(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_compare_view(snap_compare, app_factory, size):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("space", "down", "space", "c")
        await ready(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_search_results(snap_compare, app_factory, size):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("slash", *"cooperation", "enter")
        await ready(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_pair_matrix(snap_compare, app_factory, size):
    async def run_before(pilot):
        await ready(pilot)
        await pilot.press("m")
        await ready(pilot)

    assert snap_compare(app_factory(), terminal_size=size, run_before=run_before)
