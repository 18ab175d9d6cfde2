"""Read PDFs in a worker process, within a time, memory and page budget per file.

pypdf is pure Python and a PDF is a program: a 7 KB file of repeated text operators takes
minutes to read, a chain of nested forms or a page tree of 100,000 references longer still.
So every PDF a command opens is read in a separate process:

- a wall-clock limit per file (`seconds`): past it the worker is killed, and the file gets
  "took longer than N s to read; is it a real letter?";
- a memory limit (`memory_mb`, RLIMIT_AS in the worker): a file that needs more is refused;
- a page limit (`pages`): checked from the page tree's own count before any page is read.

The limits come from the environment (FINAL_LETTERS_PDF_SECONDS, FINAL_LETTERS_PDF_MEMORY_MB,
FINAL_LETTERS_PDF_PAGES) or a `Budget` given by the caller; see README.md, "Limits".
One worker is started on first use (from a forkserver, so a killed worker is replaced by a
cheap fork) and reused for every file after, and the answers are the same as reading the file
in-process: the worker runs the very same `extract.extract`.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

from . import extract
from .errors import LetterError, Problem

ENV_SECONDS = "FINAL_LETTERS_PDF_SECONDS"
ENV_MEMORY = "FINAL_LETTERS_PDF_MEMORY_MB"
ENV_PAGES = "FINAL_LETTERS_PDF_PAGES"
STARTUP_SECONDS = 120  # a new Python process, on a busy machine
BUDGET_TIP = (
    "a Final Letter of a few dozen pages reads in well under a second; a file that does not is "
    "damaged or made to stall the reader: export it again from the original document as PDF "
    f"(the limits are set by {ENV_SECONDS}, {ENV_MEMORY} and {ENV_PAGES}; see README.md)"
)


@dataclass(frozen=True, slots=True)
class Budget:
    """What reading one PDF may cost."""

    seconds: float = 30.0
    memory_mb: int = 1024
    pages: int = extract.MAX_PAGES

    @classmethod
    def from_env(cls) -> Budget:
        """The defaults, overridden by the environment; a bad value is a LetterError."""
        values: dict[str, Any] = {}
        for variable, name, kind in (
            (ENV_SECONDS, "seconds", float),
            (ENV_MEMORY, "memory_mb", int),
            (ENV_PAGES, "pages", int),
        ):
            text = os.environ.get(variable)
            if not text:
                continue
            try:
                value = kind(text)
            except ValueError:
                value = 0
            if value <= 0:
                raise LetterError(variable, f"is '{text}', not a positive number", "unset it")
            values[name] = value
        return replace(cls(), **values)


# --- the worker -------------------------------------------------------------------------------


def _limit_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # not on this platform: the time limit still holds
        return
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection, memory_mb: int) -> None:
    """The worker's loop: read a request, answer it, until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_memory(memory_mb)
    conn.send(("ready", None))
    while True:
        try:
            task, data, name, pages = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if task == "extract":
                answer: tuple = ("ok", extract.extract(data, name, max_pages=pages))
            else:
                answer = ("ok", extract.count_pages(data, name, max_pages=pages))
        except LetterError as exc:
            answer = ("problem", exc.detail)
        except MemoryError:
            answer = ("memory", None)
        except RecursionError:
            answer = ("problem", _problem(name, "is nested too deeply to read"))
        except Exception as exc:  # a hostile file can make pypdf raise almost anything
            answer = ("problem", _problem(name, f"could not be read as a PDF: {exc}"))
        del data
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(("memory", None))


def _problem(name: str, problem: str) -> Problem:
    return Problem(name, problem, extract.REREAD_TIP)


# --- the parent's side ------------------------------------------------------------------------


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["finalletters.extract"])
        return context
    return multiprocessing.get_context("spawn")


class Reader:
    """A worker process that reads PDFs within a Budget; restarted after a file kills it."""

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget.from_env()
        self._process: Any = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def extract(self, data: bytes, name: str) -> extract.Extracted:
        """extract.extract(data, name), within the budget; LetterError for a bad file."""
        result: extract.Extracted = self._ask("extract", data, name)
        return result

    def count_pages(self, data: bytes, name: str) -> int:
        """The number of pages, after opening the file as a PDF (for attachments)."""
        result: int = self._ask("pages", data, name)
        return result

    def _ask(self, task: str, data: bytes, name: str) -> Any:
        extract.check_bytes(data, name)  # cheap, and spares the worker the obvious cases
        with self._lock:
            conn = self._start()
            try:
                conn.send((task, data, name, self.budget.pages))
            except (BrokenPipeError, EOFError, OSError):
                self.close()
                conn = self._start()
                conn.send((task, data, name, self.budget.pages))
            if not conn.poll(self.budget.seconds):
                self.close()
                raise LetterError(
                    name,
                    f"took longer than {self.budget.seconds:g} s to read; is it a real letter?",
                    BUDGET_TIP,
                )
            try:
                status, value = conn.recv()
            except (EOFError, OSError):  # the worker died: most likely out of memory
                status, value = "died", self._exit_code()
        if status == "ok":
            return value
        if status in ("memory", "died"):
            self.close()
            how = f" (it stopped with exit code {value})" if status == "died" else ""
            raise LetterError(
                name,
                f"needed more than {self.budget.memory_mb} MB of memory to read{how}; "
                "is it a real letter?",
                BUDGET_TIP,
            )
        problem: Problem = value
        raise LetterError(problem.file, problem.problem, problem.tip, problem.field)

    def _exit_code(self) -> int | None:
        if self._process is None:
            return None
        self._process.join(timeout=5)
        code: int | None = self._process.exitcode
        return code

    def _start(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self.close()
        context = _context()
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.budget.memory_mb), daemon=True, name="pdf-reader"
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent
        try:
            ready = parent.poll(STARTUP_SECONDS) and parent.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self._exit_code()
            self.close()
            raise LetterError(
                "the PDF reader",
                f"did not start (exit code {code}); see the messages above",
                "run the `letters` command or a script file: a worker process imports the "
                "main module, so it cannot start from code typed or piped into Python",
            )
        return parent

    def close(self) -> None:
        """Stop the worker (killed: it may be stuck in a hostile file)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=5)
        self._process, self._conn = None, None

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_shared: Reader | None = None


def reader(budget: Budget | None = None) -> Reader:
    """The process's shared Reader, for the budget given (default: from the environment)."""
    global _shared
    wanted = budget or Budget.from_env()
    if _shared is None or _shared.budget != wanted:
        if _shared is not None:
            _shared.close()
        _shared = Reader(wanted)
    return _shared


def _close_shared() -> None:
    if _shared is not None:
        _shared.close()


atexit.register(_close_shared)
