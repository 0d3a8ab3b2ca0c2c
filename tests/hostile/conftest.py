"""Hostile tests share the Pilot fixture of the app tests."""

from tests.tui.conftest import app_factory  # noqa: F401 (a fixture, re-exported for this folder)
