/* hfcompprivate: the scene model shared by the parser (hfcompparse.c,
 * hfcompvalue.c) and the evaluator/renderer (hfcomp.c). Not installed. */
#ifndef __HF_COMP_PRIVATE_H__
#define __HF_COMP_PRIVATE_H__

#include "hfcomp.h"
#include "hfease.h"
#include "hffont.h"
#include "hftype.h"
#include "hfimage.h"

G_BEGIN_DECLS

/* Bounds on values so that arithmetic on them stays finite. */
#define HF_COMP_MAX_COORD 1e6   /* any numeric attribute, in magnitude */
/* It in words, and the reason a number beyond it is refused with. */
#define HF_COMP_NUMBER_LIMIT "numbers lie within ±1,000,000"
#define HF_COMP_NUMBER_RANGE "number out of range (" HF_COMP_NUMBER_LIMIT ")"
#define HF_COMP_MAX_PATH_POINTS 1000000 /* per <path>, after arcs and curves */
#define HF_COMP_MAX_TEXT 65536  /* bytes of one <text>, before placeholders */

/* Kinds of path points: a cubic is two CTRL points, then its ON end. */
enum
{
  HF_PT_ON = 0,
  HF_PT_CTRL = 1,
};
#define HF_COMP_MAX_REPEAT 1000000
/* Files larger than this are refused before reading. */
#define HF_COMP_MAX_FILE_SIZE (64 * 1024 * 1024)

typedef enum
{
  HF_EL_GROUP,
  HF_EL_RECT,
  HF_EL_ELLIPSE,
  HF_EL_POLYGON,
  HF_EL_PATH,
  HF_EL_TEXT,
  HF_EL_IMAGE,
  HF_EL_N_TYPES
} HfElementType;

/* Animatable values of an element, evaluated into a double array. A colour
 * takes four slots (r, g, b, a in 0..255, non-premultiplied). */
typedef enum
{
  HF_SLOT_X,
  HF_SLOT_Y,
  HF_SLOT_WIDTH,
  HF_SLOT_HEIGHT,
  HF_SLOT_RADIUS,
  HF_SLOT_CX,
  HF_SLOT_CY,
  HF_SLOT_RX,
  HF_SLOT_RY,
  HF_SLOT_SIZE,
  HF_SLOT_WEIGHT,
  HF_SLOT_OPACITY,
  HF_SLOT_STROKE_WIDTH,
  HF_SLOT_TRANSLATE_X,
  HF_SLOT_TRANSLATE_Y,
  HF_SLOT_SCALE,
  HF_SLOT_SCALE_X,
  HF_SLOT_SCALE_Y,
  HF_SLOT_ROTATE,
  HF_SLOT_ORIGIN_X,
  HF_SLOT_ORIGIN_Y,
  HF_SLOT_DASH_OFFSET,
  HF_SLOT_TRIM_START,
  HF_SLOT_TRIM_END,
  HF_SLOT_LETTER_SPACING,
  HF_SLOT_MAX_WIDTH,
  HF_SLOT_LINE_HEIGHT,
  HF_SLOT_SHADOW_X,
  HF_SLOT_SHADOW_Y,
  HF_SLOT_SHADOW_BLUR,
  HF_SLOT_FILL,                 /* 4 slots */
  HF_SLOT_STROKE = HF_SLOT_FILL + 4,    /* 4 slots */
  HF_SLOT_SHADOW_COLOR = HF_SLOT_STROKE + 4,    /* 4 slots */
  HF_N_SLOTS = HF_SLOT_SHADOW_COLOR + 4
} HfSlot;

typedef struct
{
  guint8 slot;
  guint8 n_slots;               /* 1, or 4 for a colour */
  gboolean forever;             /* repeat="-1" */
  gboolean yoyo;
  gboolean from_set;            /* from given; else the value held before */
  guint order;                  /* document order, breaks start ties */
  int repeat;                   /* extra iterations (>= 0 unless forever) */
  double start;                 /* absolute seconds */
  double duration;              /* one iteration, > 0 */
  double from[4], to[4];
  HfEase ease;
} HfTween;

typedef struct
{
  HfPaintType type;             /* LINEAR or RADIAL */
  double x0, y0, x1, y1, r;     /* element-local coordinates */
  int n_stops;
  HfStop stops[HF_MAX_STOPS];
} HfGradient;

/* A <font> and its fallbacks: the fonts a text tries, in order. */
typedef struct
{
  char *id;
  HfTypeface **faces;           /* owned by HfComposition.faces */
  guint n_faces;
} HfFontChain;

/* How an image fills its box, as CSS object-fit. */
typedef enum
{
  HF_FIT_FILL,
  HF_FIT_CONTAIN,
  HF_FIT_COVER,
  HF_FIT_NONE,
} HfImageFit;

typedef struct HfElement HfElement;

struct HfElement
{
  HfElementType type;
  guint order;                  /* document order */
  int track;                    /* data-track-index */
  double begin;                 /* absolute data-start, before clipping */
  double start, end;            /* visible window [start, end), absolute */
  double base[HF_N_SLOTS];
  gboolean origin_x_set, origin_y_set;

  HfTween *tweens;              /* sorted by slot, then start, then order */
  guint n_tweens;

  HfElement **children;         /* sorted by track, then document order */
  guint n_children;

  /* Paint: index into HfComposition.gradients, or -1 for the colour in
   * the FILL/STROKE slots. */
  int fill_gradient, stroke_gradient;
  /* clip-path: index into HfComposition.clips, or -1. */
  int clip;

  /* polygon / path: points as x,y pairs; contour_ends[i] is one past the
   * last point of contour i. point_kinds (paths only; NULL: every point is
   * on the outline) marks cubic control points, HF_PT_*. */
  HfFillRule fill_rule;         /* shapes: fill-rule, default nonzero */
  /* Stroke style (the animatable dash offset and trim are slots). */
  HfLineJoin line_join;
  HfLineCap line_cap;
  double miter_limit;
  double *dashes;               /* NULL: solid */
  guint n_dashes;
  double *points;
  guint8 *point_kinds;
  guint n_points;
  guint *contour_ends;
  gboolean *contour_closed;
  guint n_contours;
  double center_x, center_y;    /* bounding-box centre: default origin */

  /* text */
  char *text;
  gboolean text_dynamic;        /* has a time placeholder */
  HfAlign align;
  int font;                     /* HfComposition.chains index; -1: built-in */
  HfShaped *shaped;             /* a static text, shaped at load */

  /* image */
  int image;                    /* HfComposition.images index */
  HfImageFit fit;
};

struct HfComposition
{
  HfCompInfo info;
  HfRgba background;
  HfElement *root;              /* a group spanning [0, duration) */
  HfGradient *gradients;
  guint n_gradients;
  GPtrArray *faces;             /* HfTypeface, each file and index once */
  HfFontChain *chains;
  guint n_chains;
  GPtrArray *images;            /* HfImage, each file once */
  /* <clipPath>s: groups whose times count from the clipped element's
   * data-start; animated[i] when one of its shapes moves or comes and
   * goes. */
  HfElement **clips;
  gboolean *clips_animated;
  guint n_clips;
  guint n_nodes;
  /* For changes_between: sorted instants where a clip starts or ends or a
   * tween starts or ends, and sorted disjoint open spans where a tween or
   * a time placeholder keeps changing the picture. */
  double *events;
  guint n_events;
  double *spans;                /* pairs (a, b) */
  guint n_spans;
};

/* hfcompvalue.c: attribute value syntax. All return FALSE on malformed
 * input; numbers must be finite and within ±HF_COMP_MAX_COORD. */
gboolean hf_comp_parse_number (const char *s, double *out);
/* The same without the range: any well-formed number (±inf when it
 * overflows a double), so that a caller can say it is out of range. */
gboolean hf_comp_parse_decimal (const char *s, double *out);
gboolean hf_comp_parse_int (const char *s, gint64 * out);
gboolean hf_comp_parse_color (const char *s, HfRgba * out);
gboolean hf_comp_parse_fps (const char *s, int *fps_n, int *fps_d);
/* "x,y x,y ...": fills a GArray of doubles. *why is set on failure. */
/* Numbers separated by white space and/or commas; at least one. */
gboolean hf_comp_parse_numbers (const char *s, GArray * out,
    const char **why);
gboolean hf_comp_parse_points (const char *s, GArray * coords,
    const char **why);
/* SVG path data, the whole grammar (M L H V C S Q T A Z, relative forms,
 * implicit repetition, compact numbers): coords as in parse_points, one
 * kind per point (guint8, HF_PT_*), contour ends (guint) and closed flags
 * (gboolean). Quadratics become exact cubics, arcs cubics of at most 45
 * degrees. On failure, why says what and err_at where (a byte offset). */
gboolean hf_comp_parse_path (const char *s, GArray * coords, GArray * kinds,
    GArray * ends, GArray * closed, const char **why, gsize * err_at);

/* hfcompplaceholder.c: the placeholders of a text, replaced on every
 * frame, and the characters they may write. Returns the length of the
 * placeholder at p, or 0. */
gsize hf_comp_placeholder_at (const char *p);
#define HF_COMP_PLACEHOLDER_CHARS "0123456789:."

/* A growing text buffer: a plain malloc'd one, not a GString, because
 * GSlice recycles memory across threads in ways ThreadSanitizer cannot
 * see. Zero-initialise; g_free data. */
typedef struct
{
  char *data;
  gsize len, alloc;
} HfTextBuf;

/* text with its placeholders substituted for time t, written into buf
 * (which only grows); returns buf->data. */
const char *hf_comp_format_text (const HfCompInfo * info, double t,
    const char *text, HfTextBuf * buf);

/* hfdemo.c: the markup of hf_composition_new_demo (). */
const char *hf_composition_demo_markup (void);

/* hfcomp.c */
void hf_element_free (HfElement * el);
/* Value of a tween at absolute time t (t >= tween start). */
void hf_tween_eval (const HfTween * tw, double t, double *out);
/* Values of el at absolute time t into v[HF_N_SLOTS]. */
void hf_element_eval (const HfElement * el, double t, double *v);

G_END_DECLS

#endif /* __HF_COMP_PRIVATE_H__ */
