#!/usr/bin/python3
"""hfjpegenc's restart markers against libjpeg's own encoder.

    restart-cjpeg.py OUTDIR

hfjpegenc makes a JPEG with restart markers from one TurboJPEG JPEG per
band (docs/hfjpegenc.md, "Restart markers and slices"). libjpeg-turbo's cjpeg makes
it with restart_in_rows. For the same RGB pixels, quality and sampling
the two files must be the same bytes: for each size (one MCU row, odd
heights), sampling (4:2:0, 4:2:2, 4:4:4) and interval (1, 2, 5 MCU rows,
and more rows than the picture has, where only DRI is written).
"""

import os
import random
import subprocess
import sys

SAMPLING = {"420": "2x2", "422": "2x1", "444": "1x1"}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = random.Random(5)
    failures = 0
    # Widths whose RGB rows need no padding (GStreamer pads to 4 bytes).
    for w, h in ((336, 250), (100, 33), (16, 8), (4, 1)):
        # A smooth gradient with noise: every coefficient matters.
        rgb = bytes(min(255, max(0, (x * 3 + y * 5 + c * 60) % 256 +
                                 rng.randint(-20, 20)))
                    for y in range(h) for x in range(w) for c in range(3))
        raw = os.path.join(out, f"in-{w}x{h}.rgb")
        ppm = os.path.join(out, f"in-{w}x{h}.ppm")
        with open(raw, "wb") as f:
            f.write(rgb)
        with open(ppm, "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (w, h) + rgb)
        for sub, sample in SAMPLING.items():
            for r in (1, 2, 5, 40):
                ref = os.path.join(out, f"cjpeg-{w}x{h}-{sub}-{r}.jpg")
                got = os.path.join(out, f"hf-{w}x{h}-{sub}-{r}.jpg")
                subprocess.run(["cjpeg", "-quality", "85", "-sample", sample,
                                "-restart", str(r), "-outfile", ref, ppm],
                               check=True)
                subprocess.run(
                    ["gst-launch-1.0", "-q", "filesrc", f"location={raw}",
                     "!", "rawvideoparse", "format=rgb", f"width={w}",
                     f"height={h}", "framerate=1/1", "!", "hfjpegenc",
                     "quality=85", f"subsampling={sub}",
                     f"restart-interval={r}", "!", "filesink",
                     f"location={got}"], check=True, timeout=60)
                same = open(ref, "rb").read() == open(got, "rb").read()
                print(f"{'ok  ' if same else 'FAIL'} {w}x{h} {sub} "
                      f"restart every {r} MCU rows")
                failures += not same
    print(f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
