/* hfcomp: drawing a parsed composition (its timeline: hfcompeval.c).
 *
 * The composition is read-only once parsed, so any number of renderers
 * (one per thread) may draw it at once. Values are evaluated into stack
 * arrays while walking the tree (depth <= HF_COMP_MAX_DEPTH); the renderer
 * holds the only scratch memory (paths, raster rows, a text buffer,
 * layers), which stops growing after the first frames. */
#include "hfcomp-private.h"
#include "hfdraw-testing.h"
#include "hfclip.h"
#include "hflayer.h"
#include "hfpath-private.h"

#include <math.h>
#include <string.h>

struct HfRenderer
{
  HfRaster *raster;
  HfPath *local;                /* the shape in its local coordinates */
  HfPath *outline;              /* a stroke outline, local coordinates */
  HfPath *contour;              /* one contour of a path, for stroking */
  HfPath *device;               /* what is filled, canvas pixels */
  HfLayers *layers;             /* offscreen layers and masks */
  HfTextBuf text;               /* text with placeholders substituted */
  guint64 n_clears;             /* background fills, for tests */
  guint64 n_layer_px;           /* pixels composited from layers, tests */
};

/* ---- rendering ---------------------------------------------------- */

HfRenderer *
hf_renderer_new (void)
{
  HfRenderer *r = g_new0 (HfRenderer, 1);

  r->raster = hf_raster_new ();
  r->local = hf_path_new ();
  r->outline = hf_path_new ();
  r->contour = hf_path_new ();
  r->device = hf_path_new ();
  r->layers = hf_layers_new ();
  return r;
}

void
hf_renderer_free (HfRenderer * r)
{
  if (r == NULL)
    return;
  hf_raster_free (r->raster);
  hf_path_free (r->local);
  hf_path_free (r->outline);
  hf_path_free (r->contour);
  hf_path_free (r->device);
  hf_layers_free (r->layers);
  g_free (r->text.data);
  g_free (r);
}

typedef struct
{
  const HfComposition *comp;
  HfRenderer *r;
  HfCanvas *canvas;
  double t;
  int depth;                    /* layers in use below this one */
  HfRect *dirty;                /* drawing into a layer: what it touched */
} DrawCtx;

static guint8
clamp_channel (double v)
{
  if (!(v > 0.0))
    return 0;
  if (v >= 255.0)
    return 255;
  return (guint8) lround (v);
}

static double
clamp01 (double v)
{
  if (!(v > 0.0))
    return 0.0;
  return v > 1.0 ? 1.0 : v;
}

static gboolean
matrix_is_sane (const HfMatrix * m)
{
  /* Nested scales can overflow; such shapes are not drawn. */
  const double lim = 1e12;
  return fabs (m->xx) < lim && fabs (m->yx) < lim && fabs (m->xy) < lim
      && fabs (m->yy) < lim && fabs (m->x0) < lim && fabs (m->y0) < lim;
}

static void
setup_paint (const DrawCtx * dc, HfPaint * paint, int gradient,
    const double *color, const HfMatrix * m, double opacity)
{
  memset (paint, 0, sizeof (*paint));
  paint->opacity = opacity;
  if (gradient >= 0) {
    const HfGradient *g = &dc->comp->gradients[gradient];
    paint->type = g->type;
    paint->x0 = g->x0;
    paint->y0 = g->y0;
    paint->x1 = g->x1;
    paint->y1 = g->y1;
    paint->r = g->r;
    paint->n_stops = g->n_stops;
    memcpy (paint->stops, g->stops, g->n_stops * sizeof (HfStop));
    /* Gradient coordinates are in the shape's local space. */
    paint->to_paint = *m;
    if (!hf_matrix_invert (&paint->to_paint))
      paint->opacity = 0.0;
  } else {
    paint->type = HF_PAINT_SOLID;
    paint->color.r = clamp_channel (color[0]);
    paint->color.g = clamp_channel (color[1]);
    paint->color.b = clamp_channel (color[2]);
    paint->color.a = clamp_channel (color[3]);
    if (paint->color.a == 0)
      paint->opacity = 0.0;
  }
}

static void
fill_local (const DrawCtx * dc, const HfPath * local, const HfMatrix * m,
    const HfPaint * paint, HfFillRule rule)
{
  HfRenderer *r = dc->r;

  if (paint->opacity <= 0.0)
    return;
  hf_path_clear (r->device);
  hf_path_append (r->device, local, m);
  hf_raster_fill_with_rule (r->raster, dc->canvas, r->device, paint, rule);
  if (dc->dirty) {
    double x0, y0, x1, y1;
    if (hf_path_bounds (r->device, &x0, &y0, &x1, &y1))
      hf_rect_add (dc->dirty, x0, y0, x1, y1, dc->canvas->width,
          dc->canvas->height);
  }
}

/* Shapes are built in local space and then transformed, so curves are
 * flattened to 0.1 px in canvas space: 0.1 / the transform's largest
 * scale (its longest column, exact for scale and rotation), clamped so a
 * huge scale cannot ask for unbounded segments nor a tiny one for none. */
static void
set_tolerance (HfRenderer * r, const HfMatrix * m)
{
  double sx = hypot (m->xx, m->yx), sy = hypot (m->xy, m->yy);
  double s = MAX (sx, sy), tol = 0.1;

  if (s > 0.0 && isfinite (s))
    tol = CLAMP (0.1 / s, 1e-4, 100.0);
  hf_path_set_tolerance (r->local, tol);
  hf_path_set_tolerance (r->contour, tol);
  hf_path_set_tolerance (r->outline, tol);
}

/* Points [first, end) of a polygon or path as one contour of p; cubics
 * are flattened with p's tolerance (set from the final transform). */
static void
add_contour (HfPath * p, const HfElement * el, guint first, guint end)
{
  const double *q = el->points;
  guint i;

  hf_path_move_to (p, q[2 * first], q[2 * first + 1]);
  for (i = first + 1; i < end; i++) {
    if (el->point_kinds && el->point_kinds[i] == HF_PT_CTRL && i + 2 < end) {
      hf_path_cubic_to (p, q[2 * i], q[2 * i + 1], q[2 * i + 2],
          q[2 * i + 3], q[2 * i + 4], q[2 * i + 5]);
      i += 2;
    } else {
      hf_path_line_to (p, q[2 * i], q[2 * i + 1]);
    }
  }
}

/* The canvas seen through m in local space (the bounding box of its
 * corners mapped back, widened by margin local units and by 2 canvas
 * pixels for anti-aliasing): everything outside box (x0, y0, x1, y1) is
 * off the canvas. FALSE (unbounded) when m cannot be inverted. */
static gboolean
visible_box (const DrawCtx * dc, const HfMatrix * m, double margin,
    double box[4])
{
  const double cx[4] = { -2, dc->canvas->width + 2, -2,
    dc->canvas->width + 2
  };
  const double cy[4] = { -2, -2, dc->canvas->height + 2,
    dc->canvas->height + 2
  };
  HfMatrix inv = *m;
  int i;

  if (!hf_matrix_invert (&inv))
    return FALSE;
  for (i = 0; i < 4; i++) {
    double x = cx[i], y = cy[i];

    hf_matrix_transform_point (&inv, &x, &y);
    if (!isfinite (x) || !isfinite (y))
      return FALSE;
    box[0] = i == 0 ? x : MIN (box[0], x);
    box[2] = i == 0 ? x : MAX (box[2], x);
    box[1] = i == 0 ? y : MIN (box[1], y);
    box[3] = i == 0 ? y : MAX (box[3], y);
  }
  margin = isfinite (margin) ? fabs (margin) : 0;
  box[0] -= margin;
  box[1] -= margin;
  box[2] += margin;
  box[3] += margin;
  return TRUE;
}

/* The outlines of a text into r->local. A static text was shaped at load;
 * one with placeholders is shaped here, every frame. */
static void
build_text (const DrawCtx * dc, const HfElement * el, const double *v,
    const HfMatrix * m)
{
  const HfFontChain *chain = el->font >= 0 ? &dc->comp->chains[el->font]
      : NULL;
  HfShaped *own = NULL;
  const HfShaped *s = el->shaped;
  HfTextLayout l;

  if (el->text_dynamic) {
    const char *t = hf_comp_format_text (&dc->comp->info, dc->t, el->text,
        &dc->r->text);
    own = chain ? hf_type_shape (chain->faces, chain->n_faces, t)
        : hf_font_shape (t);
    s = own;
  }
  hf_text_layout_init (&l, v[HF_SLOT_X], v[HF_SLOT_Y], v[HF_SLOT_SIZE],
      el->align);
  l.letter_spacing = v[HF_SLOT_LETTER_SPACING];
  l.max_width = v[HF_SLOT_MAX_WIDTH];
  l.line_height = v[HF_SLOT_LINE_HEIGHT];
  /* Glyphs off the canvas are never built (a line far longer than the
   * frame costs what its visible part does), with the stroke's width to
   * spare. */
  {
    double box[4];
    if (visible_box (dc, m, v[HF_SLOT_STROKE_WIDTH], box)) {
      l.clip_x0 = box[0];
      l.clip_y0 = box[1];
      l.clip_x1 = box[2];
      l.clip_y1 = box[3];
    }
  }
  if (chain)
    hf_type_layout_path (dc->r->local, chain->faces, s, &l);
  else
    hf_font_layout_path (dc->r->local, s, &l, MAX (0.1, v[HF_SLOT_WEIGHT]));
  hf_shaped_free (own);
}

/* The fill of a polygon or path into r->local, clipped to what the
 * canvas can show (hfclip.h): a shape far larger than the frame costs
 * what its visible part does. A curve wholly beyond one side of the
 * frame is not even flattened. */
static void
build_fill_contours (const DrawCtx * dc, const HfElement * el,
    const HfMatrix * m)
{
  HfRenderer *r = dc->r;
  const double *q = el->points;
  double box[4];
  HfPolyClip clip;
  guint c, i, first = 0;

  if (!visible_box (dc, m, 0.0, box)) {
    for (c = 0; c < el->n_contours; c++) {
      add_contour (r->local, el, first, el->contour_ends[c]);
      hf_path_close (r->local);
      first = el->contour_ends[c];
    }
    return;
  }
  hf_poly_clip_init (&clip, r->local, box);
  for (c = 0; c < el->n_contours; c++) {
    guint end = el->contour_ends[c];

    hf_poly_clip_point (&clip, q[2 * first], q[2 * first + 1]);
    for (i = first + 1; i < end; i++) {
      if (el->point_kinds && el->point_kinds[i] == HF_PT_CTRL && i + 2 < end) {
        /* From the previous point, through two controls, to i + 2. */
        if (!hf_poly_clip_beyond_one_side (&clip, q + 2 * (i - 1), 4)) {
          int k;
          hf_path_clear (r->contour);
          hf_path_move_to (r->contour, q[2 * i - 2], q[2 * i - 1]);
          hf_path_cubic_to (r->contour, q[2 * i], q[2 * i + 1], q[2 * i + 2],
              q[2 * i + 3], q[2 * i + 4], q[2 * i + 5]);
          for (k = 1; k < r->contour->n_pts - 1; k++)
            hf_poly_clip_point (&clip, r->contour->pts[2 * k],
                r->contour->pts[2 * k + 1]);
        }
        i += 2;
      }
      hf_poly_clip_point (&clip, q[2 * i], q[2 * i + 1]);
    }
    hf_poly_clip_close (&clip);
    first = end;
  }
}

/* Builds the local path of a shape into r->local. Returns FALSE when
 * there is nothing to draw. */
static gboolean
build_shape (const DrawCtx * dc, const HfElement * el, const double *v,
    const HfMatrix * m)
{
  HfRenderer *r = dc->r;

  hf_path_clear (r->local);
  set_tolerance (r, m);
  switch (el->type) {
    case HF_EL_RECT:
      if (!(v[HF_SLOT_WIDTH] > 0.0 && v[HF_SLOT_HEIGHT] > 0.0))
        return FALSE;
      hf_path_rect (r->local, v[HF_SLOT_X], v[HF_SLOT_Y], v[HF_SLOT_WIDTH],
          v[HF_SLOT_HEIGHT], MAX (0.0, v[HF_SLOT_RADIUS]));
      return TRUE;
    case HF_EL_ELLIPSE:
      if (!(v[HF_SLOT_RX] > 0.0 && v[HF_SLOT_RY] > 0.0))
        return FALSE;
      hf_path_ellipse (r->local, v[HF_SLOT_CX], v[HF_SLOT_CY],
          v[HF_SLOT_RX], v[HF_SLOT_RY]);
      return TRUE;
    case HF_EL_POLYGON:
    case HF_EL_PATH:
      build_fill_contours (dc, el, m);
      return TRUE;
    case HF_EL_TEXT:
      if (el->text == NULL || el->text[0] == '\0' || !(v[HF_SLOT_SIZE] > 0.0))
        return FALSE;
      build_text (dc, el, v, m);
      return TRUE;
    case HF_EL_GROUP:
    case HF_EL_IMAGE:          /* draw_image */
    case HF_EL_N_TYPES:
      break;
  }
  return FALSE;
}

/* The stroke outline of the shape in r->local, into r->outline, in the
 * element's stroke style at this time. */
static void
build_outline (const DrawCtx * dc, const HfElement * el, const double *v,
    const HfMatrix * m)
{
  HfRenderer *r = dc->r;
  HfStrokeStyle style;
  guint c, first = 0;
  double box[4];

  hf_stroke_style_init (&style, v[HF_SLOT_STROKE_WIDTH]);
  style.join = el->line_join;
  style.miter_limit = el->miter_limit;
  style.cap = el->line_cap;
  style.dashes = el->dashes;
  style.n_dashes = (int) el->n_dashes;
  style.dash_offset = v[HF_SLOT_DASH_OFFSET];
  style.trim_start = v[HF_SLOT_TRIM_START];
  style.trim_end = v[HF_SLOT_TRIM_END];
  /* What lies off the canvas is not outlined: a long path mostly outside
   * the frame costs what its visible part does. */
  if (visible_box (dc, m, 0.0, box))
    style.clip = box;

  hf_path_clear (r->outline);
  /* Polygons and paths are stroked from their own points: r->local holds
   * only their fill's visible part. */
  if (el->type != HF_EL_PATH && el->type != HF_EL_POLYGON) {
    hf_path_stroke_styled (r->outline, r->local, &style, NULL);
    return;
  }
  /* Path contours are open unless closed with Z; all of them together, so
   * that trimming runs along the whole path. */
  hf_path_clear (r->contour);
  for (c = 0; c < el->n_contours; c++) {
    add_contour (r->contour, el, first, el->contour_ends[c]);
    hf_path_close (r->contour);
    first = el->contour_ends[c];
  }
  if (hf_path_n_contours (r->contour) == (int) el->n_contours) {
    hf_path_stroke_styled (r->outline, r->contour, &style, el->contour_closed);
    return;
  }
  /* The path builder dropped a lone moveto, so contours and closed flags
   * no longer pair up: stroke contour by contour (trim then applies to
   * each one). */
  for (c = 0, first = 0; c < el->n_contours; c++) {
    gboolean closed = el->contour_closed[c];

    hf_path_clear (r->contour);
    add_contour (r->contour, el, first, el->contour_ends[c]);
    hf_path_close (r->contour);
    hf_path_stroke_styled (r->outline, r->contour, &style, &closed);
    first = el->contour_ends[c];
  }
}

/* The default transform origin: the centre of the shape (for text, the
 * anchor at half the cap height), as CSS transforms default to the box
 * centre. Groups default to their local (0, 0). */
static void
default_origin (const HfElement * el, const double *v, double *ox, double *oy)
{
  switch (el->type) {
    case HF_EL_RECT:
    case HF_EL_IMAGE:
      *ox = v[HF_SLOT_X] + v[HF_SLOT_WIDTH] / 2.0;
      *oy = v[HF_SLOT_Y] + v[HF_SLOT_HEIGHT] / 2.0;
      break;
    case HF_EL_ELLIPSE:
      *ox = v[HF_SLOT_CX];
      *oy = v[HF_SLOT_CY];
      break;
    case HF_EL_POLYGON:
    case HF_EL_PATH:
      *ox = el->center_x;
      *oy = el->center_y;
      break;
    case HF_EL_TEXT:
      *ox = v[HF_SLOT_X];
      *oy = v[HF_SLOT_Y] - 0.35 * v[HF_SLOT_SIZE];
      break;
    default:
      *ox = *oy = 0.0;
      break;
  }
}

/* local-to-canvas = translate(-origin), scale, rotate,
 * translate(origin + translate [+ x, y for groups]), then the parent's. */
static void
element_matrix (const HfElement * el, const double *v, const HfMatrix * pm,
    HfMatrix * m)
{
  HfMatrix step;
  double ox, oy, tx, ty;

  default_origin (el, v, &ox, &oy);
  if (el->origin_x_set)
    ox = v[HF_SLOT_ORIGIN_X];
  if (el->origin_y_set)
    oy = v[HF_SLOT_ORIGIN_Y];
  tx = v[HF_SLOT_TRANSLATE_X];
  ty = v[HF_SLOT_TRANSLATE_Y];
  if (el->type == HF_EL_GROUP) {
    tx += v[HF_SLOT_X];
    ty += v[HF_SLOT_Y];
  }

  hf_matrix_init_translate (m, -ox, -oy);
  hf_matrix_init_scale (&step, v[HF_SLOT_SCALE] * v[HF_SLOT_SCALE_X],
      v[HF_SLOT_SCALE] * v[HF_SLOT_SCALE_Y]);
  hf_matrix_multiply (m, m, &step);
  if (v[HF_SLOT_ROTATE] != 0.0) {
    hf_matrix_init_rotate (&step, v[HF_SLOT_ROTATE] * G_PI / 180.0);
    hf_matrix_multiply (m, m, &step);
  }
  hf_matrix_init_translate (&step, ox + tx, oy + ty);
  hf_matrix_multiply (m, m, &step);
  hf_matrix_multiply (m, m, pm);
}

static void draw_children (const DrawCtx * dc, const HfElement * parent,
    const HfMatrix * pm, double parent_opacity);

/* An image: its box (x, y, width, height) filled as CSS object-fit says,
 * the picture sampled through the inverse of the final transform, the
 * drawn rectangle's edges anti-aliased like any shape's. */
static void
draw_image (const DrawCtx * dc, const HfElement * el, const double *v,
    const HfMatrix * m, double opacity)
{
  const HfImage *img = g_ptr_array_index (dc->comp->images, el->image);
  double bx = v[HF_SLOT_X], by = v[HF_SLOT_Y];
  double bw = v[HF_SLOT_WIDTH], bh = v[HF_SLOT_HEIGHT];
  double iw = img->width, ih = img->height, sx, sy, rx, ry, x0, y0, x1, y1;
  HfMatrix inv = *m, step;
  HfPaint paint;

  if (!(bw > 0.0 && bh > 0.0) || !hf_matrix_invert (&inv))
    return;
  switch (el->fit) {
    case HF_FIT_CONTAIN:
      sx = sy = MIN (bw / iw, bh / ih);
      break;
    case HF_FIT_COVER:
      sx = sy = MAX (bw / iw, bh / ih);
      break;
    case HF_FIT_NONE:
      sx = sy = 1.0;
      break;
    default:
      sx = bw / iw;
      sy = bh / ih;
      break;
  }
  /* The picture is centred in the box; what shows is their overlap. */
  rx = bx + (bw - iw * sx) / 2.0;
  ry = by + (bh - ih * sy) / 2.0;
  x0 = MAX (bx, rx);
  y0 = MAX (by, ry);
  x1 = MIN (bx + bw, rx + iw * sx);
  y1 = MIN (by + bh, ry + ih * sy);
  if (!(x1 > x0 && y1 > y0))
    return;
  hf_path_clear (dc->r->local);
  hf_path_rect (dc->r->local, x0, y0, x1 - x0, y1 - y0, 0.0);

  memset (&paint, 0, sizeof (paint));
  paint.type = HF_PAINT_IMAGE;
  paint.image = img;
  paint.opacity = opacity;
  /* Canvas, to local, to the picture's pixels. */
  hf_matrix_init_translate (&step, -rx, -ry);
  hf_matrix_multiply (&paint.to_paint, &inv, &step);
  hf_matrix_init_scale (&step, 1.0 / sx, 1.0 / sy);
  hf_matrix_multiply (&paint.to_paint, &paint.to_paint, &step);
  fill_local (dc, dc->r->local, m, &paint, HF_FILL_NONZERO);
}

/* The element itself, at the given opacity: a group's children, an
 * image, or a shape's fill and then its stroke. */
static void
draw_content (const DrawCtx * dc, const HfElement * el, const double *v,
    const HfMatrix * m, double opacity)
{
  HfPaint paint;

  if (el->type == HF_EL_GROUP) {
    draw_children (dc, el, m, opacity);
    return;
  }
  if (el->type == HF_EL_IMAGE) {
    draw_image (dc, el, v, m, opacity);
    return;
  }
  if (!build_shape (dc, el, v, m))
    return;

  setup_paint (dc, &paint, el->fill_gradient, v + HF_SLOT_FILL, m, opacity);
  fill_local (dc, dc->r->local, m, &paint, el->fill_rule);

  if (v[HF_SLOT_STROKE_WIDTH] > 0.0) {
    setup_paint (dc, &paint, el->stroke_gradient, v + HF_SLOT_STROKE, m,
        opacity);
    if (paint.opacity > 0.0) {
      build_outline (dc, el, v, m);
      /* Stroke outlines overlap themselves: always non-zero. */
      fill_local (dc, dc->r->outline, m, &paint, HF_FILL_NONZERO);
    }
  }
}

static void draw_element (const DrawCtx * dc, const HfElement * el,
    const HfMatrix * pm, double parent_opacity);

/* An element drawn offscreen (docs/composition-format.md, "Layers"): its
 * content at full opacity into a transparent layer, then, over the
 * rectangle it touched, its shadow and the layer composited at its
 * opacity, both through its clip mask. */
static void
draw_layered (const DrawCtx * dc, const HfElement * el, const double *v,
    const HfMatrix * m, double opacity)
{
  HfLayers *layers = dc->r->layers;
  HfRect drawn = HF_RECT_EMPTY, clipped = HF_RECT_EMPTY;
  HfRect touched = HF_RECT_EMPTY;
  HfCanvas *layer = hf_layers_get (layers, dc->depth, dc->canvas);
  HfCanvas *mask = NULL;
  DrawCtx ldc = *dc;

  ldc.canvas = layer;
  ldc.depth = dc->depth + 1;
  ldc.dirty = &drawn;
  draw_content (&ldc, el, v, m, 1.0);
  if (hf_rect_is_empty (&drawn))
    return;

  if (el->clip >= 0) {
    /* The clip's shapes are in the element's local space, and their
     * times count from its data-start. */
    DrawCtx mdc = ldc;
    mask = hf_layers_get_mask (layers, dc->depth, dc->canvas);
    mdc.canvas = mask;
    mdc.dirty = &clipped;
    mdc.t = dc->t - el->begin;
    draw_element (&mdc, dc->comp->clips[el->clip], m, 1.0);
  }
  if (v[HF_SLOT_SHADOW_COLOR + 3] > 0.0) {
    /* Offsets and blur are local lengths, transformed with the element;
     * the blur is twice the Gaussian's standard deviation, as in CSS. */
    double dx = m->xx * v[HF_SLOT_SHADOW_X] + m->xy * v[HF_SLOT_SHADOW_Y];
    double dy = m->yx * v[HF_SLOT_SHADOW_X] + m->yy * v[HF_SLOT_SHADOW_Y];
    double scale = sqrt (fabs (m->xx * m->yy - m->xy * m->yx));
    HfRgba color = { clamp_channel (v[HF_SLOT_SHADOW_COLOR]),
      clamp_channel (v[HF_SLOT_SHADOW_COLOR + 1]),
      clamp_channel (v[HF_SLOT_SHADOW_COLOR + 2]),
      clamp_channel (v[HF_SLOT_SHADOW_COLOR + 3])
    };
    hf_layer_shadow (layers, dc->canvas, layer, &drawn, dx, dy,
        MAX (0.0, v[HF_SLOT_SHADOW_BLUR]) / 2.0 * scale, color, opacity, mask,
        &touched);
  }
  hf_layer_composite (layers, dc->canvas, layer, &drawn, opacity, mask);
  dc->r->n_layer_px += (guint64) (drawn.x1 - drawn.x0) * (drawn.y1 - drawn.y0);
  hf_rect_union (&touched, &drawn);
  if (dc->dirty)
    hf_rect_union (dc->dirty, &touched);
  hf_layer_clear (layer, &drawn);
  if (mask)
    hf_layer_clear (mask, &clipped);
}

static void
draw_element (const DrawCtx * dc, const HfElement * el, const HfMatrix * pm,
    double parent_opacity)
{
  double v[HF_N_SLOTS];
  double opacity;
  HfMatrix m;

  hf_element_eval (el, dc->t, v);
  opacity = clamp01 (v[HF_SLOT_OPACITY]) * parent_opacity;
  if (opacity <= 0.0)
    return;
  element_matrix (el, v, pm, &m);
  if (!matrix_is_sane (&m))
    return;

  /* A layer when a clip or a shadow needs one, and for a translucent
   * group, so that its children do not show through each other. */
  if ((el->clip >= 0 || v[HF_SLOT_SHADOW_COLOR + 3] > 0.0
          || (el->type == HF_EL_GROUP && opacity < 1.0))
      && dc->depth + 1 < HF_COMP_MAX_DEPTH)
    draw_layered (dc, el, v, &m, opacity);
  else
    draw_content (dc, el, v, &m, opacity);
}

static void
draw_children (const DrawCtx * dc, const HfElement * parent,
    const HfMatrix * pm, double parent_opacity)
{
  guint i;

  /* Children are sorted by track index: later ones draw on top. */
  for (i = 0; i < parent->n_children; i++) {
    const HfElement *el = parent->children[i];
    if (el->start <= dc->t && dc->t < el->end)
      draw_element (dc, el, pm, parent_opacity);
  }
}

/* TRUE when the lowest element visible at dc->t is a rect that paints
 * every canvas pixel opaquely: full opacity, an opaque colour or a
 * gradient whose stops are all opaque, no corner radius, no rotation, and
 * edges on or beyond the canvas edges. Every pixel is then fully covered
 * with alpha 255 and replaced, so clearing first would only fill twice. */
static gboolean
covers_canvas (const DrawCtx * dc, const HfMatrix * pm)
{
  const HfElement *el = NULL, *root = dc->comp->root;
  double v[HF_N_SLOTS], x0, y0, x1, y1;
  HfMatrix m;
  guint i;

  for (i = 0; i < root->n_children && el == NULL; i++)
    if (root->children[i]->start <= dc->t && dc->t < root->children[i]->end)
      el = root->children[i];
  if (el == NULL || el->type != HF_EL_RECT)
    return FALSE;
  hf_element_eval (el, dc->t, v);
  if (clamp01 (v[HF_SLOT_OPACITY]) != 1.0 || v[HF_SLOT_RADIUS] > 0.0
      || !(v[HF_SLOT_WIDTH] > 0.0 && v[HF_SLOT_HEIGHT] > 0.0)
      || el->clip >= 0)
    return FALSE;
  if (el->fill_gradient >= 0) {
    const HfGradient *g = &dc->comp->gradients[el->fill_gradient];
    if (g->n_stops <= 0)
      return FALSE;
    for (int k = 0; k < g->n_stops; k++)
      if (g->stops[k].color.a != 255)
        return FALSE;
  } else if (clamp_channel (v[HF_SLOT_FILL + 3]) != 255) {
    return FALSE;
  }
  element_matrix (el, v, pm, &m);
  if (!matrix_is_sane (&m) || m.xy != 0.0 || m.yx != 0.0 || m.xx == 0.0
      || m.yy == 0.0)
    return FALSE;
  x0 = m.xx * v[HF_SLOT_X] + m.x0;
  x1 = m.xx * (v[HF_SLOT_X] + v[HF_SLOT_WIDTH]) + m.x0;
  y0 = m.yy * v[HF_SLOT_Y] + m.y0;
  y1 = m.yy * (v[HF_SLOT_Y] + v[HF_SLOT_HEIGHT]) + m.y0;
  return MIN (x0, x1) <= 0.0 && MAX (x0, x1) >= dc->canvas->width
      && MIN (y0, y1) <= 0.0 && MAX (y0, y1) >= dc->canvas->height;
}

void
hf_composition_render (const HfComposition * comp, HfRenderer * r,
    HfCanvas * canvas, double t)
{
  hf_composition_render_scaled (comp, r, canvas, t, HF_SCALE_STRETCH);
}

void
hf_composition_render_scaled (const HfComposition * comp, HfRenderer * r,
    HfCanvas * canvas, double t, HfScaleMode mode)
{
  DrawCtx dc = { comp, r, canvas, t, 0, NULL };
  double sx, sy;
  HfMatrix m;

  g_return_if_fail (comp != NULL && r != NULL && canvas != NULL);

  if (!(t == t) || canvas->width <= 0 || canvas->height <= 0) {
    hf_canvas_clear (canvas, comp->background);
    r->n_clears++;
    return;
  }
  sx = (double) canvas->width / comp->info.width;
  sy = (double) canvas->height / comp->info.height;
  if (mode == HF_SCALE_STRETCH) {
    hf_matrix_init_scale (&m, sx, sy);
  } else {
    /* Uniform, centred; a letterbox shows the background around it. */
    double s = mode == HF_SCALE_FIT ? MIN (sx, sy) : MAX (sx, sy);
    HfMatrix c;

    hf_matrix_init_scale (&m, s, s);
    hf_matrix_init_translate (&c, (canvas->width - s * comp->info.width) / 2,
        (canvas->height - s * comp->info.height) / 2);
    hf_matrix_multiply (&m, &m, &c);
  }
  /* The background is filled at most once per frame: not at all when the
   * bottom element replaces every pixel anyway. */
  if (!covers_canvas (&dc, &m)) {
    hf_canvas_clear (canvas, comp->background);
    r->n_clears++;
  }
  draw_children (&dc, comp->root, &m, 1.0);
}

guint64
hf_renderer_get_layer_pixels (const HfRenderer * r)
{
  return r->n_layer_px;
}

guint64
hf_renderer_get_clear_count (const HfRenderer * r)
{
  return r->n_clears;
}
