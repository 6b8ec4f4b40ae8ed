#!/usr/bin/python3
"""draw-signal.py: draw a frame counter with cairo into hfdrawsrc's frames.

    draw-signal.py [-n FRAMES] [-o OUT.avi] [COMPOSITION]

hfdrawsrc emits "draw" for every frame after it has drawn the composition
(the built-in demo when no COMPOSITION is given). The handler paints a
box with the frame number on top, with pycairo (Debian: python3-cairo),
and the frames go through hfjpegenc to an MJPEG AVI.

- cairo's ARGB32 is, on little-endian machines, the bytes B, G, R, A: the
  caps ask for BGRA (with RGBA, red and blue would swap). The frames are
  opaque, so cairo's premultiplied alpha is the same as hfdrawsrc's.
- PyGObject only prints an exception raised in a signal handler, and the
  frame goes out as it was: on_draw catches it and posts an ERROR on the
  bus instead, so the pipeline stops and the program exits 1 naming the
  frame.
"""

import argparse
import sys
import traceback

import cairo
import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstVideo", "1.0")
from gi.repository import GLib, Gst, GstVideo  # noqa: E402,F401


def paint(ctx, index, width, height):
    """The application's content: the frame number in a red box."""
    ctx.set_source_rgb(0.85, 0.1, 0.1)
    ctx.rectangle(16, 16, 200, 64)
    ctx.fill()
    ctx.set_source_rgb(1, 1, 1)
    ctx.select_font_face("DejaVu Sans", cairo.FONT_SLANT_NORMAL,
                         cairo.FONT_WEIGHT_BOLD)
    ctx.set_font_size(40)
    ctx.move_to(32, 64)
    ctx.show_text(f"{index:05d}")


def draw_frame(data, info, index):
    """Wraps the frame's memory in a cairo surface for paint()."""
    surface = cairo.ImageSurface.create_for_data(
        data, cairo.FORMAT_ARGB32, info.width, info.height, info.stride[0])
    paint(cairo.Context(surface), index, info.width, info.height)
    surface.finish()


def on_draw(src, buf, info, index, pts):
    ok, m = buf.map(Gst.MapFlags.WRITE)
    failure = None
    try:
        if not ok:
            raise RuntimeError("cannot map the frame")
        draw_frame(m.data, info, index)
    except Exception as e:
        failure = (f"draw handler failed on frame {index}: "
                   f"{type(e).__name__}: {e}", traceback.format_exc())
    # Unmapped only now: until the exception above is gone, its traceback
    # keeps the cairo surface, and with it the memory, in use.
    if ok:
        buf.unmap(m)
    if failure:
        err = GLib.Error.new_literal(Gst.StreamError.quark(), failure[0],
                                     Gst.StreamError.FAILED)
        src.post_message(Gst.Message.new_error(src, err, failure[1]))
        return False
    return True


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--frames", type=int, default=90)
    ap.add_argument("-o", "--output", default="counter.avi")
    ap.add_argument("composition", nargs="?")
    args = ap.parse_args(argv)

    Gst.init(None)
    pipeline = Gst.parse_launch(
        "hfdrawsrc name=src ! video/x-raw,format=BGRA ! hfjpegenc "
        "! avimux ! filesink name=sink")
    src = pipeline.get_by_name("src")
    src.set_property("num-buffers", args.frames)
    if args.composition:
        src.set_property("location", args.composition)
    pipeline.get_by_name("sink").set_property("location", args.output)
    src.connect("draw", on_draw)

    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        Gst.CLOCK_TIME_NONE, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    pipeline.set_state(Gst.State.NULL)
    if msg.type == Gst.MessageType.ERROR:
        err, debug = msg.parse_error()
        print(f"ERROR: {err.message}\n{debug}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
