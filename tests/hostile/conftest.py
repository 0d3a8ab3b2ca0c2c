"""Hostile fixtures: a file that cannot be opened, simulated."""

from __future__ import annotations

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
