/* hfcomp: compositions of timed, animated elements. Parses the markup
 * (docs/composition-format.md) with GMarkup, evaluates the timeline at a
 * time t and draws it. Engine code: no GStreamer.
 *
 * A frame depends only on its time: the same composition and t give the
 * same pixels, in any order of calls.
 */
#ifndef __HF_COMP_H__
#define __HF_COMP_H__

#include "hfraster.h"

G_BEGIN_DECLS

#define HF_COMP_ERROR (hf_comp_error_quark ())
GQuark hf_comp_error_quark (void);

typedef enum
{
  HF_COMP_ERROR_PARSE,          /* not well-formed markup */
  HF_COMP_ERROR_INVALID,        /* well-formed but not a valid composition */
  HF_COMP_ERROR_TOO_BIG,        /* element count or nesting over the limits */
  HF_COMP_ERROR_NOT_FOUND,      /* a file it names does not exist */
  HF_COMP_ERROR_DECODE,         /* an image it names cannot be decoded */
} HfCompError;

/* Limits that keep hostile input bounded. Frame rates run from
 * 1/HF_COMP_MAX_FPS to HF_COMP_MAX_FPS: a frame lasts 1 ms to 1000 s. */
#define HF_COMP_MAX_SIZE 16384
#define HF_COMP_MAX_FPS 1000
#define HF_COMP_MAX_ELEMENTS 50000
#define HF_COMP_MAX_DEPTH 64
#define HF_COMP_MAX_TIME 1e6    /* seconds: a duration, start or delay */

/* What a composition is when its root does not say. */
#define HF_COMP_DEFAULT_WIDTH 1920
#define HF_COMP_DEFAULT_HEIGHT 1080
#define HF_COMP_DEFAULT_FPS 30

typedef struct HfComposition HfComposition;

/* Parse errors are "NAME:LINE:COLUMN: what is wrong", NAME being
 * source_name (a file path, or "composition" for inline markup). */
HfComposition *hf_composition_new_from_data (const char *data, gssize len,
    const char *source_name, GError ** error);
/* A missing or unreadable file is a G_FILE_ERROR naming the path. */
HfComposition *hf_composition_new_from_file (const char *path,
    GError ** error);

/* Decodes an image file into straight (not premultiplied) RGBA, rows of
 * 4 * width bytes, g_malloc'ed; NULL with error set when it cannot. The
 * engine decodes nothing itself: hfdrawsrc passes GStreamer's decoders. */
typedef guint8 *(*HfImageDecodeFunc) (const char *path, int *width,
    int *height, gpointer user_data, GError ** error);

typedef struct
{
  HfImageDecodeFunc decode_image;       /* NULL: <image> is refused */
  gpointer user_data;
} HfCompLoader;

/* The same as above, with what decodes the files the composition names. */
HfComposition *hf_composition_new_from_data_with (const char *data,
    gssize len, const char *source_name, const HfCompLoader * loader,
    GError ** error);
HfComposition *hf_composition_new_from_file_with (const char *path,
    const HfCompLoader * loader, GError ** error);

/* The built-in demo: 1920x1080, 30/1, several seconds. */
HfComposition *hf_composition_new_demo (void);
void hf_composition_free (HfComposition * comp);

typedef struct
{
  int width;
  int height;
  int fps_n;
  int fps_d;
  double duration;              /* seconds, > 0 */
  gboolean opaque;              /* background alpha is 255 */
} HfCompInfo;

void hf_composition_get_info (const HfComposition * comp, HfCompInfo * info);

/* FALSE when nothing can differ between the pictures at t0 and t1: no clip
 * starts or ends in (t0, t1] and no tween is active in [t0, t1]. */
gboolean hf_composition_changes_between (const HfComposition * comp,
    double t0, double t1);

/* How a composition is drawn on a canvas of another size: scaled
 * uniformly to fit inside it, centred, the rest filled with the
 * background (letterbox); scaled uniformly to fill it, centred, the
 * overflow cut off (crop); or scaled to the canvas on each axis. */
typedef enum
{
  HF_SCALE_FIT,
  HF_SCALE_FILL,
  HF_SCALE_STRETCH,
} HfScaleMode;

/* Draws the composition at time t (seconds) into canvas, scaled by mode
 * when the canvas size differs from the composition's. It is vector
 * drawing at the canvas's resolution, not a resampled picture. The
 * renderer holds scratch memory reused across frames. */
typedef struct HfRenderer HfRenderer;
HfRenderer *hf_renderer_new (void);
void hf_renderer_free (HfRenderer * r);
void hf_composition_render_scaled (const HfComposition * comp,
    HfRenderer * r, HfCanvas * canvas, double t, HfScaleMode mode);
/* hf_composition_render_scaled with HF_SCALE_STRETCH. */
void hf_composition_render (const HfComposition * comp, HfRenderer * r,
    HfCanvas * canvas, double t);
G_END_DECLS

#endif /* __HF_COMP_H__ */
