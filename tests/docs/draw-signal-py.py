#!/usr/bin/python3
"""Test of examples/draw-signal.py and of the excerpt docs/hfdrawsrc.md
prints from it.

    draw-signal-py.py SOURCE_ROOT WORK_DIR

1. Each ```python block of docs/hfdrawsrc.md is a verbatim part of the
   example, so the docs show code that runs.
2. The example's frames, decoded, match what cairo itself draws on the
   composition's background (PSNR >= MIN_PSNR_DB at every frame): the
   counter is there, on the right frame, with red as red (not BGR/RGB
   swapped).
3. A handler that raises on frame 5 stops the program with exit status 1
   and an ERROR naming the frame and the exception, and GStreamer reports
   no critical warning.
"""

import importlib.util
import math
import os
import re
import subprocess
import sys

import cairo
import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

W, H, FRAMES = 320, 180, 30
BACKGROUND = (0x10, 0x20, 0x40)
MIN_PSNR_DB = 30.0


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def load_example(path):
    spec = importlib.util.spec_from_file_location("draw_signal", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decode_rgb(path):
    """Every frame of the AVI as RGB bytes, decoded by GStreamer."""
    pipeline = Gst.parse_launch(
        f"filesrc location={path} ! avidemux ! jpegdec ! videoconvert "
        f"! video/x-raw,format=RGB,width={W},height={H} "
        "! appsink name=sink sync=false")
    sink = pipeline.get_by_name("sink")
    pipeline.set_state(Gst.State.PLAYING)
    frames = []
    while True:
        sample = sink.emit("try-pull-sample", 30 * Gst.SECOND)
        if sample is None:
            break
        buf = sample.get_buffer()
        data = buf.extract_dup(0, buf.get_size())
        stride = len(data) // H
        frames.append(b"".join(data[y * stride:y * stride + 3 * W]
                               for y in range(H)))
    pipeline.set_state(Gst.State.NULL)
    return frames


def reference_rgb(example, index):
    """The frame as cairo draws it on the composition's background."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, W, H)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*(c / 255 for c in BACKGROUND))
    ctx.paint()
    example.paint(ctx, index, W, H)
    surface.flush()
    data = bytes(surface.get_data())
    stride = surface.get_stride()
    out = bytearray()
    for y in range(H):
        row = data[y * stride:y * stride + 4 * W]
        for x in range(W):  # B, G, R, x on little-endian
            out += bytes((row[4 * x + 2], row[4 * x + 1], row[4 * x]))
    return bytes(out)


def psnr(a, b):
    mse = sum((x - y) ** 2 for x, y in zip(a, b)) / len(a)
    return math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def main():
    src, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    example_path = os.path.join(src, "examples", "draw-signal.py")
    example_text = open(example_path).read()

    doc = open(os.path.join(src, "docs", "hfdrawsrc.md")).read()
    blocks = re.findall(r"```python\n(.*?)```", doc, re.S)
    if not blocks:
        fail("docs/hfdrawsrc.md has no python block")
    for block in blocks:
        if block not in example_text:
            fail("docs/hfdrawsrc.md shows Python that is not in "
                 f"examples/draw-signal.py:\n{block}")

    composition = os.path.join(work, "plain.xml")
    with open(composition, "w") as f:
        f.write(f'<composition width="{W}" height="{H}" fps="30" '
                'duration="2" background="#%02x%02x%02x"/>\n' % BACKGROUND)
    out = os.path.join(work, "counter.avi")
    p = subprocess.run([sys.executable, example_path, "-n", str(FRAMES),
                        "-o", out, composition],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail(f"draw-signal.py exited {p.returncode}:\n{p.stderr}")

    Gst.init(None)
    example = load_example(example_path)
    frames = decode_rgb(out)
    if len(frames) != FRAMES:
        fail(f"{len(frames)} frames decoded, expected {FRAMES}")
    worst = math.inf
    for i, frame in enumerate(frames):
        db = psnr(frame, reference_rgb(example, i))
        worst = min(worst, db)
        if db < MIN_PSNR_DB:
            fail(f"frame {i}: PSNR {db:.1f} dB against cairo's own "
                 f"drawing, below {MIN_PSNR_DB} dB")
    print(f"{FRAMES} frames match cairo's drawing, worst PSNR {worst:.1f} dB")

    failing = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location(\n"
        f"    'm', {example_path!r})\n"
        "m = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(m)\n"
        "paint = m.paint\n"
        "def boom(ctx, index, w, h):\n"
        "    paint(ctx, index, w, h)\n"
        "    if index == 5:\n"
        "        raise ValueError('boom')\n"
        "m.paint = boom\n"
        f"sys.exit(m.main(['-n', '30', '-o', {out + '.err.avi'!r}, "
        f"{composition!r}]))\n")
    p = subprocess.run([sys.executable, "-c", failing], capture_output=True,
                       text=True, timeout=120)
    want = "ERROR: draw handler failed on frame 5: ValueError: boom"
    if p.returncode != 1 or want not in p.stderr:
        fail(f"a handler raising on frame 5: exit {p.returncode}, expected "
             f"1 with '{want}':\n{p.stderr}")
    if "CRITICAL" in p.stderr:
        fail(f"a handler raising left GStreamer in a bad state:\n{p.stderr}")
    print("a raising handler stops the pipeline with: " + want)
    return 0


if __name__ == "__main__":
    sys.exit(main())
