#!/usr/bin/python3
"""Every YUV format hfjpegenc takes, against videoconvert's RGB.

    formats-videoconvert.py OUTDIR

For each YUV format of jpegenc's list, at an even and an odd size, one
videotestsrc frame goes both through `videoconvert` to RGB (the reference)
and through `hfjpegenc quality=100`, decoded by PIL (libjpeg). The PSNR of
the decoded JPEG against the reference must be at least MIN_PSNR_DB.

The pattern is `pinwheel`: legal colours with smooth chroma, like camera
and decoder output. Two other patterns measure videoconvert more than the
encoder, so they are not used (docs/hfjpegenc.md, "Colours"):
- `smpte` has one-pixel chroma edges, where the result depends on how
  chroma is upsampled, and videoconvert's own paths disagree there: the
  same bars give 30 dB in I420 and 41.7 dB in NV12, whose JPEGs are the
  same bytes.
- `colors` is 84% outside the legal YUV range; a JPEG cannot carry those
  values, so they are clamped in YCbCr, where videoconvert clamps in RGB.
Needs Debian's /usr/bin/python3 (gi, PIL, numpy).
"""

import io
import math
import sys

import numpy
from PIL import Image
import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

MIN_PSNR_DB = 40.0
FORMATS = ["I420", "YV12", "NV12", "NV21", "Y42B", "YUY2", "UYVY", "YVYU",
           "Y41B", "Y444"]
SIZES = [(320, 240), (321, 241)]


def one_frame(fmt, w, h):
    """(videoconvert's RGB, hfjpegenc's JPEG decoded to RGB)."""
    p = Gst.parse_launch(
        f"videotestsrc num-buffers=1 pattern=pinwheel "
        f"! video/x-raw,format={fmt},width={w},height={h} ! tee name=t "
        "t. ! queue ! videoconvert ! video/x-raw,format=RGB "
        "! appsink name=ref sync=false "
        "t. ! queue ! hfjpegenc quality=100 ! appsink name=jpg sync=false")
    p.set_state(Gst.State.PLAYING)
    out = []
    for name in ("ref", "jpg"):
        sample = p.get_by_name(name).emit("try-pull-sample", 30 * Gst.SECOND)
        if sample is None:
            p.set_state(Gst.State.NULL)
            raise SystemExit(f"FAIL: {fmt} {w}x{h}: no {name} frame")
        buf = sample.get_buffer()
        out.append(buf.extract_dup(0, buf.get_size()))
    p.set_state(Gst.State.NULL)
    stride = len(out[0]) // h
    ref = numpy.frombuffer(out[0], numpy.uint8).reshape(h, stride)
    ref = ref[:, :3 * w].reshape(h, w, 3)
    dec = numpy.asarray(Image.open(io.BytesIO(out[1])).convert("RGB"))
    return ref.astype(float), dec.astype(float)


def main():
    Gst.init(None)
    failures = 0
    for fmt in FORMATS:
        for w, h in SIZES:
            ref, dec = one_frame(fmt, w, h)
            if dec.shape != ref.shape:
                print(f"FAIL: {fmt} {w}x{h}: JPEG is {dec.shape[1]}x"
                      f"{dec.shape[0]}")
                failures += 1
                continue
            mse = ((ref - dec) ** 2).mean()
            db = math.inf if mse == 0 else 10 * math.log10(255 ** 2 / mse)
            ok = db >= MIN_PSNR_DB
            failures += not ok
            print(f"{'ok' if ok else 'FAIL'}: {fmt:4} {w}x{h}: "
                  f"PSNR {db:.1f} dB (at least {MIN_PSNR_DB})")
    print(f"{len(FORMATS) * len(SIZES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
