#!/usr/bin/python3
"""Test driver for the examples: run one, then check the AVI it wrote.

    check-output.py --output F [--frames N | --min-frames N] [--size WxH]
                    [--interrupt] [--exit-code C] [--stderr-contains T]...
                    [--env NAME=VALUE]... -- COMMAND [ARGS...]

Runs COMMAND and checks its exit status, then decodes F twice: with
GStreamer (avidemux ! jpegdec) and, when installed, with ffprobe/ffmpeg.
Both must see the expected number of frames, of the expected size.
With --interrupt, COMMAND gets SIGINT once frames reach the file; the
file must still be finalised and decodable. With --stderr-contains, COMMAND
must fail with exit status C and say T on stderr; no file is checked.
--env sets a variable for COMMAND only (e.g. LC_ALL=C for its messages).
With --reference, REFERENCE-COMMAND runs first and writes R; then frame i
of F must be byte-identical to frame i+K of R (a range render must equal
the same frames of a full render). With --xml-from, the first ```xml block
of a Markdown page is written to --xml-to first (so a tutorial's
composition is rendered as printed); --card-frame N then checks that in
frame N its title sits inside its card, clear of the card's edges.
With --existing, F holds known bytes before COMMAND runs, and COMMAND (a
refused or failed render) must leave them; --bad-xml, --fsize-limit (a
write error mid-render) and --fifo (SIGINT before the first frame) make it
fail. In every case no temporary file of the render may be left.
"""

import argparse
import errno
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from fractions import Fraction

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402


def fail(msg):
    print(f"FAIL: {msg}")
    sys.exit(1)


def gst_decode(path):
    """Frames, width, height as avidemux ! jpegdec sees them."""
    pipeline = Gst.parse_launch(
        "filesrc name=src ! avidemux ! jpegdec ! "
        "fakesink name=sink signal-handoffs=true sync=false")
    pipeline.get_by_name("src").set_property("location", path)
    state = {"frames": 0, "size": None}

    def on_handoff(sink, buf, pad):
        state["frames"] += 1
        s = pad.get_current_caps().get_structure(0)
        state["size"] = (s.get_value("width"), s.get_value("height"))

    pipeline.get_by_name("sink").connect("handoff", on_handoff)
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        60 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg is None:
        fail("decoding timed out")
    if msg.type == Gst.MessageType.ERROR:
        fail(f"GStreamer cannot decode {path}: {msg.parse_error()[0].message}")
    return state["frames"], state["size"]


def jpeg_frames(path):
    """The JPEG bytes of each frame, as avidemux hands them out."""
    pipeline = Gst.parse_launch(
        "filesrc name=src ! avidemux ! fakesink name=sink "
        "signal-handoffs=true sync=false")
    pipeline.get_by_name("src").set_property("location", path)
    frames = []

    def on_handoff(sink, buf, pad):
        frames.append(buf.extract_dup(0, buf.get_size()))

    pipeline.get_by_name("sink").connect("handoff", on_handoff)
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        60 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg is None or msg.type != Gst.MessageType.EOS:
        fail(f"cannot demux {path}")
    return frames


def rgb_frame(path, index):
    """Frame INDEX of the AVI as (width, height, stride, RGB bytes)."""
    pipeline = Gst.parse_launch(
        "filesrc name=src ! avidemux ! jpegdec ! videoconvert ! "
        "video/x-raw,format=RGB ! fakesink name=sink signal-handoffs=true "
        "sync=false")
    pipeline.get_by_name("src").set_property("location", path)
    found = {}

    def on_handoff(sink, buf, pad):
        found["n"] = found.get("n", -1) + 1
        if found["n"] == index:
            s = pad.get_current_caps().get_structure(0)
            found["frame"] = (s.get_value("width"), s.get_value("height"),
                              buf.extract_dup(0, buf.get_size()))

    pipeline.get_by_name("sink").connect("handoff", on_handoff)
    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        60 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg is None or msg.type != Gst.MessageType.EOS or "frame" not in found:
        fail(f"cannot decode frame {index} of {path}")
    w, h, data = found["frame"]
    return w, h, (w * 3 + 3) & ~3, data  # RGB rows are 4-byte aligned


def check_card(args):
    """The composition's card (its first rect with a url() fill) must hold
    its title with a margin: in frame N, the card's left and right MARGIN
    columns (between the rounded corners) have no dark title pixel, and the
    card's inside does have some (so the title is there at all)."""
    root = ET.parse(args.xml_to).getroot()
    card = next((r for r in root.iter("rect")
                 if r.get("fill", "").startswith("url(")), None)
    if card is None:
        fail("no card (a rect filled with a gradient) in the composition")
    x, y, cw, ch, rad = (int(float(card.get(k, "0"))) for k in
                         ("x", "y", "width", "height", "radius"))
    w, h, stride, data = rgb_frame(args.output, args.card_frame)
    m = args.card_margin

    def dark(px, py):
        # The card's gradient is bright (luma > 140), the title dark (~25).
        o = py * stride + px * 3
        return (299 * data[o] + 587 * data[o + 1] + 114 * data[o + 2]) \
            < 80 * 1000

    rows = range(y + rad, y + ch - rad)
    for name, cols in (("left", range(x + 2, x + m)),
                       ("right", range(x + cw - m, x + cw - 2))):
        hits = [(px, py) for py in rows for px in cols if dark(px, py)]
        if hits:
            fail(f"frame {args.card_frame}: the title reaches into the "
                 f"card's {m} px {name} margin, e.g. at {hits[0]}")
    inside = sum(dark(px, py) for py in rows
                 for px in range(x + m, x + cw - m))
    if inside < 500:
        fail(f"frame {args.card_frame}: no title on the card "
             f"({inside} dark pixels)")
    print(f"frame {args.card_frame}: the title ({inside} dark pixels) "
          f"keeps a {m} px margin inside the card at x {x}..{x + cw}")


def ffmpeg_decode(path):
    """(frames, width, height, codec) from ffprobe, or None without it."""
    if not (shutil.which("ffprobe") and shutil.which("ffmpeg")):
        print("ffprobe/ffmpeg not installed: skipping that check")
        return None
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
         "-show_entries", "stream=codec_name,width,height,nb_read_frames",
         "-of", "json", path], capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"ffprobe failed: {out.stderr}")
    st = json.loads(out.stdout)["streams"][0]
    dec = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null",
                          "-"], capture_output=True, text=True)
    if dec.returncode != 0 or dec.stderr.strip():
        fail(f"ffmpeg reports decode errors: {dec.stderr.strip()}")
    return (int(st["nb_read_frames"]), st["width"], st["height"],
            st["codec_name"])


def extract_composition(args):
    """Writes the page's first xml block; sets the frames and size it
    declares (duration x fps frames, rounded up) as the expectation."""
    with open(args.xml_from, encoding="utf-8") as f:
        text = f.read()
    start = text.find("```xml\n")
    if start < 0:
        fail(f"no ```xml block in {args.xml_from}")
    start += len("```xml\n")
    xml = text[start:text.index("```", start)]
    with open(args.xml_to, "w", encoding="utf-8") as f:
        f.write(xml)
    root = ET.fromstring(xml)
    num, _, den = root.get("fps", "30").partition("/")
    fps = Fraction(num) / Fraction(den or "1")
    args.frames = math.ceil(Fraction(root.get("duration", "5")) * fps)
    args.size = f"{root.get('width', '1920')}x{root.get('height', '1080')}"


# What --existing writes to the output before the command runs.
EXISTING = b"an existing file that a failed render must leave alone\n"


def temp_files(output):
    """The render's temporary files beside the output (.NAME.XXXXXX.part)."""
    d = os.path.dirname(output) or "."
    prefix = "." + os.path.basename(output) + "."
    return [os.path.join(d, f) for f in os.listdir(d)
            if f.startswith(prefix) and f.endswith(".part")]


def written(output):
    """Bytes on disk so far: the output, or the temporary file before it."""
    return sum(os.path.getsize(f) for f in [output] + temp_files(output)
               if os.path.exists(f))


def limit_file_size(limit):
    """In the child: writes past `limit` bytes fail with EFBIG (a write
    error mid-render) instead of killing it with SIGXFSZ."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def interrupt_early(args, env):
    """SIGINT before the first frame: the composition is a FIFO, so the
    command blocks while loading it; it gets SIGINT once its temporary
    output exists, and only then the composition."""
    if os.path.exists(args.fifo):
        os.unlink(args.fifo)
    os.mkfifo(args.fifo)
    # Left by an earlier run that was killed: they would look like ours.
    for stale in temp_files(args.output):
        os.unlink(stale)
    proc = subprocess.Popen(args.command, env=env)
    deadline = time.monotonic() + 60
    while not temp_files(args.output) and proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            fail("no temporary output appeared")
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    # Open without blocking: a command that died would never read it.
    while True:
        try:
            fd = os.open(args.fifo, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as e:
            if e.errno != errno.ENXIO:
                raise
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            fail("the command did not read its composition")
        time.sleep(0.01)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "w") as f:
        f.write('<composition width="64" height="64" fps="30" '
                'duration="1"><rect width="64" height="64" fill="#c33"/>'
                '</composition>')
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("the command did not finish after SIGINT")


def run(args):
    if args.existing:
        with open(args.output, "wb") as f:
            f.write(EXISTING)
    elif os.path.exists(args.output):
        os.unlink(args.output)
    if args.bad_xml:
        with open(args.bad_xml, "w") as f:
            f.write('<composition width="64" height="64">\n  <rect x=>\n')
    env = dict(os.environ)
    env.update(kv.split("=", 1) for kv in args.env)
    if args.fifo:
        return interrupt_early(args, env)
    pre = limit_file_size(args.fsize_limit) if args.fsize_limit else None
    if args.stderr_contains:
        # Bytes, read as UTF-8: the command's locale may differ from ours.
        res = subprocess.run(args.command, capture_output=True, env=env,
                             preexec_fn=pre)
        err = res.stderr.decode("utf-8", errors="replace")
        sys.stderr.write(err)
        for text in args.stderr_contains:
            if text not in err:
                fail(f"stderr lacks {text!r}")
        return res.returncode
    if not args.interrupt:
        return subprocess.run(args.command, env=env,
                              preexec_fn=pre).returncode
    proc = subprocess.Popen(args.command, env=env)
    # Interrupt once some frames are on disk (an AVI header is ~8 KB).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if written(args.output) > 64 * 1024:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        fail("the command ended before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("the command did not finish after SIGINT")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--output", required=True)
    p.add_argument("--frames", type=int)
    p.add_argument("--min-frames", type=int, default=1)
    p.add_argument("--size")
    p.add_argument("--interrupt", action="store_true")
    p.add_argument("--exit-code", type=int, default=0)
    p.add_argument("--stderr-contains", action="append",
                   help="expect a failure whose stderr has this text "
                   "(repeatable: all must appear)")
    p.add_argument("--env", action="append", default=[],
                   metavar="NAME=VALUE",
                   help="set this in the command's environment")
    p.add_argument("--reference",
                   help="file written by the command after '---'")
    p.add_argument("--offset", type=int, default=0,
                   help="frame i of the output must equal frame i+OFFSET of "
                   "the reference, byte for byte")
    p.add_argument("--xml-from",
                   help="Markdown file: write its first ```xml block to "
                   "--xml-to before running, and expect the frame count and "
                   "size that composition declares")
    p.add_argument("--xml-to")
    p.add_argument("--card-frame", type=int,
                   help="with --xml-from: in this frame, the title must sit "
                   "inside the composition's card with --card-margin")
    p.add_argument("--card-margin", type=int, default=24)
    p.add_argument("--existing", action="store_true",
                   help="put a file at --output first; the command must "
                   "leave it byte for byte, and no temporary file")
    p.add_argument("--bad-xml", metavar="PATH",
                   help="write a malformed composition to PATH first")
    p.add_argument("--fsize-limit", type=int, metavar="BYTES",
                   help="the command's writes fail past this file size")
    p.add_argument("--fifo", metavar="PATH",
                   help="SIGINT before the first frame: PATH (the "
                   "command's composition) is a FIFO fed after the signal")
    p.add_argument("command", nargs="+")
    argv = sys.argv[1:]
    ref_command = None
    if "---" in argv:
        cut = argv.index("---")
        argv, ref_command = argv[:cut], argv[cut + 1:]
    args = p.parse_args(argv)
    Gst.init(None)

    if args.xml_from:
        extract_composition(args)

    if ref_command:
        if subprocess.run(ref_command).returncode != 0:
            fail("the reference command failed")

    rc = run(args)
    if rc != args.exit_code:
        fail(f"exit status {rc}, expected {args.exit_code}")
    left = temp_files(args.output)
    if left:
        fail(f"temporary files left behind: {left}")
    if args.existing:
        with open(args.output, "rb") as f:
            if f.read() != EXISTING:
                fail(f"{args.output} was changed")
        print(f"{args.output} kept its bytes")
    if args.stderr_contains or args.existing:
        print("OK")
        return
    if not os.path.exists(args.output):
        fail(f"{args.output} was not written")

    frames, size = gst_decode(args.output)
    print(f"GStreamer decoded {frames} frames of {size}")
    if args.frames is not None and frames != args.frames:
        fail(f"{frames} frames decoded, expected {args.frames}")
    if frames < args.min_frames:
        fail(f"{frames} frames decoded, expected at least {args.min_frames}")
    want = tuple(int(v) for v in args.size.split("x")) if args.size else None
    if want and size != want:
        fail(f"size {size}, expected {want}")

    if ref_command:
        out, ref = jpeg_frames(args.output), jpeg_frames(args.reference)
        if args.offset + len(out) > len(ref):
            fail(f"the reference has only {len(ref)} frames")
        for i, data in enumerate(out):
            if data != ref[i + args.offset]:
                fail(f"frame {i} differs from reference frame "
                     f"{i + args.offset}")
        print(f"frames equal reference frames {args.offset}.."
              f"{args.offset + len(out) - 1}")

    if args.card_frame is not None:
        check_card(args)

    ff = ffmpeg_decode(args.output)
    if ff:
        print(f"ffprobe: {ff[0]} frames, {ff[1]}x{ff[2]}, codec {ff[3]}")
        if ff[0] != frames or ff[3] != "mjpeg" or (ff[1], ff[2]) != size:
            fail(f"ffprobe disagrees with GStreamer: {ff}")
    print("OK")


if __name__ == "__main__":
    main()
