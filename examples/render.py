#!/usr/bin/python3
"""Render a composition (or hfdrawsrc's built-in demo) to an MJPEG AVI.

    render.py [--quality Q] [--threads N] [--fps N/D] [--size WxH]
              [--start F] [--end F] [-o out.avi] [composition.xml]

The same pipeline and options as `hfrender render` (tools/hfrender), from
Python with PyGObject:

    hfdrawsrc ! capsfilter ! hfjpegenc ! avimux ! filesink

--size and --fps only set the capsfilter: hfdrawsrc draws a composition at
any size (as vector) and rate itself. Options are
checked against the encoder's own property ranges and the composition's
length; a bad one exits with status 2. Progress (frames, fps, ETA) goes to
stderr; Ctrl-C sends EOS so the AVI is finalised. The AVI is written to a
temporary file beside the output and renamed only when complete, so a
refused or failed render leaves an existing file as it was. Run it with
Debian's /usr/bin/python3, which has the gi module.
"""

import argparse
import math
import os
import re
import signal
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402


class BadOption(Exception):
    """An option out of range: reported, exit status 2."""


def make(factory, name):
    element = Gst.ElementFactory.make(factory, name)
    if element is None:
        sys.exit(f"render.py: element '{factory}' is not available.\n"
                 "  Install the plugins where GStreamer looks, with the /usr "
                 "prefix:\n    meson configure build -Dprefix=/usr && sudo "
                 "meson install -C build\n  or point GStreamer at the build "
                 "tree with absolute paths, from the source directory:\n"
                 "    export GST_PLUGIN_PATH=$PWD/build/gst/hfdraw:"
                 "$PWD/build/ext/turbojpeg")
    return element


def check_prop_range(element, prop, value):
    """Checks VALUE against the range the element's property declares,
    so the limits stay those of the element."""
    spec = element.find_property(prop)
    factory = element.get_factory().get_name()
    if not (spec.minimum <= value <= spec.maximum):
        raise BadOption(f"--{prop} {value} is out of range: {factory}'s "
                        f"'{prop}' takes {spec.minimum} to {spec.maximum}")


def check_caps(enc, caps, opt, value, fields):
    """Checks a size or rate against the encoder's sink template."""
    tmpl = enc.get_static_pad("sink").get_pad_template_caps()
    if not caps.can_intersect(tmpl):
        st = tmpl.get_structure(0)
        ranges = ", ".join(
            f"{f} {Gst.value_serialize(st.get_value(f))}" for f in fields)
        raise BadOption(f"--{opt} {value} is out of range: hfjpegenc takes "
                        f"{ranges}")


class Render:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.exit_code = 0
        self.interrupted = False
        self.playing = False  # set to PLAYING: Ctrl-C finishes the file
        self.finalised = False  # EOS reached the sink: the file is whole
        self.frames = 0
        self.total = -1
        self.fps = None  # (num, den) of the output, once negotiated
        self.tty = sys.stderr.isatty()
        self.last_line = 0.0
        self.first = args.start or 0
        self.end = args.end  # None: until EOS

        self.pipeline = Gst.Pipeline.new("render")
        self.src = make("hfdrawsrc", "src")
        self.filter = make("capsfilter", "filter")
        enc = make("hfjpegenc", "enc")
        mux = make("avimux", "mux")
        self.sink = make("filesink", "sink")
        chain = [self.src]
        fields = []
        if args.size:
            w, h = args.size
            fields += [f"width={w}", f"height={h}"]
            check_caps(enc, Gst.Caps.from_string("video/x-raw," +
                                                 ",".join(fields[-2:])),
                       "size", f"{w}x{h}", ("width", "height"))
        if args.fps:
            n, d = args.fps
            fields.append(f"framerate={n}/{d}")
            check_caps(enc, Gst.Caps.from_string("video/x-raw," +
                                                 fields[-1]),
                       "fps", f"{n}/{d}", ("framerate",))
        self.filter.set_property(
            "caps", Gst.Caps.from_string(",".join(["video/x-raw"] + fields)))
        if args.quality is not None:
            check_prop_range(enc, "quality", args.quality)
            enc.set_property("quality", args.quality)
        if args.threads is not None:
            check_prop_range(enc, "threads", args.threads)
            enc.set_property("threads", args.threads)
        if args.composition:
            self.src.set_property("location", args.composition)
        chain += [self.filter, enc, mux, self.sink]
        for e in chain:
            self.pipeline.add(e)
        for a, b in zip(chain, chain[1:]):
            if not a.link(b):
                sys.exit("render.py: could not link the pipeline")

        # Count encoded frames where they leave the encoder.
        enc.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER,
                                            self.on_buffer)
        self.filter_src = self.filter.get_static_pad("src")

        # Seek-before-play hand-off with the blocking probe.
        self.first_buffer = threading.Event()
        self.seek_done = False

    def on_buffer(self, pad, info):
        self.frames += 1  # the GIL makes this safe enough for a counter
        return Gst.PadProbeReturn.OK

    def hold(self, pad, info):
        """Holds the first buffer so nothing reaches the muxer before the
        range seek: avimux cannot take back a frame it has written."""
        self.first_buffer.set()
        # The pre-seek buffer stays blocked until the flush discards it.
        return (Gst.PadProbeReturn.REMOVE if self.seek_done
                else Gst.PadProbeReturn.OK)

    def read_rate(self):
        caps = self.filter_src.get_current_caps()
        if caps is None:
            return False
        ok, num, den = caps.get_structure(0).get_fraction("framerate")
        if ok and num > 0:
            self.fps = (num, den)
        return self.fps is not None

    def count_frames(self):
        """The composition's length in output frames (at the negotiated rate),
        or None when the source does not know it."""
        ok, dur = self.src.query_duration(Gst.Format.TIME)
        if not ok or dur <= 0 or self.fps is None:
            return None
        num, den = self.fps
        return -(-dur * num // (den * Gst.SECOND))  # rounded up

    def pop_error(self, timeout):
        """Reports a bus error or EOS posted while we wait outside the main
        loop; returns True when there was one."""
        msg = self.pipeline.get_bus().timed_pop_filtered(
            timeout, Gst.MessageType.ERROR | Gst.MessageType.EOS)
        if msg is None:
            return False
        if msg.type == Gst.MessageType.EOS:
            sys.stderr.write("render.py: the range is empty\n")
            self.exit_code = 1
        else:
            self.on_message(None, msg)
        return True

    def wait_paused(self):
        while True:
            ret, _, _ = self.pipeline.get_state(0)
            if ret == Gst.StateChangeReturn.FAILURE:
                if not self.pop_error(0):
                    sys.stderr.write("render.py: could not pause\n")
                    self.exit_code = 1
                return False
            if ret != Gst.StateChangeReturn.ASYNC:
                return True
            if self.pop_error(100 * Gst.MSECOND):
                return False

    def seek_range(self):
        """Pause, seek the source to [start, end); the caller plays."""
        self.filter_src.add_probe(
            Gst.PadProbeType.BLOCK | Gst.PadProbeType.BUFFER, self.hold)
        if self.pipeline.set_state(Gst.State.PAUSED) == \
                Gst.StateChangeReturn.FAILURE:
            self.wait_paused()
            return False
        # The first buffer means caps are set; preroll cannot finish while
        # the probe holds it.
        deadline = time.monotonic() + 30
        while not self.first_buffer.wait(0.1):
            if self.pop_error(0):
                return False
            if time.monotonic() > deadline:
                sys.stderr.write("render.py: the source produced no frame\n")
                self.exit_code = 1
                return False
        self.seek_done = True
        # A range is counted in output frames: read the negotiated rate.
        if not self.read_rate():
            sys.stderr.write("render.py: no framerate in the caps\n")
            self.exit_code = 1
            return False
        n = self.count_frames()
        if n is not None and self.first >= n:
            raise BadOption(f"--start {self.first} is past the end: the "
                            f"composition has {n} frames (0 to {n - 1})")
        if n is not None and self.end is not None and self.end > n:
            raise BadOption(f"--end {self.end} is past the end: the "
                            f"composition has {n} frames, so --end is at "
                            f"most {n}")
        num, den = self.fps
        start = self.first * den * Gst.SECOND // num
        stop_type, stop = Gst.SeekType.NONE, -1
        if self.end is not None:
            stop_type = Gst.SeekType.SET
            stop = self.end * den * Gst.SECOND // num
        # Seek the source itself: muxers do not handle seek events.
        if not self.src.seek(1.0, Gst.Format.TIME,
                             Gst.SeekFlags.FLUSH | Gst.SeekFlags.ACCURATE,
                             Gst.SeekType.SET, start, stop_type, stop):
            sys.stderr.write("render.py: the source refused the seek to "
                             f"frame {self.first}\n")
            self.exit_code = 1
            return False
        return self.wait_paused()

    def progress(self, final=False):
        elapsed = time.monotonic() - self.start
        rate = self.frames / elapsed if elapsed > 0 else 0.0
        fps = self.fps[0] / self.fps[1] if self.fps else 0.0
        pos = self.frames / fps if fps else 0.0
        if self.total > 0 and fps:
            eta = (self.total - self.frames) / rate if rate > 0 else 0.0
            text = (f"{100 * min(self.frames, self.total) // self.total:3d}%"
                    f"  {pos:6.2f}s / {self.total / fps:.2f}s  "
                    f"frame {self.frames}/{self.total}  {rate:5.1f} fps  "
                    f"ETA {eta:4.0f}s")
        else:
            text = f"{pos:6.2f}s  frame {self.frames}  {rate:5.1f} fps"
        if self.tty:
            sys.stderr.write("\r" + text + ("\n" if final else "  "))
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def on_tick(self):
        now = time.monotonic()
        if self.tty or now - self.last_line >= 1.0:
            self.last_line = now
            self.progress()
        return True

    def on_sigint(self):
        if not self.playing:
            # Nothing to finish yet: play() stops before PLAYING.
            self.interrupted = True
            self.exit_code = 130
            return False
        if self.interrupted:
            self.exit_code = 130
            self.loop.quit()
            return False
        self.interrupted = True
        sys.stderr.write("\nrender.py: interrupted, finishing the file...\n")
        self.pipeline.send_event(Gst.Event.new_eos())
        return True

    def on_message(self, bus, msg):
        if msg.type == Gst.MessageType.ERROR:
            err, debug = msg.parse_error()
            sys.stderr.write(f"\nrender.py: ERROR from "
                             f"{msg.src.get_path_string()}: {err.message}\n"
                             f"  debug: {debug}\n")
            self.exit_code = 1
            self.loop.quit()
        elif msg.type == Gst.MessageType.EOS:
            self.progress(final=True)
            self.finalised = True
            if self.interrupted:
                self.exit_code = 130
            self.loop.quit()

    def run(self):
        # Ctrl-C from here on is ours: the temporary file is never left.
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT,
                             self.on_sigint)
        out = self.args.output
        try:
            fd, tmp = tempfile.mkstemp(
                prefix=f".{os.path.basename(out)}.", suffix=".part",
                dir=os.path.dirname(out) or ".")
        except OSError as e:
            sys.stderr.write(f"render.py: cannot write the output: {e}\n")
            return 1
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # what a new file would get
        self.sink.set_property("location", tmp)
        try:
            return self.play()
        except BadOption as e:
            sys.stderr.write(f"render.py: {e}\n")
            self.exit_code = 2
            return 2
        finally:
            # NULL closes the file before it is renamed or removed.
            self.pipeline.set_state(Gst.State.NULL)
            self.commit_output(tmp, out)

    def commit_output(self, tmp, out):
        """A finished render (or one stopped by Ctrl-C after its first
        frame, which finalises the file) replaces the output; anything
        else leaves it as it was."""
        if self.finalised and (self.exit_code == 0 or (
                self.exit_code == 130 and self.frames > 0)):
            os.replace(tmp, out)
            sys.stderr.write(f"render.py: wrote {self.frames} frames to "
                             f"{out}\n")
            return
        os.unlink(tmp)
        if os.path.exists(out):
            sys.stderr.write(f"render.py: {out} was left as it was\n")

    def play(self):
        if self.first > 0 or self.end is not None:
            if not self.seek_range():
                return self.exit_code or 1
        else:
            self.pipeline.set_state(Gst.State.PAUSED)
            if not self.wait_paused():
                return self.exit_code or 1
            self.read_rate()
        # The length in output frames, for the progress line and the ETA.
        n = self.count_frames()
        if n is not None:
            self.total = (n if self.end is None else min(n, self.end)) \
                - self.first
        elif self.end is not None:
            self.total = self.end - self.first

        # A Ctrl-C that came while the pipeline got ready ends it here.
        while GLib.MainContext.default().iteration(False):
            pass
        if self.interrupted:
            sys.stderr.write("render.py: interrupted before the first "
                             "frame\n")
            return self.exit_code

        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)
        GLib.timeout_add(250, self.on_tick)
        self.start = time.monotonic()
        self.playing = True
        self.pipeline.set_state(Gst.State.PLAYING)
        self.loop.run()
        bus.remove_signal_watch()
        return self.exit_code


def size_arg(text):
    m = re.fullmatch(r"(\d+)x(\d+)", text)
    if not m or int(m[1]) < 1 or int(m[2]) < 1:
        raise argparse.ArgumentTypeError(f"bad size '{text}', expected WxH")
    return int(m[1]), int(m[2])


def fps_arg(text):
    m = re.fullmatch(r"(\d+)(?:/(\d+))?", text)
    if not m or int(m[1]) < 1 or int(m[2] or 1) < 1:
        raise argparse.ArgumentTypeError(f"bad fps '{text}', expected N/D")
    return int(m[1]), int(m[2] or 1)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog="Ctrl-C stops early and still finalises the file. Exit "
        "status: 0 done, 1 pipeline error, 2 bad option, 130 interrupted.")
    parser.add_argument("composition", nargs="?",
                        help="composition file (default: the built-in demo)")
    parser.add_argument("-o", "--output", default="out.avi",
                        help="output file (default: %(default)s)")
    parser.add_argument("-q", "--quality", type=int, metavar="Q",
                        help="JPEG quality, in hfjpegenc's range (1-100, "
                        "default 85)")
    parser.add_argument("-t", "--threads", type=int, metavar="N",
                        help="encode threads, in hfjpegenc's range (0-64); "
                        "0 = one per CPU (default)")
    parser.add_argument("--fps", type=fps_arg, metavar="N/D",
                        help="output frame rate, e.g. 30/1 or 25")
    parser.add_argument("--size", type=size_arg, metavar="WxH",
                        help="output size, e.g. 1280x720")
    parser.add_argument("--start", type=int, metavar="F",
                        help="first frame to render, from 0 (default 0)")
    parser.add_argument("--end", type=int, metavar="F",
                        help="stop before this frame, at most the frame "
                        "count (default: the end)")
    args = parser.parse_args()
    if args.start is not None and args.start < 0:
        parser.exit(2, f"render.py: --start {args.start} is negative: "
                    "frames count from 0\n")
    if args.end is not None and args.end < 1:
        parser.exit(2, f"render.py: --end {args.end} must be at least 1\n")
    if args.end is not None and args.end <= (args.start or 0):
        parser.exit(2, "render.py: --end must be after --start\n")
    Gst.init(None)
    try:
        return Render(args).run()
    except BadOption as e:
        sys.stderr.write(f"render.py: {e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
