/* hfcanvas: colours and the 8-bit RGBA-family pixel buffers that are drawn
 * into. Colours are non-premultiplied 8-bit, as GStreamer's RGBA means
 * it. Engine code: no GStreamer. */
#ifndef __HF_CANVAS_H__
#define __HF_CANVAS_H__

#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  uint8_t r, g, b, a;
} HfRgba;

/* A colour as a value; gst-indent mangles compound literals. */
static inline HfRgba
hf_rgba (uint8_t r, uint8_t g, uint8_t b, uint8_t a)
{
  HfRgba c = { r, g, b, a };
  return c;
}

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

G_END_DECLS

#endif /* __HF_CANVAS_H__ */
