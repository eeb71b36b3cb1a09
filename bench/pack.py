"""Measure the committee pack alone: make the pack of about N visits from a bench database, in this
process, and print its seconds and peak memory (issue 15: 100 visits within 30 s and 400 MB).

    python -m bench.pack [--visits 100] [--database NAME] [--out PATH] [--steps]

The period ends with the last full financial year, as `bench.run`'s does (bench/plan.py), and starts
on the date of the Nth visit before its end, so it holds N visits or a few more (or every visit
before its end, if there are fewer: a tenth of the regional size has 1,000 visits in six years). The
database must be one of the bench's (bench/database.py); it is only read. Prints one JSON line:
the visits, pages and bytes of the PDF, the seconds of the making (Django's start-up not counted) and
the CPU seconds it took (which a busy machine changes less), this process's and its layout
processes' included (qa_portal.pdf_processes), the peak resident memory of this process
(`resource.getrusage`, start-up included) and of this process and its children together (their
resident memory summed, read every 50 ms: shared pages counted in each, so an upper bound), and the
machine's load averages before and after, since the machine is shared and the seconds are only as good
as those.
"""

import argparse
import json
import os
import resource
import sys
import threading
import time
from datetime import date
from io import BytesIO

from bench import config, database


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def _resident_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(child) for child in children.read().split()]
    except OSError:
        pass
    return found


class PeakMemory(threading.Thread):
    """The largest sum seen of this process's and its descendants' resident memory, in MB."""

    def __init__(self, every: float = 0.05):
        super().__init__(daemon=True)
        self.every, self.peak_kb, self.stopped = every, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            pids, total = [os.getpid()], 0
            while pids:
                pid = pids.pop()
                total += _resident_kb(pid)
                pids += _children(pid)
            self.peak_kb = max(self.peak_kb, total)

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        return self.peak_kb / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits", type=int, default=100)
    parser.add_argument("--database", default=config.database_name("small"))
    parser.add_argument("--out", default=str(config.VAR / "committee-pack.pdf"))
    parser.add_argument("--steps", action="store_true", help="print each step's time and memory to stderr")
    parser.add_argument(
        "--processes",
        type=int,
        default=None,
        help="layout processes (0: in this one); the pack's choice unless given",
    )
    options = parser.parse_args(argv)
    try:
        database.check(options.database)
    except database.NotABenchDatabase as refused:
        print(refused, file=sys.stderr)
        return 2
    config.setup_django(options.database)

    from pypdf import PdfReader

    from qa_portal.periods import FinancialYear
    from qa_portal.reporting.committee.figures import default_title
    from qa_portal.reporting.committee.pack import PackSource, build_pack
    from visits.models import Visit

    year = FinancialYear.last_full()
    dates = list(
        Visit.objects.held_between(date(2000, 1, 1), year.end)
        .order_by("-visit_date")
        .values_list("visit_date", flat=True)[: options.visits]
    )
    start = dates[-1] if dates else year.start
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_SELF)
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    peak = PeakMemory()
    peak.start()

    def step(percent, message):
        print(
            f"{time.monotonic() - started:7.1f} s  {resident_mb():6.0f} MB now, "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB peak  {percent:3d}% {message}",
            file=sys.stderr,
            flush=True,
        )

    source = PackSource(title=default_title(start, year.end), period_start=start, period_end=year.end)
    pdf, figures = build_pack(source, progress=step if options.steps else None, processes=options.processes)
    seconds = time.monotonic() - started
    peak_with_children_mb = peak.stop()
    after = resource.getrusage(resource.RUSAGE_SELF)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    children_cpu = (children_after.ru_utime + children_after.ru_stime) - (
        children_before.ru_utime + children_before.ru_stime
    )
    peak_mb = after.ru_maxrss / 1024
    config.VAR.mkdir(parents=True, exist_ok=True)
    with open(options.out, "wb") as out:
        out.write(pdf)
    result = {
        "period": [start.isoformat(), year.end.isoformat()],
        "visits": figures.visits,
        "pages": len(PdfReader(BytesIO(pdf)).pages),
        "processes": options.processes,
        "bytes": len(pdf),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu_seconds + children_cpu, 1),
        "cpu_seconds_children": round(children_cpu, 1),
        "peak_mb": round(peak_mb),
        "peak_mb_with_children": round(peak_with_children_mb),
        "largest_child_peak_mb": round(children_after.ru_maxrss / 1024),
        "load_before": [round(load, 1) for load in load_before],
        "load_after": [round(load, 1) for load in os.getloadavg()],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
