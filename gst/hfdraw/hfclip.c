/* hfclip: streaming polygon clipping to a box (hfclip.h). Engine code: no
 * GStreamer. */
#include "hfclip.h"

#include <string.h>

void
hf_poly_clip_init (HfPolyClip * c, HfPath * out, const double box[4])
{
  memset (c, 0, sizeof (*c));
  c->box[0] = box[0];
  c->box[1] = box[1];
  c->box[2] = box[2];
  c->box[3] = box[3];
  c->out = out;
}

/* Side k keeps x >= x0, y >= y0, x <= x1, y <= y1 (k = 0..3). */
static inline gboolean
inside (const HfPolyClip * c, int k, const double *p)
{
  switch (k) {
    case 0:
      return p[0] >= c->box[0];
    case 1:
      return p[1] >= c->box[1];
    case 2:
      return p[0] <= c->box[2];
    default:
      return p[1] <= c->box[3];
  }
}

/* Where segment a-b crosses side k. */
static void
cross (const HfPolyClip * c, int k, const double *a, const double *b,
    double *out)
{
  int axis = k % 2;
  double edge = c->box[k], t = (edge - a[axis]) / (b[axis] - a[axis]);

  out[axis] = edge;
  out[1 - axis] = a[1 - axis] + t * (b[1 - axis] - a[1 - axis]);
}

static void feed (HfPolyClip * c, int k, const double *p);

static void
emit (HfPolyClip * c, int k, const double *p)
{
  if (k + 1 < 4) {
    feed (c, k + 1, p);
  } else if (!c->started) {
    hf_path_move_to (c->out, p[0], p[1]);
    c->started = TRUE;
  } else {
    hf_path_line_to (c->out, p[0], p[1]);
  }
}

/* The edge from side k's previous point to p, through side k. */
static void
edge (HfPolyClip * c, int k, const double *p)
{
  HfClipSide *s = &c->side[k];
  gboolean in_prev = inside (c, k, s->prev), in_p = inside (c, k, p);
  double x[2];

  if (in_prev != in_p) {
    cross (c, k, s->prev, p, x);
    emit (c, k, x);
  }
}

static void
feed (HfPolyClip * c, int k, const double *p)
{
  HfClipSide *s = &c->side[k];

  if (!s->have) {
    s->first[0] = p[0];
    s->first[1] = p[1];
    s->have = TRUE;
  } else {
    edge (c, k, p);
  }
  if (inside (c, k, p))
    emit (c, k, p);
  s->prev[0] = p[0];
  s->prev[1] = p[1];
}

void
hf_poly_clip_point (HfPolyClip * c, double x, double y)
{
  const double p[2] = { x, y };

  feed (c, 0, p);
}

void
hf_poly_clip_close (HfPolyClip * c)
{
  int k;

  /* Each side's closing edge, in turn: what it emits goes to the sides
   * after it before they close. */
  for (k = 0; k < 4; k++) {
    HfClipSide *s = &c->side[k];
    if (s->have)
      edge (c, k, s->first);
    s->have = FALSE;
  }
  if (c->started)
    hf_path_close (c->out);
  c->started = FALSE;
}

gboolean
hf_poly_clip_beyond_one_side (const HfPolyClip * c, const double *xy, int n)
{
  int k, i;

  for (k = 0; k < 4; k++) {
    for (i = 0; i < n && !inside (c, k, xy + 2 * i); i++);
    if (i == n)
      return TRUE;
  }
  return FALSE;
}
