"""Long work off the GUI thread, with progress and cancel.

A job is a plain function ``job(progress, cancelled) -> result`` from the core.
A :class:`Task` lives in the GUI thread; its worker runs the job on a QThread and
reports through queued signals, so everything connected to a Task's signals runs
in the GUI thread and the window never freezes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Job = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class _Worker(QObject):
    """Runs the job on the worker thread; talks only through its signals."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job, cancel: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progress.emit, self._cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class Task(QObject):
    """One job. Connect to the signals, then call :meth:`start`."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("kvds-task")
        self._worker = _Worker(job, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.succeeded.connect(self._on_succeeded)
        self._worker.failed.connect(self._on_failed)
        self._thread.finished.connect(self.done)

    def start(self) -> None:
        """Start the job on its thread."""
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next check."""
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        """Whether cancel was asked for."""
        return self._cancel.is_set()

    def is_running(self) -> bool:
        """Whether the thread has not ended yet."""
        return self._thread.isRunning()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the thread has ended (used at shutdown)."""
        return self._thread.wait(msecs)

    @Slot(float, str)
    def _on_progress(self, fraction: float, stage: str) -> None:
        self.progress.emit(fraction, stage)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self.succeeded.emit(result)
        self._thread.quit()

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self.failed.emit(exc)
        self._thread.quit()


class TaskRunner(QObject):
    """Keeps tasks alive until their threads have ended."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[Task] = []

    def submit(self, job: Job) -> Task:
        """Create a task for ``job``; the caller connects its signals, then calls start()."""
        task = Task(job, self)
        self._tasks.append(task)
        task.done.connect(lambda: self._forget(task))
        return task

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    def busy(self) -> bool:
        """Whether any task is still running."""
        return bool(self._tasks)

    def shutdown(self) -> None:
        """Cancel every task and wait for its thread to end."""
        for task in list(self._tasks):
            task.cancel()
            task.wait()
            task._thread.quit()
            task.wait()
