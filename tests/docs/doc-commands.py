#!/usr/bin/python3
"""Run the example commands of the README and docs/*.md, as printed, and
the command each example composition gives in its header comment.

    doc-commands.py SOURCE_ROOT BUILD_ROOT WORK_DIR

Every shell line of a code block that starts with one of RUNNABLE (joined
with its backslash continuations) runs with bash, in the page's own
directory under WORK_DIR, in page order, with a time limit. `examples` and
`build` there point at the source's examples and the build directory, and
`hello.xml` holds the tutorial's composition (its first ```xml block), so
the commands run exactly as a reader in the source tree types them. Each
must exit 0 (or the status EXIT_STATUS gives it). Comment lines right
after a command are its printed output: each must be a line of what it
prints. Set-up lines (SET_UP) are listed, not run; other lines (a directory
tree, a formula) are not commands. An example composition's first
comment says "Render it...:" and then the command (its line breaks are
spaces); every example must have one.
Exits non-zero naming the page, line and command of every failure.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

RUNNABLE = ("gst-launch-1.0", "gst-inspect-1.0", "ffprobe", "mkdir",
            "build/tools/hfrender/hfrender", "examples/draw-signal.py")
# Set-up commands, listed as not run: they install, rebuild or take long.
SET_UP = ("export", "meson", "sudo", "./build.sh", "build/bench/hfbench",
          "tests/ci/sanitize-asan.sh", "tests/ci/sanitize-tsan.sh",
          "tests/ci/leaks.sh", "tests/ci/fuzz.sh", ".ci/run")
# Commands the docs show failing, with the exit status they say it has.
EXIT_STATUS = {
    "build/tools/hfrender/hfrender render --start 500 -o late.avi hello.xml":
    2,
}
TIMEOUT_S = 240


def code_blocks(text):
    """(line number, lines) of each fenced or indented code block."""
    lines = text.split("\n")
    blocks = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^(\s*)```(\w*)", line)
        if fence:
            start = i + 1
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                i += 1
            if fence.group(2) in ("", "sh", "bash", "shell"):
                blocks.append((start + 1, lines[start:i]))
            i += 1
            continue
        # An indented block: lines indented 4 or more (6 in a list item),
        # after a blank line.
        if line.startswith("    ") and line.strip() and (
                i == 0 or not lines[i - 1].strip()):
            start = i
            while i < len(lines) and (lines[i].startswith("    ")
                                      or not lines[i].strip()):
                i += 1
            block = lines[start:i]
            while block and not block[-1].strip():
                block.pop()
            indent = min(len(b) - len(b.lstrip()) for b in block if b.strip())
            blocks.append((start + 1, [b[indent:] for b in block]))
            continue
        i += 1
    return blocks


def commands(text):
    """(line number, command, expected output lines, other lines)."""
    found = []
    others = []
    for first, block in code_blocks(text):
        i = 0
        while i < len(block):
            line = block[i].strip()
            lineno = first + i
            if not line or line.startswith("#"):
                i += 1
                continue
            cmd = line
            while cmd.endswith("\\") and i + 1 < len(block):
                i += 1
                cmd = cmd[:-1].rstrip() + " " + block[i].strip()
            i += 1
            expected = []
            while i < len(block) and block[i].strip().startswith("#"):
                expected.append(block[i].strip()[1:].strip())
                i += 1
            if cmd.split()[0] in RUNNABLE:
                found.append((lineno, cmd, expected))
            else:
                others.append((lineno, cmd))
    # Only blocks of commands: not trees, formulas or program output.
    return found, [o for o in others if o[1].split()[0] in SET_UP]


def example_command(text):
    """(line number, command) from an example's header comment, or None."""
    m = re.match(r"\s*<!--(.*?)-->", text, re.S)
    r = m and re.search(r"Render it[^:]*:\s*(.*)", m.group(1), re.S)
    if not r:
        return None
    return (text[:m.start(1) + r.start(1)].count("\n") + 1,
            " ".join(r.group(1).split()))


def main():
    src, build, work = sys.argv[1:4]
    pages = [os.path.join(src, "README.md")] + sorted(
        os.path.join(src, "docs", p) for p in os.listdir(
            os.path.join(src, "docs")) if p.endswith(".md"))
    tutorial = open(os.path.join(src, "docs", "tutorial.md")).read()
    hello = re.search(r"```xml\n(.*?)```", tutorial, re.S).group(1)

    shutil.rmtree(work, ignore_errors=True)  # no file of an earlier run
    failures = []
    ran = 0
    used_status = set()
    runs = []
    for page in pages:
        name = os.path.relpath(page, src)
        found, others = commands(open(page).read())
        for lineno, cmd in others:
            print(f"{name}:{lineno}: not run: {cmd}")
        runs.append((name, found))
    examples = os.path.join("examples", "compositions")
    for xml in sorted(os.listdir(os.path.join(src, examples))):
        if not xml.endswith(".xml"):
            continue
        name = os.path.join(examples, xml)
        found = example_command(open(os.path.join(src, name)).read())
        if found:
            runs.append((name, [found + ([],)]))
        else:
            failures.append(f"{name}: no 'Render it:' command in its "
                            "header comment")
    for name, found in runs:
        if not found:
            continue
        cwd = os.path.join(work, name.replace("/", "_"))
        os.makedirs(cwd, exist_ok=True)
        for link, target in (("examples", os.path.join(src, "examples")),
                             ("build", build)):
            if not os.path.lexists(os.path.join(cwd, link)):
                os.symlink(target, os.path.join(cwd, link))
        with open(os.path.join(cwd, "hello.xml"), "w") as f:
            f.write(hello)
        for lineno, cmd, expected in found:
            want = EXIT_STATUS.get(cmd, 0)
            if cmd in EXIT_STATUS:
                used_status.add(cmd)
            t0 = time.monotonic()
            # Its own process group, so that a pipe's every program is
            # stopped when it runs too long.
            p = subprocess.Popen(["bash", "-c", cmd], cwd=cwd,
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True,
                                 start_new_session=True)
            try:
                out = p.communicate(timeout=TIMEOUT_S)[0]
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.communicate()
                failures.append(f"{name}:{lineno}: still running after "
                                f"{TIMEOUT_S} s: {cmd}")
                continue
            ran += 1
            print(f"{name}:{lineno}: exit {p.returncode} in "
                  f"{time.monotonic() - t0:.1f} s: {cmd}")
            if p.returncode != want:
                failures.append(f"{name}:{lineno}: exit status "
                                f"{p.returncode}, expected {want}: {cmd}\n"
                                f"{out[-2000:]}")
                continue
            got = [o.strip() for o in out.split("\n")]
            for e in expected:
                if e not in got:
                    failures.append(f"{name}:{lineno}: the docs print "
                                    f"'{e}', the command printed:\n{out}")
    for cmd in set(EXIT_STATUS) - used_status:
        failures.append(f"EXIT_STATUS names a command no page has: {cmd}")
    if ran == 0:
        failures.append("no example command found")
    for f in failures:
        print("FAIL: " + f)
    print(f"{ran} commands run, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
