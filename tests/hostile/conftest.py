"""Hostile tests share the Pilot fixture of the app tests."""

from tests.tui.conftest import app_factory  # noqa: F401 (a fixture, re-exported for this folder)

import os

import pytest


@pytest.fixture
def refuse_open(monkeypatch):
    """`refuse_open("secret.txt")`: opening a file of that name fails as a mode-000 file does
    for a normal user (root reads those, so the refusal is simulated)."""

    def refuse(name: str) -> None:
        real = os.open

        def guarded(path, *args, **kwargs):
            if str(path).endswith(name):
                raise PermissionError(13, "Permission denied", str(path))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", guarded)

    return refuse
