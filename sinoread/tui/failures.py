"""No silent worker: a worker that raises is reported in the reader and written to the log.

Textual posts `Worker.StateChanged` to the node that started the worker and does not bubble
it, so the app and every screen that starts workers mix this in."""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState

WHAT = {
    "index": "Indexing", "workbench": "Reading every article's analysis", "watch": "Watching the corpus folder",
    "search": "Search", "pairs": "Pair search", "export": "Export", "teach": "Teaching", "adopt": "Opening the index",
    "raw": "Reading the original file",
}
"""What a worker group does, in words for the message."""


class ReportsWorkerFailures:
    """Reports a worker's unexpected exception through `SinoreadApp.report_failure`."""

    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.app.report_failure(WHAT.get(worker.group, worker.name or "A background task"), worker.error,
                                    worker.group)
