"""Laying out PDF documents in processes of their own, a few at a time (issue 15: the committee pack's
parts, about a third of a CPU second a visit report, nearly all of it WeasyPrint's layout, took one
core while the other idled).

`LayoutProcesses` starts `processes` helpers (`python -m qa_portal.pdf_processes`), each laying out one
HTML document at a time and writing its PDF to the file it is told; `submit` returns a Future. They are
started with `subprocess`, not `multiprocessing`, because a Celery worker's pool processes are
daemonic and may not have children of multiprocessing's (or billiard's) own; a subprocess is allowed
anywhere. A helper imports WeasyPrint but not Django (about 55 MB instead of 140 MB): the HTML is
rendered by the process that asks, and the helper is given the static files Django's finders would
serve (`static_files`), which are all its fetcher may read, as qa_portal.pdf requires.

Each helper reads one request a line on stdin and answers one line on stdout (JSON); its stderr is the
parent's, so WeasyPrint's warnings reach the worker's log. When the parent closes stdin, or dies, the
helper exits after the document it is laying out. `InlineLayout` does the same in this process, for a
document too small to be worth starting processes for.
"""

import contextlib
import ctypes
import gc
import json
import os
import queue
import subprocess
import sys
import threading
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

PROCESSES = 2  # the machine the README deploys to has 2 cores
STOP_WAIT = 10  # seconds a helper is given to exit once told to, before it is killed


class LayoutFailed(RuntimeError):
    """A helper could not lay a document out (its error is the message), or died."""


def static_files() -> dict[str, str]:
    """Every static file Django's finders serve, by the name a document asks for, and its path: the
    first finder's where two hold one name, as `finders.find` answers."""
    from django.contrib.staticfiles import finders

    files: dict[str, str] = {}
    for finder in finders.get_finders():
        for name, storage in finder.list([]):
            prefix = getattr(storage, "prefix", None)
            key = "/".join(filter(None, [prefix, name.replace(os.sep, "/")]))
            files.setdefault(key, storage.path(name))
    return files


def _write_html(html: str, pdf_path: Path) -> Path:
    html_path = pdf_path.with_suffix(".html")
    html_path.write_text(html, encoding="utf-8")
    return html_path


class InlineLayout:
    """Lays documents out in this process, as `submit` is called; the same interface as LayoutProcesses."""

    def __enter__(self) -> "InlineLayout":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def submit(self, html: str, pdf_path: Path) -> "Future[Path]":
        from qa_portal.pdf_layout import write_pdf  # WeasyPrint, on the first PDF only (qa_portal.pdf)

        done: Future[Path] = Future()
        try:
            pdf_path.write_bytes(write_pdf(html))
            done.set_result(pdf_path)
        except Exception as exc:
            done.set_exception(exc)
        return done


class LayoutProcesses:
    """`processes` helper processes laying out the documents submitted, each as soon as one is free.

    Use as a context manager: the helpers start on entering and are stopped on leaving (their work
    unfinished if an error left the block). `submit(html, pdf_path)` writes the HTML beside the PDF's
    path, and returns a Future of `pdf_path`, laid out; it waits while `processes` documents are
    waiting for a helper, so the documents' HTML is never all in hand at once."""

    def __init__(self, processes: int = PROCESSES):
        self.processes = processes
        self._helpers: list[subprocess.Popen] = []
        self._free: queue.Queue[subprocess.Popen] = queue.Queue()
        self._room = threading.BoundedSemaphore(processes * 2)
        self._executor: ThreadPoolExecutor | None = None

    def __enter__(self) -> "LayoutProcesses":
        from django.conf import settings

        from qa_portal.pdf import static_base_url

        hello = json.dumps({"base": static_base_url(), "files": static_files()}) + "\n"
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])),
        }
        try:
            for _ in range(self.processes):
                helper = subprocess.Popen(
                    [sys.executable, "-m", "qa_portal.pdf_processes"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    cwd=settings.BASE_DIR,
                    env=environment,
                    text=True,
                    encoding="utf-8",
                )
                self._helpers.append(helper)
                helper.stdin.write(hello)
                helper.stdin.flush()
                self._free.put(helper)
        except BaseException:
            self._stop()
            raise
        self._executor = ThreadPoolExecutor(max_workers=self.processes, thread_name_prefix="pdf-layout")
        return self

    def __exit__(self, *exc) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=exc[0] is None, cancel_futures=True)
        self._stop()

    def _stop(self) -> None:
        for helper in self._helpers:
            with contextlib.suppress(OSError):
                helper.stdin.close()
        for helper in self._helpers:
            try:
                helper.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                helper.kill()
                helper.wait()
            helper.stdout.close()

    def submit(self, html: str, pdf_path: Path) -> "Future[Path]":
        self._room.acquire()
        try:
            html_path = _write_html(html, pdf_path)
            done = self._executor.submit(self._lay_out, html_path, pdf_path)
        except BaseException:
            self._room.release()
            raise
        done.add_done_callback(lambda _: self._room.release())
        return done

    def _lay_out(self, html_path: Path, pdf_path: Path) -> Path:
        helper = self._free.get()
        try:
            helper.stdin.write(json.dumps({"html": str(html_path), "pdf": str(pdf_path)}) + "\n")
            helper.stdin.flush()
            answer = helper.stdout.readline()
        except OSError as exc:
            raise LayoutFailed(f"The PDF layout process stopped ({exc})") from exc
        finally:
            self._free.put(helper)
        if not answer:
            raise LayoutFailed(f"The PDF layout process stopped (exit status {helper.wait()})")
        error = json.loads(answer).get("error")
        if error:
            raise LayoutFailed(error)
        html_path.unlink(missing_ok=True)
        return pdf_path


def _serve() -> None:
    """A helper's loop (see the module): the first line gives the static base URL and files; each line
    after names an HTML file to lay out and the PDF file to write."""
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print cannot garble the answers
    hello = json.loads(sys.stdin.readline() or "{}")
    files = hello.get("files", {})

    from qa_portal.pdf_layout import StaticFilesFetcher, write_pdf

    fetcher = StaticFilesFetcher(find=files.get, base=hello["base"])
    # The collector (issue 15): WeasyPrint's modules are set aside, as they live as long as the helper,
    # and it is off while a document is laid out, collected once after (_give_back_memory). A layout
    # makes next to no garbage that only the collector frees (a part of ten visit reports, 3 MB), but
    # its passes walked every box it keeps: 0.6 s of a part's 5 s, 0.2 s this way.
    gc.collect()
    gc.freeze()
    for line in sys.stdin:
        request = json.loads(line)
        gc.disable()
        try:
            html = Path(request["html"]).read_text(encoding="utf-8")
            Path(request["pdf"]).write_bytes(write_pdf(html, fetcher=fetcher))
            answer = {"ok": True}
        except Exception as exc:
            traceback.print_exc()
            answer = {"error": f"{exc.__class__.__name__}: {exc}"}
        finally:
            gc.enable()
        answers.write(json.dumps(answer) + "\n")
        answers.flush()
        _give_back_memory()


def _give_back_memory() -> None:
    """Hand the memory a layout freed back to the system (glibc keeps it for the process otherwise),
    so a helper that laid out a long part does not hold that much while it lays out short ones."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


if __name__ == "__main__":
    _serve()
