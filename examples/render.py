#!/usr/bin/python3
"""Render a composition (or hfdrawsrc's built-in demo) to an MJPEG AVI.

    render.py [--quality Q] [--threads N] [-o out.avi] [composition.xml]

The same pipeline as examples/render.c, from Python with PyGObject:

    hfdrawsrc ! hfjpegenc ! avimux ! filesink

Progress (frames, fps, ETA) goes to stderr; Ctrl-C sends EOS so the AVI is
finalised. Run it with Debian's /usr/bin/python3, which has the gi module.
"""

import argparse
import signal
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402


def make(factory, name):
    element = Gst.ElementFactory.make(factory, name)
    if element is None:
        sys.exit(f"render.py: element '{factory}' is not available "
                 "(install the plugins or set GST_PLUGIN_PATH)")
    return element


class Render:
    def __init__(self, args):
        self.args = args
        self.loop = GLib.MainLoop()
        self.exit_code = 0
        self.interrupted = False
        self.frames = 0
        self.total = -1
        self.fps = None
        self.tty = sys.stderr.isatty()
        self.last_line = 0.0

        self.pipeline = Gst.Pipeline.new("render")
        self.src = make("hfdrawsrc", "src")
        enc = make("hfjpegenc", "enc")
        mux = make("avimux", "mux")
        sink = make("filesink", "sink")
        if args.composition:
            self.src.set_property("location", args.composition)
        if args.quality is not None:
            enc.set_property("quality", args.quality)
        if args.threads is not None:
            enc.set_property("threads", args.threads)
        sink.set_property("location", args.output)
        for e in (self.src, enc, mux, sink):
            self.pipeline.add(e)
        if not (self.src.link(enc) and enc.link(mux) and mux.link(sink)):
            sys.exit("render.py: could not link the pipeline")

        # Count encoded frames where they leave the encoder.
        enc.get_static_pad("src").add_probe(Gst.PadProbeType.BUFFER,
                                            self.on_buffer)
        self.enc_sink = enc.get_static_pad("sink")

    def on_buffer(self, pad, info):
        self.frames += 1  # the GIL makes this safe enough for a counter
        return Gst.PadProbeReturn.OK

    def read_length(self):
        caps = self.enc_sink.get_current_caps()
        if caps is None:
            return
        ok, num, den = caps.get_structure(0).get_fraction("framerate")
        if not ok or num <= 0:
            return
        self.fps = num / den
        ok, dur = self.src.query_duration(Gst.Format.TIME)
        if ok and dur > 0:
            self.total = round(dur * num / (den * Gst.SECOND))

    def progress(self, final=False):
        elapsed = time.monotonic() - self.start
        rate = self.frames / elapsed if elapsed > 0 else 0.0
        pos = self.frames / self.fps if self.fps else 0.0
        if self.total > 0:
            eta = (self.total - self.frames) / rate if rate > 0 else 0.0
            text = (f"{100 * self.frames // self.total:3d}%  "
                    f"{pos:6.2f}s / {self.total / self.fps:.2f}s  "
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
            if self.interrupted:
                self.exit_code = 130
            self.loop.quit()
        elif (msg.type == Gst.MessageType.ASYNC_DONE and self.fps is None):
            self.read_length()

    def run(self):
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect("message", self.on_message)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT,
                             self.on_sigint)
        GLib.timeout_add(250, self.on_tick)
        self.start = time.monotonic()
        self.pipeline.set_state(Gst.State.PLAYING)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        bus.remove_signal_watch()
        if self.exit_code in (0, 130):
            sys.stderr.write(f"render.py: wrote {self.frames} frames to "
                             f"{self.args.output}\n")
        return self.exit_code


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("composition", nargs="?",
                        help="composition file (default: the built-in demo)")
    parser.add_argument("-o", "--output", default="out.avi")
    parser.add_argument("-q", "--quality", type=int)
    parser.add_argument("-t", "--threads", type=int)
    args = parser.parse_args()
    Gst.init(None)
    return Render(args).run()


if __name__ == "__main__":
    sys.exit(main())
