/* hfimage: a decoded picture for the drawing engine, premultiplied RGBA
 * with its mipmaps, and how it is sampled: bilinear when enlarged,
 * area-averaged (trilinear between mipmap levels) when shrunk, so a
 * picture scaled down a lot does not shimmer as it moves. Decoding is not
 * done here: the caller hands over pixels (hfdrawsrc decodes with
 * GStreamer's own decoders). Engine code: no GStreamer. */
#ifndef __HF_IMAGE_H__
#define __HF_IMAGE_H__

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* The largest side accepted, and the decoded bytes (all images of one
 * composition, mipmaps included) it may hold. */
#define HF_IMAGE_MAX_SIDE 16384
#define HF_IMAGE_MAX_BYTES (1024 * 1024 * 1024)

#define HF_IMAGE_MAX_LEVELS 16

typedef struct HfImage
{
  int width, height;
  int n_levels;
  int w[HF_IMAGE_MAX_LEVELS], h[HF_IMAGE_MAX_LEVELS];
  uint8_t *level[HF_IMAGE_MAX_LEVELS];  /* premultiplied RGBA, tight rows */
} HfImage;

/* Takes non-premultiplied RGBA (rows of 4 * width bytes), premultiplies
 * it and builds the mipmaps. rgba is not kept. */
HfImage *hf_image_new (const uint8_t * rgba, int width, int height);
void hf_image_free (HfImage * img);
/* Bytes held, mipmaps included. */
gsize hf_image_bytes (const HfImage * img);

/* The premultiplied colours at n image points from (u, v), (du, dv)
 * apart (pixels of level 0, the centre of the top-left pixel is (0.5,
 * 0.5)), for a footprint of `scale` image pixels per output pixel, into
 * out (4 bytes a point). The mipmap level is chosen once: an affine map
 * shrinks every point alike. Edges are clamped. */
void hf_image_sample_row (const HfImage * img, double u, double v,
    double du, double dv, double scale, uint8_t * out, int n);

G_END_DECLS

#endif /* __HF_IMAGE_H__ */
