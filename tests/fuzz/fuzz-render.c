/* libFuzzer target: parse a composition, then evaluate and draw it at
 * fuzzed times (NaN, infinities, huge and negative ones included) into
 * small canvases of fuzzed size (1..64) in every HfCanvasFormat.
 *
 * Input layout: a 30-byte header, then the markup.
 *   [0] width - 1 (mod 64)   [1] height - 1 (mod 64)
 *   [2] bits 0-1: format, bit 2: pad each row (stride > width * 4)
 *   [3..29] three times, each a selector byte and 8 bytes (see pick_time)
 *
 * Checks beyond "no crash": the renderer never writes into a row's padding
 * (ASan cannot see that: it is inside the allocation), a composition with
 * an opaque background gives alpha 255 everywhere, and the same time
 * drawn twice gives the same pixels. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hfcomp.h"

#define HEADER_SIZE 30
/* Bounds the work per input: a few KiB of markup is plenty to reach every
 * element and attribute, and keeps one input well under a second. */
#define MAX_MARKUP 16384
#define MAX_SIDE 64
#define PAD 8
#define GUARD 0xA5

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static HfRenderer *renderer;
static uint8_t pixels[MAX_SIDE * (MAX_SIDE * 4 + PAD)];
static uint8_t first[MAX_SIDE * (MAX_SIDE * 4 + PAD)];

static double
pick_time (const uint8_t * p)
{
  double raw;
  uint32_t u;

  memcpy (&raw, p + 1, sizeof (raw));
  memcpy (&u, p + 1, sizeof (u));
  switch (p[0] % 10) {
    case 0:
      return raw;               /* any bit pattern: NaN payloads, denormals */
    case 1:
      return NAN;
    case 2:
      return INFINITY;
    case 3:
      return -INFINITY;
    case 4:
      return 1e300;
    case 5:
      return -(double) (u % 1000);
    case 6:
      return DBL_MAX;
    default:
      return (double) (u % 100000) / 1000.0;    /* 0..100 s, realistic */
  }
}

static const HfCanvasFormat formats[4] = {
  HF_CANVAS_RGBA, HF_CANVAS_BGRA, HF_CANVAS_RGBX, HF_CANVAS_BGRX,
};

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  HfComposition *comp;
  HfCompInfo info;
  HfCanvas canvas;
  GError *error = NULL;
  int width, height, stride, i, x, y;
  gboolean pad;
  HfCanvasFormat format;

  if (size < HEADER_SIZE || size - HEADER_SIZE > MAX_MARKUP)
    return 0;
  if (renderer == NULL)
    renderer = hf_renderer_new ();

  width = data[0] % MAX_SIDE + 1;
  height = data[1] % MAX_SIDE + 1;
  format = formats[data[2] & 3];
  pad = (data[2] & 4) != 0;
  stride = width * 4 + (pad ? PAD : 0);

  comp = hf_composition_new_from_data ((const char *) data + HEADER_SIZE,
      (gssize) (size - HEADER_SIZE), "fuzz", &error);
  if (comp == NULL) {
    g_clear_error (&error);
    return 0;
  }
  hf_composition_get_info (comp, &info);

  for (i = 0; i < 3; i++) {
    double t = pick_time (data + 3 + 9 * i);
    double t_prev = i > 0 ? pick_time (data + 3 + 9 * (i - 1)) : 0.0;

    (void) hf_composition_changes_between (comp, t_prev, t);

    memset (pixels, GUARD, sizeof (pixels));
    hf_canvas_init (&canvas, pixels, width, height, stride, format);
    hf_composition_render (comp, renderer, &canvas, t);

    for (y = 0; y < height; y++) {
      const uint8_t *row = pixels + (size_t) y * stride;
      for (x = width * 4; x < stride; x++)
        if (row[x] != GUARD)
          abort ();             /* wrote into the row padding */
      if (info.opaque && canvas.has_alpha)
        for (x = 0; x < width; x++)
          if (row[x * 4 + canvas.a_off] != 255)
            abort ();           /* opaque background must stay opaque */
    }
    for (y = height * stride; y < (int) sizeof (pixels); y++)
      if (pixels[y] != GUARD)
        abort ();               /* wrote past the last row */

    /* Determinism: the first time again, through the same renderer
     * (whose scratch memory now holds the other frames' state). */
    if (i == 0)
      memcpy (first, pixels, (size_t) height * stride);
  }

  memset (pixels, GUARD, sizeof (pixels));
  hf_canvas_init (&canvas, pixels, width, height, stride, format);
  hf_composition_render (comp, renderer, &canvas, pick_time (data + 3));
  if (memcmp (first, pixels, (size_t) height * stride) != 0)
    abort ();

  hf_composition_free (comp);
  return 0;
}
