#!/usr/bin/python3
"""hfjpegenc's colours from planar YUV of every range and matrix.

    yuv-colours.py OUTDIR

SMPTE bars from videotestsrc in I420, Y42B and Y444, limited and full
range, BT.601 and BT.709, go through `hfjpegenc quality=100`; ffmpeg
decodes the JPEG to RGB. The reference is the same YUV frame converted to
RGB by ffmpeg's swscale with exact rounding (accurate_rnd), reading the
frame's declared range and matrix. The mean absolute error must be at most
1.5 levels (it was 13 when the planes were written as they came: JFIF is
full-range BT.601): over the whole picture at 4:4:4; for I420 and Y42B,
whose JPEG keeps their chroma subsampling, over the pixels whose 5x5
neighbourhood is flat in the source, since at the bars' edges the JPEG
decoder and swscale upsample chroma differently (without any conversion,
full-range BT.601 I420 differs by 2 levels there).

videoconvert's RGB of the same frame is compared too, with a bound of 2.5:
its 8-bit limited-range path is itself 1.3 to 2 levels dark (white comes
out 253), so it cannot serve as the 1.5-level reference.
Needs Debian's /usr/bin/python3 (numpy), gst-launch-1.0 and ffmpeg.
"""

import os
import subprocess
import sys

import numpy

W, H = 320, 240
MAX_MAE = 1.5
MAX_MAE_VIDEOCONVERT = 2.5

# GStreamer format, ffmpeg pix_fmt
FORMATS = [("I420", "yuv420p"), ("Y42B", "yuv422p"), ("Y444", "yuv444p")]
# GStreamer colorimetry (range:matrix:transfer:primaries), ffmpeg range and
# matrix names
COLOURS = [
    ("2:4:5:4", "tv", "bt601", "limited BT.601"),
    ("2:3:5:1", "tv", "bt709", "limited BT.709"),
    ("1:4:5:4", "pc", "bt601", "full BT.601"),
    ("1:3:5:1", "pc", "bt709", "full BT.709"),
]


def run(cmd):
    subprocess.run(cmd, check=True)


def load(path):
    return numpy.fromfile(path, numpy.uint8).astype(numpy.int32)


# Chroma subsampling (horizontal, vertical shift) of each format.
SHIFTS = {"I420": (1, 1), "Y42B": (1, 0), "Y444": (0, 0)}


def flat_mask(yuv, gfmt):
    """Pixels whose 5x5 neighbourhood has one luma and one chroma value."""
    sx, sy = SHIFTS[gfmt]
    cw, ch = (W + sx) >> sx, (H + sy) >> sy
    y = yuv[:W * H].reshape(H, W)
    u = yuv[W * H:W * H + cw * ch].reshape(ch, cw)
    v = yuv[W * H + cw * ch:].reshape(ch, cw)
    rows, cols = numpy.arange(H) >> sy, numpy.arange(W) >> sx
    planes = [y, u[rows][:, cols], v[rows][:, cols]]
    flat = numpy.ones((H, W), bool)
    for p in planes:
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                flat &= p == numpy.roll(numpy.roll(p, dy, 0), dx, 1)
    return numpy.repeat(flat.reshape(-1), 3)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    failed = 0
    for gfmt, pix in FORMATS:
        for cm, rng, matrix, what in COLOURS:
            base = os.path.join(out, f"{gfmt}-{rng}-{matrix}")
            caps = (f"video/x-raw,format={gfmt},width={W},height={H},"
                    f"colorimetry={cm}")
            run(["gst-launch-1.0", "-q", "videotestsrc", "num-buffers=1",
                 "!", caps, "!", "tee", "name=t",
                 "t.", "!", "queue", "!", "filesink",
                 f"location={base}.yuv",
                 "t.", "!", "queue", "!", "videoconvert", "dither=none", "!",
                 "video/x-raw,format=RGB", "!", "filesink",
                 f"location={base}.videoconvert.rgb",
                 "t.", "!", "queue", "!", "hfjpegenc", "quality=100", "!",
                 "filesink", f"location={base}.jpg"])
            run(["ffmpeg", "-v", "error", "-y", "-i", f"{base}.jpg", "-f",
                 "rawvideo", "-pix_fmt", "rgb24", f"{base}.rgb"])
            run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo",
                 "-pix_fmt", pix, "-s", f"{W}x{H}", "-i", f"{base}.yuv",
                 "-vf", f"scale=in_range={rng}:in_color_matrix={matrix}:"
                 "flags=accurate_rnd+full_chroma_int+bitexact",
                 "-f", "rawvideo", "-pix_fmt", "rgb24", f"{base}.ref.rgb"])
            ours = load(f"{base}.rgb")
            mask = (flat_mask(load(f"{base}.yuv"), gfmt) if gfmt != "Y444"
                    else numpy.ones(ours.shape, bool))
            mae = numpy.abs(ours - load(f"{base}.ref.rgb"))[mask].mean()
            mae_vc = numpy.abs(ours -
                               load(f"{base}.videoconvert.rgb"))[mask].mean()
            ok = mae <= MAX_MAE and mae_vc <= MAX_MAE_VIDEOCONVERT
            failed += not ok
            area = "flat areas" if gfmt != "Y444" else "whole picture"
            print(f"{'ok  ' if ok else 'FAIL'} {gfmt} {what} ({area}, "
                  f"{mask.mean():.0%}): MAE {mae:.2f} "
                  f"against ffmpeg (at most {MAX_MAE}), {mae_vc:.2f} against "
                  f"videoconvert (at most {MAX_MAE_VIDEOCONVERT})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
