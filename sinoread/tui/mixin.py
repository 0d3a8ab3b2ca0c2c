"""The base of the app's mixins (`live`, `library_access`, `actions`): the Textual App to a
type checker, so their `self.notify` and `self.post_message` are checked; nothing at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    AppMixin = App[None]
else:
    AppMixin = object
