/* hfraster: anti-aliased polygon filling and paint into 8-bit RGBA-family
 * canvases. Engine code: no GStreamer.
 *
 * Colours are non-premultiplied 8-bit, as GStreamer's RGBA means it.
 * Compositing is source-over. Fills use the non-zero winding rule with
 * coverage-based anti-aliasing, are clipped to the canvas, and cost in
 * proportion to the clipped bounding box of the shape, not the canvas.
 */
#ifndef __HF_RASTER_H__
#define __HF_RASTER_H__

#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  uint8_t r, g, b, a;
} HfRgba;

/* A 2D affine transform: x' = xx*x + xy*y + x0, y' = yx*x + yy*y + y0. */
typedef struct
{
  double xx, yx, xy, yy, x0, y0;
} HfMatrix;

void hf_matrix_init_identity (HfMatrix * m);
void hf_matrix_init_translate (HfMatrix * m, double tx, double ty);
void hf_matrix_init_scale (HfMatrix * m, double sx, double sy);
void hf_matrix_init_rotate (HfMatrix * m, double radians);
/* result = a then b (apply a first). result may alias a or b. */
void hf_matrix_multiply (HfMatrix * result, const HfMatrix * a,
    const HfMatrix * b);
gboolean hf_matrix_invert (HfMatrix * m);
void hf_matrix_transform_point (const HfMatrix * m, double *x, double *y);

/* A pixel buffer. The channel offsets let one rasteriser write RGBA, BGRA,
 * RGBx and BGRx at the same cost. Without alpha the fourth byte is 255. */
typedef struct
{
  uint8_t *pixels;
  int width;
  int height;
  int stride;
  int r_off, g_off, b_off, a_off;
  gboolean has_alpha;
} HfCanvas;

typedef enum
{
  HF_CANVAS_RGBA,
  HF_CANVAS_BGRA,
  HF_CANVAS_RGBX,
  HF_CANVAS_BGRX,
} HfCanvasFormat;

void hf_canvas_init (HfCanvas * c, uint8_t * pixels, int width, int height,
    int stride, HfCanvasFormat format);
/* Replaces every pixel (no blending). */
void hf_canvas_clear (HfCanvas * c, HfRgba color);
HfRgba hf_canvas_get_pixel (const HfCanvas * c, int x, int y);

typedef enum
{
  HF_PAINT_SOLID,
  HF_PAINT_LINEAR,
  HF_PAINT_RADIAL,
  HF_PAINT_IMAGE,
} HfPaintType;

#define HF_MAX_STOPS 16

typedef struct
{
  double offset;                /* 0..1 */
  HfRgba color;
} HfStop;

typedef struct
{
  HfPaintType type;
  HfRgba color;                 /* SOLID */
  /* LINEAR: from (x0,y0) to (x1,y1). RADIAL: centre (x0,y0), radius r.
   * IMAGE: image, whose level-0 pixels are the paint space (hfimage.h).
   * All in paint space; to_paint maps canvas pixel centres to it. */
  const struct HfImage *image;
  double x0, y0, x1, y1, r;
  HfMatrix to_paint;
  int n_stops;
  HfStop stops[HF_MAX_STOPS];   /* sorted by offset */
  double opacity;               /* 0..1, multiplies alpha */
} HfPaint;
/* Gradients pad beyond their ends and interpolate between stops in
 * premultiplied space, so a fade to a transparent stop keeps its hue. The
 * result is dithered with a fixed 4x4 ordered pattern (deterministic, no
 * banding). A gradient with no stops draws nothing; opacity <= 0 (or NaN)
 * draws nothing. */

/* A list of closed polygons (contours) in canvas pixel coordinates.
 * Storage grows as needed and is kept by hf_path_clear, so a path reused
 * across frames stops allocating. */
typedef struct HfPath HfPath;

HfPath *hf_path_new (void);
void hf_path_free (HfPath * p);
void hf_path_clear (HfPath * p);
/* Curves (ellipses, rounded corners, round joins and caps, glyph arcs)
 * added to p, or stroked into p, are flattened to within `tol` path units
 * of the true curve (default 0.1, i.e. 0.1 px for device-space paths).
 * A path later scaled by s should use 0.1 / s. Kept by hf_path_clear;
 * tol <= 0 restores the default. */
void hf_path_set_tolerance (HfPath * p, double tol);
void hf_path_move_to (HfPath * p, double x, double y);
void hf_path_line_to (HfPath * p, double x, double y);
/* A cubic Bezier from the current point, flattened so that no point of
 * the curve is further than the path's tolerance from the chords. */
void hf_path_cubic_to (HfPath * p, double x1, double y1, double x2,
    double y2, double x3, double y3);
void hf_path_close (HfPath * p);
/* Appends the contours of src transformed by m (m may be NULL). */
void hf_path_append (HfPath * p, const HfPath * src, const HfMatrix * m);
void hf_path_rect (HfPath * p, double x, double y, double w, double h,
    double radius);
void hf_path_ellipse (HfPath * p, double cx, double cy, double rx, double ry);
/* How a stroke is drawn, as in SVG. */
typedef enum
{
  HF_JOIN_ROUND,
  HF_JOIN_MITER,                /* a bevel where the miter exceeds the limit */
  HF_JOIN_BEVEL,
} HfLineJoin;

typedef enum
{
  HF_CAP_ROUND,
  HF_CAP_BUTT,
  HF_CAP_SQUARE,
} HfLineCap;

typedef struct
{
  double width;
  HfLineJoin join;
  double miter_limit;           /* miter length / width, >= 1 (SVG's 4) */
  HfLineCap cap;
  /* Dash pattern (lengths, alternately on and off; an odd count repeats
   * twice, as in SVG), restarting at each contour, shifted by
   * dash_offset. n_dashes 0: solid. */
  const double *dashes;
  int n_dashes;
  double dash_offset;
  /* Only the part from trim_start to trim_end of the total length of all
   * contours is stroked (fractions, 0 to 1; After Effects' Trim Paths).
   * A start after the end is the same range. */
  double trim_start, trim_end;
} HfStrokeStyle;

/* Round joins and caps, solid, untrimmed. */
void hf_stroke_style_init (HfStrokeStyle * style, double width);

/* Appends to dst the outline of src's contours stroked in `style`, as
 * contours that fill correctly with non-zero. closed[i] (NULL: all TRUE)
 * says whether contour i is a loop. src must not be dst. A contour of one
 * point (move_to then line_to the same point) gives a round or square dot
 * with those caps, nothing with butt caps. */
void hf_path_stroke_styled (HfPath * dst, const HfPath * src,
    const HfStrokeStyle * style, const gboolean * closed);
/* hf_path_stroke_styled with hf_stroke_style_init (width), every contour
 * closed or every one open. */
void hf_path_stroke (HfPath * dst, const HfPath * src, double width,
    gboolean closed);
int hf_path_n_contours (const HfPath * p);
/* Bounding box of all points; FALSE if empty. */
gboolean hf_path_bounds (const HfPath * p, double *x0, double *y0,
    double *x1, double *y1);

/* Scratch state of the rasteriser (coverage rows), reused across fills. */
typedef struct HfRaster HfRaster;

typedef enum
{
  HF_FILL_NONZERO,              /* inside where the winding is not 0 */
  HF_FILL_EVENODD,              /* inside where the winding is odd */
} HfFillRule;

HfRaster *hf_raster_new (void);
void hf_raster_free (HfRaster * r);
/* Fills with the non-zero rule. */
void hf_raster_fill (HfRaster * r, HfCanvas * c, const HfPath * path,
    const HfPaint * paint);
void hf_raster_fill_with_rule (HfRaster * r, HfCanvas * c,
    const HfPath * path, const HfPaint * paint, HfFillRule rule);
G_END_DECLS

#endif /* __HF_RASTER_H__ */
