/* GstHfStaticFrame: see gsthfstaticframe.h. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gsthfstaticframe.h"

void
gst_hf_static_frame_clear (GstHfStaticFrame * sf)
{
  if (sf->mem) {
    gst_memory_unlock (sf->mem, GST_LOCK_FLAG_EXCLUSIVE);
    gst_memory_unref (sf->mem);
    sf->mem = NULL;
  }
}

void
gst_hf_static_frame_keep (GstHfStaticFrame * sf, GstBuffer * buf,
    const GstVideoInfo * info, guint64 index)
{
  GstVideoMeta *vmeta = gst_buffer_get_video_meta (buf);

  gst_hf_static_frame_clear (sf);
  /* Frames are drawn into one memory; anything else is not worth the
   * bookkeeping, and the next frame is simply drawn. */
  if (gst_buffer_n_memory (buf) != 1)
    return;
  sf->mem = gst_memory_ref (gst_buffer_peek_memory (buf, 0));
  /* Our exclusive lock makes the memory count as shared with every buffer
   * that shows it: a WRITE map downstream then gets a copy (copy-on-write)
   * instead of writing into the picture later frames reuse, and a pool
   * buffer coming back with it is not writable, so the pool discards it
   * rather than handing it out to be drawn into. A plain ref would do
   * neither: a memory's writability is its exclusive-lock count. */
  gst_memory_lock (sf->mem, GST_LOCK_FLAG_EXCLUSIVE);
  sf->index = index;
  sf->has_vmeta = vmeta != NULL;
  sf->offset = vmeta ? vmeta->offset[0] : GST_VIDEO_INFO_PLANE_OFFSET (info, 0);
  sf->stride = vmeta ? vmeta->stride[0] : GST_VIDEO_INFO_PLANE_STRIDE (info, 0);
}

GstBuffer *
gst_hf_static_frame_share (const GstHfStaticFrame * sf,
    const GstVideoInfo * info)
{
  GstBuffer *buf = gst_buffer_new ();

  g_return_val_if_fail (sf->mem != NULL, buf);
  gst_buffer_append_memory (buf, gst_memory_ref (sf->mem));
  if (sf->has_vmeta) {
    gsize offset[GST_VIDEO_MAX_PLANES] = { sf->offset };
    gint stride[GST_VIDEO_MAX_PLANES] = { sf->stride };

    gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
        GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info), 1, offset, stride);
  }
  return buf;
}

gboolean
gst_hf_static_frame_copy_into (const GstHfStaticFrame * sf,
    const GstVideoInfo * info, GstBuffer * dest)
{
  GstVideoFrame frame;
  GstMapInfo map;
  gint row, rows, stride;
  gsize row_bytes;
  guint8 *out;
  gboolean ok = FALSE;

  if (sf->mem == NULL || !gst_memory_map (sf->mem, &map, GST_MAP_READ))
    return FALSE;
  if (gst_video_frame_map (&frame, info, dest, GST_MAP_WRITE)) {
    out = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
    stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
    rows = GST_VIDEO_FRAME_HEIGHT (&frame);
    row_bytes = (gsize) GST_VIDEO_FRAME_WIDTH (&frame) * 4;
    /* The strides may differ (downstream's pool): copy row by row. */
    if (sf->offset + (gsize) sf->stride * (rows - 1) + row_bytes <= map.size) {
      for (row = 0; row < rows; row++)
        memcpy (out + (gsize) row * stride,
            map.data + sf->offset + (gsize) row * sf->stride, row_bytes);
      ok = TRUE;
    }
    gst_video_frame_unmap (&frame);
  }
  gst_memory_unmap (sf->mem, &map);
  return ok;
}
