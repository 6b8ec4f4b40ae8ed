/* hfdrawsrc: a deterministic, seekable source of RGBA frames drawn from a
 * composition of timed, animated shapes (see docs/hfdrawsrc.md). */
#ifndef __GST_HF_DRAW_SRC_H__
#define __GST_HF_DRAW_SRC_H__

#include <gst/gst.h>
#include <gst/base/gstbasesrc.h>

G_BEGIN_DECLS

#define GST_TYPE_HF_DRAW_SRC (gst_hf_draw_src_get_type ())
G_DECLARE_FINAL_TYPE (GstHfDrawSrc, gst_hf_draw_src, GST, HF_DRAW_SRC,
    GstBaseSrc)

GST_ELEMENT_REGISTER_DECLARE (hfdrawsrc);

/* The scale-mode property's values: how a composition meets other caps
 * (the same order as the engine's HfScaleMode). */
typedef enum
{
  GST_HF_DRAW_SRC_SCALE_FIT,
  GST_HF_DRAW_SRC_SCALE_FILL,
  GST_HF_DRAW_SRC_SCALE_STRETCH,
} GstHfDrawSrcScaleMode;

#define GST_TYPE_HF_DRAW_SRC_SCALE_MODE (gst_hf_draw_src_scale_mode_get_type ())
GType gst_hf_draw_src_scale_mode_get_type (void);

G_END_DECLS

#endif /* __GST_HF_DRAW_SRC_H__ */
