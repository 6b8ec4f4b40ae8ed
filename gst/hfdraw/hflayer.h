/* hflayer: offscreen layers for group opacity, clipping and shadows
 * (docs/composition-format.md, "Layers"). An element is drawn into a
 * transparent layer the size of the canvas, of which only the rectangle it
 * touched is then composited (through a clip mask, with a blurred shadow
 * under it) and cleared again: the cost follows the element's area, and
 * the memory, allocated once and reused, is only touched there. Engine
 * code: no GStreamer. */
#ifndef __HF_LAYER_H__
#define __HF_LAYER_H__

#include "hfraster.h"

G_BEGIN_DECLS

/* A pixel rectangle [x0, x1) x [y0, y1); empty when x1 <= x0. */
typedef struct
{
  int x0, y0, x1, y1;
} HfRect;

#define HF_RECT_EMPTY ((HfRect) { 0, 0, 0, 0 })

gboolean hf_rect_is_empty (const HfRect * r);
/* r grows to hold (x0, y0)-(x1, y1) (doubles, rounded outwards), within
 * the canvas of size w x h. */
void hf_rect_add (HfRect * r, double x0, double y0, double x1, double y1,
    int w, int h);
void hf_rect_union (HfRect * r, const HfRect * o);

typedef struct HfLayers HfLayers;

HfLayers *hf_layers_new (void);
void hf_layers_free (HfLayers * l);
/* The transparent layer number `depth` (0, 1, ...) for canvases like
 * `like` (same size and byte order, with alpha), and the same for masks. */
HfCanvas *hf_layers_get (HfLayers * l, int depth, const HfCanvas * like);
HfCanvas *hf_layers_get_mask (HfLayers * l, int depth, const HfCanvas * like);

/* Makes r of c transparent again. */
void hf_layer_clear (HfCanvas * c, const HfRect * r);

/* A drop shadow of what layer holds within r: its alpha blurred with a
 * Gaussian of standard deviation sigma (three box blurs), moved by (dx,
 * dy) pixels (fractions are interpolated), painted in color times opacity
 * (0..1), through mask's alpha when mask is not NULL. Adds what it
 * touched to *touched. */
void hf_layer_shadow (HfLayers * l, HfCanvas * dst, const HfCanvas * layer,
    const HfRect * r, double dx, double dy, double sigma, HfRgba color,
    double opacity, const HfCanvas * mask, HfRect * touched);

/* Source-over of layer's pixels within r onto dst, times opacity (0..1)
 * and mask's alpha when mask is not NULL. */
void hf_layer_composite (HfLayers * l, HfCanvas * dst, const HfCanvas * layer,
    const HfRect * r, double opacity, const HfCanvas * mask);

G_END_DECLS

#endif /* __HF_LAYER_H__ */
