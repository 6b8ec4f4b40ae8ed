#!/usr/bin/python3
"""hfjpegenc's slices against libjpeg and four decoders.

    slices.py OUTDIR

A 1920x1080 picture (68 MCU rows at 4:2:0) is encoded with `slices` 2,
3 and 8 on 1 and 3 threads. Each must be:
- the same bytes for either thread count;
- the same bytes as `cjpeg -restart R`, R the MCU rows divided by the
  slices, rounded up (docs/hfjpegenc.md, "Restart markers and slices");
- decoded by each of djpeg, PIL, ffmpeg and GStreamer's jpegdec to the
  pixels that decoder makes of the unsliced JPEG (their colour
  conversions differ from each other), so with a PSNR against the source
  within 0.05 dB of the unsliced JPEG's; and within 1 % of its size.
"""

import math
import os
import subprocess
import sys

import numpy
from PIL import Image

W, H = 1920, 1080
MCU_ROWS = (H + 15) // 16


def run(args, **kw):
    return subprocess.run(args, check=True, timeout=120, **kw)


def encode(raw, slices, threads, out):
    run(["gst-launch-1.0", "-q", "filesrc", f"location={raw}", "!",
         "rawvideoparse", "format=rgb", f"width={W}", f"height={H}",
         "framerate=1/1", "!", "hfjpegenc", "quality=85", f"slices={slices}",
         f"threads={threads}", "queue-depth=1", "!", "filesink",
         f"location={out}"])
    return open(out, "rb").read()


def decodes(jpeg, out):
    """The RGB pixels of jpeg from each decoder, by name."""
    ppm = out + ".djpeg.ppm"
    run(["djpeg", "-outfile", ppm, jpeg])
    pixels = {"djpeg": numpy.asarray(Image.open(ppm).convert("RGB"))}
    pixels["PIL"] = numpy.asarray(Image.open(jpeg).convert("RGB"))
    rgb = run(["ffmpeg", "-v", "error", "-i", jpeg, "-f", "rawvideo",
               "-pix_fmt", "rgb24", "-"], capture_output=True).stdout
    pixels["ffmpeg"] = numpy.frombuffer(rgb, numpy.uint8).reshape(H, W, 3)
    raw = out + ".jpegdec.rgb"
    run(["gst-launch-1.0", "-q", "multifilesrc", f"location={jpeg}",
         "stop-index=0", "caps=image/jpeg,framerate=1/1", "!", "jpegdec",
         "!", "videoconvert", "!",
         "video/x-raw,format=RGB", "!", "filesink", f"location={raw}"])
    pixels["jpegdec"] = numpy.fromfile(raw, numpy.uint8).reshape(H, W, 3)
    return pixels


def psnr(a, b):
    mse = numpy.mean((a.astype(float) - b.astype(float)) ** 2)
    return 10 * math.log10(255 ** 2 / mse)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = numpy.random.default_rng(3)
    y, x = numpy.mgrid[0:H, 0:W]
    src = numpy.stack([(x * 255 // W), (y * 255 // H), ((x + y) % 256)], -1)
    src = numpy.clip(src + rng.integers(-24, 25, src.shape), 0, 255)
    src = src.astype(numpy.uint8)
    raw = os.path.join(out, "in.rgb")
    ppm = os.path.join(out, "in.ppm")
    src.tofile(raw)
    Image.fromarray(src).save(ppm)

    failures = 0

    def check(ok, what):
        nonlocal failures
        print(f"{'ok  ' if ok else 'FAIL'} {what}")
        failures += not ok

    plain_path = os.path.join(out, "slices-1.jpg")
    plain = encode(raw, 1, 1, plain_path)
    plain_pixels = decodes(plain_path, plain_path)
    print(f"slices=1: {len(plain)} bytes")
    for slices in (2, 3, 8):
        path = os.path.join(out, f"slices-{slices}.jpg")
        got = encode(raw, slices, 1, path)
        check(encode(raw, slices, 3, path + ".t3") == got,
              f"slices={slices}: the same bytes on 1 and 3 threads")
        r = (MCU_ROWS + slices - 1) // slices
        ref = os.path.join(out, f"cjpeg-restart-{r}.jpg")
        run(["cjpeg", "-quality", "85", "-sample", "2x2", "-restart", str(r),
             "-outfile", ref, ppm])
        check(open(ref, "rb").read() == got,
              f"slices={slices}: the bytes of cjpeg -restart {r}")
        for name, p in decodes(path, path).items():
            check(numpy.array_equal(p, plain_pixels[name]),
                  f"slices={slices}: {name} decodes it as the unsliced JPEG")
            a, b = psnr(p, src), psnr(plain_pixels[name], src)
            check(abs(a - b) <= 0.05, f"slices={slices}: {name}: PSNR "
                  f"{a:.3f} dB, unsliced {b:.3f} dB")
        check(abs(len(got) - len(plain)) <= 0.01 * len(plain),
              f"slices={slices}: {len(got)} bytes, unsliced {len(plain)}")
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
