/* GstHfStaticFrame: keeps the memory of a picture that later frames may
 * show unchanged, so that they can share it instead of being drawn again
 * (hfdrawsrc's static-frame shortcut). */
#ifndef __GST_HF_STATIC_FRAME_H__
#define __GST_HF_STATIC_FRAME_H__

#include <gst/gst.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

typedef struct
{
  GstMemory *mem;               /* NULL: nothing kept */
  guint64 index;                /* the frame whose picture mem holds */
  /* The layout of the picture in mem, and whether its buffer carried a
   * GstVideoMeta: buffers that share mem describe it the same way. */
  gboolean has_vmeta;
  gsize offset;
  gint stride;
} GstHfStaticFrame;

void gst_hf_static_frame_clear (GstHfStaticFrame * sf);

/* Keeps a reference to buf's memory, exclusively locked, as the picture of
 * frame index. buf must hold one packed-RGB frame described by info (and
 * its video meta, if any). The memory is shared from now on: writes into
 * any buffer holding it copy it first, until gst_hf_static_frame_clear. */
void gst_hf_static_frame_keep (GstHfStaticFrame * sf, GstBuffer * buf,
    const GstVideoInfo * info, guint64 index);

/* A new buffer showing the kept picture, without copying a pixel. */
GstBuffer *gst_hf_static_frame_share (const GstHfStaticFrame * sf,
    const GstVideoInfo * info);

/* Copies the kept picture into dest (a writable buffer for info). */
gboolean gst_hf_static_frame_copy_into (const GstHfStaticFrame * sf,
    const GstVideoInfo * info, GstBuffer * dest);

G_END_DECLS

#endif /* __GST_HF_STATIC_FRAME_H__ */
