#!/usr/bin/python3
"""hfrender's chunked renders and joins (docs/render-farm.md).

    check-chunks.py HFRENDER SOURCE_DIR OUTDIR

- Byte identity: join of K chunks (K = 1, 2, 3, 7; 120 frames, so 7 does
  not divide it), given in shuffled order, is the single-process render
  byte for byte; ffmpeg's per-packet MD5s and timestamps of both agree.
  The same for .mkv and .mov (their muxers write a random UID or the
  date, so there the packets and timestamps are compared, not the files).
- A chunk rendered again is the same bytes; plan --json agrees with plan.
- One-frame chunks, and K above the frame count refused.
- Faults: a missing, truncated, other-composition or overlapping chunk is
  refused with a message naming the problem; no output is written and an
  existing one keeps its bytes.
- A chunk killed with SIGKILL mid-render leaves no final-named file;
  rendering it again completes the join.
- verify passes the join, and names the frame changed in a tampered copy.
- GNU parallel runs the chunks as docs/render-farm.md shows; so do the
  sbatch script (as Slurm would run its tasks) and the Kubernetes
  manifests' commands (locally, with each index).
"""

from fractions import Fraction
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

FAILURES = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def run(args, timeout=120):
    return subprocess.run(args, capture_output=True, text=True,
                          timeout=timeout)


def packets(path):
    """ffmpeg's view of the file: (time in s, MD5) per packet."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:v",
                          "-c", "copy", "-f", "framemd5", "-"],
                         capture_output=True, text=True, check=True).stdout
    tb = [Fraction(line.split(":")[1].strip()) for line in out.splitlines()
          if line.startswith("#tb 0:")][0]
    rows = [line.split(",") for line in out.splitlines()
            if line and not line.startswith("#")]
    return [(int(r[2]) * tb, r[5].strip()) for r in rows]


def doc_lines(page, first, n):
    """The n lines of a page's code block that starts with `first`."""
    lines = [line.strip() for line in open(page)]
    at = [i for i, line in enumerate(lines) if line.startswith(first)]
    return lines[at[0]:at[0] + n] if at else []


def main():
    hfrender, src, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sting = os.path.join(src, "examples", "compositions", "logo-sting.xml")
    pic = ["--size", "160x90", "--fps", "30"]
    rng = random.Random(7)

    def render(args, output, comp=sting, opts=pic):
        return run([hfrender, "render", comp] + opts + args + ["-o", output])

    def path(name):
        return os.path.join(out, name)

    for ext in ("avi", "mkv", "mov"):
        full = path(f"full.{ext}")
        r = render([], full)
        check(r.returncode == 0, f"single-process render to .{ext}")
        ref = packets(full)
        # AVI counts frames; MKV has milliseconds, rounded; MOV its own.
        check(len(ref) == 120 and
              all(abs(p[0] - Fraction(i, 30)) < Fraction(1, 1000)
                  for i, p in enumerate(ref)),
              f".{ext}: 120 frames at 0, 1/30 s, ... 119/30 s")
        for k in (1, 2, 3, 7) if ext == "avi" else (3,):
            plan = run([hfrender, "plan", sting] + pic +
                       ["--chunks", str(k), "-o", path(f"k{k}-{{i}}.{ext}")])
            rows = [line.split() for line in plan.stdout.splitlines()]
            check(plan.returncode == 0 and len(rows) == k and
                  rows[0][1] == "0" and rows[-1][2] == "120" and
                  all(rows[i][2] == rows[i + 1][1] for i in range(k - 1)),
                  f"plan --chunks {k}: {k} contiguous ranges over 0..120")
            chunks = []
            for i, first, end, name in rows:
                r = render(["--chunk", f"{i}/{k}"], name)
                check(r.returncode == 0, f"K={k}: chunk {i} ({first}..{end})")
                chunks.append(name)
            rng.shuffle(chunks)
            joined = path(f"k{k}-joined.{ext}")
            r = run([hfrender, "join"] + chunks + ["-o", joined])
            check(r.returncode == 0, f"K={k} .{ext}: join in shuffled order "
                  f"{r.stderr.strip()}")
            if ext == "avi":
                check(open(joined, "rb").read() == open(full, "rb").read(),
                      f"K={k}: join is the single render byte for byte")
            check(packets(joined) == ref,
                  f"K={k} .{ext}: every frame's bytes and timestamp as in "
                  "the single render (ffmpeg framemd5)")

    again = path("again.avi")
    render(["--chunk", "1/3"], again)
    check(open(again, "rb").read() == open(path("k3-1.avi"), "rb").read(),
          "chunk 1/3 rendered again: the same bytes")
    # A name with a quote, a backslash and UTF-8 stays valid JSON.
    odd = 'dé"j\\-{i}.avi'
    plan = run([hfrender, "plan", sting] + pic + ["--chunks", "7", "--json",
                                                  "-o", odd])
    doc = json.loads(plan.stdout)
    check(doc["frames"] == 120 and doc["fps"] == "30/1" and
          [(c["first"], c["end"]) for c in doc["chunks"]] ==
          [(120 * i // 7, 120 * (i + 1) // 7) for i in range(7)] and
          doc["chunks"][3]["output"] == odd.replace("{i}", "3"),
          "plan --json: 7 chunks at floor(i * 120 / 7), names kept")

    # One-frame chunks: 4 s at 1 fps is 4 frames.
    slow = ["--size", "160x90", "--fps", "1"]
    names = []
    for i in range(4):
        names.append(path(f"one-{i}.avi"))
        r = render(["--chunk", f"{i}/4"], names[-1], opts=slow)
        check(r.returncode == 0, f"one-frame chunk {i}/4")
    r = run([hfrender, "join"] + names + ["-o", path("one.avi")])
    render([], path("one-ref.avi"), opts=slow)
    check(r.returncode == 0 and packets(path("one.avi")) ==
          packets(path("one-ref.avi")), "four one-frame chunks join")
    r = render(["--chunk", "0/5"], path("five.avi"), opts=slow)
    check(r.returncode == 2 and "at most 4 chunks" in r.stderr and
          not os.path.exists(path("five.avi")),
          "K above the frame count is refused: " + r.stderr.strip())

    # Faults. k3-*.avi are the three chunks of 120 frames (40 each).
    c = [path(f"k3-{i}.avi") for i in range(3)]
    trunc = path("truncated.avi")
    with open(c[1], "rb") as f:
        data = f.read()
    with open(trunc, "wb") as f:
        f.write(data[:len(data) // 2])
    other = path("other.xml")
    with open(sting) as f, open(other, "w") as g:
        g.write(f.read() + "<!-- another composition -->\n")
    render(["--chunk", "1/3"], path("other-1.avi"), comp=other)
    render(["--start", "30", "--end", "80"], path("overlap.avi"))
    faults = {
        "missing chunk": ([c[0], c[2]], "frames 40 to 79 are missing"),
        "missing last chunk": ([c[0], c[1]], "frames 80 to 119 are missing"),
        "truncated chunk": ([c[0], trunc, c[2]], "is truncated"),
        "chunk of another composition": ([c[0], path("other-1.avi"), c[2]],
                                         "the composition differs"),
        "overlapping chunks": ([c[0], path("overlap.avi"), c[2]],
                               "overlap: both hold frames 30 to 39"),
    }
    keep = path("keep.avi")
    for what, (args, message) in faults.items():
        with open(keep, "wb") as f:
            f.write(b"existing bytes")
        r = run([hfrender, "join"] + args + ["-o", keep])
        leftovers = [n for n in os.listdir(out) if n.startswith(".keep")]
        check(r.returncode == 1 and message in r.stderr and
              open(keep, "rb").read() == b"existing bytes" and
              not leftovers, f"{what}: refused, '{message}', output kept")

    # Kill and resume: the 1920x1080 demo is slow enough to catch.
    killed = path("killed.avi")
    p = subprocess.Popen([hfrender, "render", "--chunk", "0/2", "-o",
                          killed], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = [n for n in os.listdir(out) if n.startswith(".killed")]
        if parts and os.path.getsize(os.path.join(out, parts[0])) > 100000:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    check(bool(parts) and not os.path.exists(killed),
          "SIGKILL mid-chunk: only a .part file, no final name")
    for n in os.listdir(out):
        if n.startswith(".killed"):
            os.unlink(os.path.join(out, n))
    r1 = run([hfrender, "render", "--chunk", "0/2", "-o", killed], 300)
    r2 = run([hfrender, "render", "--chunk", "1/2", "-o",
              path("killed-1.avi")], 300)
    r = run([hfrender, "join", killed, path("killed-1.avi"), "-o",
             path("resumed.avi")], 300)
    check(r1.returncode == r2.returncode == r.returncode == 0 and
          len(packets(path("resumed.avi"))) > 0,
          "the killed chunk rendered again joins")

    # verify: the join passes; one changed byte in frame 0 is found.
    r = run([hfrender, "verify", path("k7-joined.avi"), "--against", sting,
             "--every", "10"])
    check(r.returncode == 0 and " 0 differ" in r.stdout,
          "verify passes the join: " + r.stdout.strip())
    data = bytearray(open(path("full.avi"), "rb").read())
    at = data.index(b"movi00db") + 4        # frame 0's chunk header
    data[at + 8 + int.from_bytes(data[at + 4:at + 8], "little") // 2] ^= 0x55
    with open(path("tampered.avi"), "wb") as f:
        f.write(data)
    r = run([hfrender, "verify", path("tampered.avi"), "--against", sting])
    check(r.returncode == 1 and "frame 0 differs" in r.stdout and
          "frame 1 " not in r.stdout, "verify names the tampered frame: " +
          r.stdout.strip())

    # docs/render-farm.md's lines for one machine, run as printed, with
    # hfrender on the PATH.
    par = path("docs-parallel")
    os.makedirs(os.path.join(par, "bin"))
    os.symlink(os.path.abspath(hfrender), os.path.join(par, "bin",
                                                       "hfrender"))
    shutil.copy(sting, os.path.join(par, "logo-sting.xml"))
    env = dict(os.environ, PATH=os.path.join(par, "bin") + ":" +
               os.environ["PATH"])
    lines = doc_lines(os.path.join(src, "docs", "render-farm.md"),
                      "parallel -j 3 ", 3)
    check(shutil.which("parallel") is not None and len(lines) == 3,
          "GNU parallel is installed (apt-get install parallel), and the "
          "doc has its three lines")
    for line in lines:
        r = subprocess.run(["bash", "-c", line], cwd=par, env=env,
                           capture_output=True, text=True, timeout=300)
        check(r.returncode == 0, f"render-farm.md: {line} "
              f"{r.stderr.strip()[-200:]}")
    r = run([hfrender, "render", sting, "-o", path("native.avi")], 300)
    check(r.returncode == 0 and open(path("native.avi"), "rb").read() ==
          open(os.path.join(par, "render.avi"), "rb").read(),
          "the doc's GNU parallel render is the single render byte for byte")

    farm = os.path.join(src, "tools", "farm")

    # The Slurm array script, run as Slurm would run its tasks.
    for i in range(3):
        env = dict(os.environ, SLURM_ARRAY_TASK_ID=str(i),
                   SLURM_ARRAY_TASK_COUNT="3", HFRENDER=hfrender)
        r = subprocess.run([os.path.join(farm, "hfrender.sbatch"), sting,
                            path("slurm")] + pic, env=env, text=True,
                           capture_output=True, timeout=120)
        check(r.returncode == 0, f"hfrender.sbatch as array task {i} of 3")
    r = run([hfrender, "join"] + [path(f"slurm/chunk-{i}.avi")
                                  for i in range(3)] + ["-o", path("s.avi")])
    check(r.returncode == 0 and open(path("s.avi"), "rb").read() ==
          open(path("full.avi"), "rb").read(),
          "the sbatch chunks join to the single render")

    # The Kubernetes manifests: each pod's command, run with its index,
    # /work a local directory.
    import yaml
    with open(os.path.join(farm, "k8s-chunks.yaml")) as f:
        chunks_job = yaml.safe_load(f)
    with open(os.path.join(farm, "k8s-join.yaml")) as f:
        join_job = yaml.safe_load(f)
    spec = chunks_job["spec"]
    check(chunks_job["kind"] == join_job["kind"] == "Job" and
          spec["completionMode"] == "Indexed" and
          spec["completions"] == 8,
          "k8s-chunks.yaml is an Indexed Job of 8, k8s-join.yaml a Job")
    work = path("k8s")
    os.makedirs(os.path.join(work, "chunks"))
    shutil.copy(sting, os.path.join(work, "composition.xml"))

    def pod(job, index):
        c = job["spec"]["template"]["spec"]["containers"][0]
        script = c["args"][0].replace("/work", work)
        script = script.replace("hfrender ", f"'{hfrender}' ", 1)
        env = dict(os.environ, JOB_COMPLETION_INDEX=str(index))
        return subprocess.run(c["command"] + [script], env=env, text=True,
                              capture_output=True, timeout=300)

    ok = all(pod(chunks_job, i).returncode == 0 for i in range(8))
    r = pod(join_job, 0)
    ref = run([hfrender, "render", sting, "-o", path("k8s-ref.avi")], 300)
    check(ok and r.returncode == 0 and ref.returncode == 0 and
          open(os.path.join(work, "render.avi"), "rb").read() ==
          open(path("k8s-ref.avi"), "rb").read(),
          "the manifests' commands render 8 chunks and join them to the "
          "single render " + r.stderr.strip()[-200:])

    print(f"{len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
