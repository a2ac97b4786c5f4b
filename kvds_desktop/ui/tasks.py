"""Long work off the GUI thread, with progress and cancel.

A job is a plain function ``job(progress, cancelled) -> result`` from the core;
:class:`TaskRunner` runs it in a QThread, reports progress through signals (so
the window never freezes) and hands back the result or the exception.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

Job = Callable[[Callable[[float, str], None], Callable[[], bool]], Any]


class Task(QObject):
    """One job on its own thread. Connect to the signals before calling :meth:`start`."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("kvds-task")
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)

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

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the thread has ended (used at shutdown and in tests)."""
        return self._thread.wait(msecs)

    @Slot()
    def _run(self) -> None:
        try:
            result = self._job(self.progress.emit, self._cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.done.emit()
            self._thread.quit()


class TaskRunner(QObject):
    """Keeps running tasks alive until their threads have ended."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: list[Task] = []

    def submit(self, job: Job) -> Task:
        """Create a task for ``job``; the caller connects its signals, then calls start()."""
        task = Task(job)
        self._tasks.append(task)
        task._thread.finished.connect(lambda: self._forget(task))
        return task

    def _forget(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)

    def busy(self) -> bool:
        """Whether any task is still running."""
        return bool(self._tasks)

    def shutdown(self) -> None:
        """Cancel every task and wait for its thread."""
        for task in list(self._tasks):
            task.cancel()
            task.wait()
