#!/usr/bin/python3
"""Our programs end on an ERROR that comes before their main loop runs.

    check-early-error.py RUNS HFRENDER DRAW_SIGNAL OUTDIR

gst-launch-1.0 can miss such an ERROR and hang (docs/hfdrawsrc.md, "Known
issues"). hfrender render, render.py, draw-signal and draw-signal.py must not:
each runs RUNS times on one CPU and RUNS times on every CPU the process
may use, with an error raised by the streaming thread on the first buffer
(a write refused by RLIMIT_FSIZE=0, or a missing directory), within
milliseconds of the state change. Every run must exit with status 1
within TIMEOUT_S; a run still going then is a hang.
"""

import concurrent.futures
import os
import resource
import signal
import subprocess
import sys

TIMEOUT_S = 60


def main():
    runs = int(sys.argv[1])
    hfrender, draw_signal, out = sys.argv[2:5]
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    py = "/usr/bin/python3"
    programs = {
        "hfrender render": ([hfrender, "render", "-o", f"{out}/early.avi"],
                            True),
        "render.py": ([py, f"{here}/render.py", "-o", f"{out}/early-py.avi"],
                      True),
        "draw-signal": ([draw_signal, "-n", "30", "-o",
                         f"{out}/no-such-dir/frame-%03d.jpg"], False),
        "draw-signal.py": ([py, f"{here}/draw-signal.py", "-n", "30", "-o",
                            f"{out}/early-draw.avi"], True),
    }
    all_cpus = os.sched_getaffinity(0)
    cpu_sets = {"one CPU": {min(all_cpus)}, f"{len(all_cpus)} CPUs": all_cpus}

    def run(cmd, no_writes, cpus):
        def setup():
            os.sched_setaffinity(0, cpus)
            if no_writes:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True,
                             preexec_fn=setup, start_new_session=True)
        try:
            err = p.communicate(timeout=TIMEOUT_S)[1]
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            return "hang", ""
        return p.returncode, err

    failures = 0
    with concurrent.futures.ThreadPoolExecutor(len(all_cpus)) as pool:
        for name, (cmd, no_writes) in programs.items():
            for label, cpus in cpu_sets.items():
                results = list(pool.map(lambda _: run(cmd, no_writes, cpus),
                                        range(runs)))
                hangs = sum(1 for rc, _ in results if rc == "hang")
                wrong = [(rc, err) for rc, err in results
                         if rc not in ("hang", 1)]
                ok = hangs == 0 and not wrong
                failures += not ok
                print(f"{'ok' if ok else 'FAIL'}: {name}, {label}: {runs} "
                      f"runs, {hangs} hangs, {len(wrong)} other exit status")
                for rc, err in wrong[:1]:
                    print(f"  exit {rc}:\n{err}")
    print(f"{len(programs) * len(cpu_sets) - failures} passed, "
          f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
