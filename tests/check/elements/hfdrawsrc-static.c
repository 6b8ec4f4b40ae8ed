/* gst-check tests of hfdrawsrc's static-frame shortcut and its draw
 * signal, and how the two interact. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfdrawsrccheck.h"

/* The draw signal. */
typedef struct
{
  guint calls;
  gboolean ret;
  gboolean paint;
} DrawCtx;

static gboolean
on_draw (GstElement * src, GstBuffer * buf, GstVideoInfo * info,
    guint64 index, guint64 pts, DrawCtx * ctx)
{
  /* Pixel (3, 2) gets the frame index in red, a fixed green and blue. */
  const guint8 px[4] = { (guint8) index, 7, 200, 255 };

  fail_unless (gst_buffer_is_writable (buf));
  fail_unless_equals_uint64 (index, GST_BUFFER_OFFSET (buf));
  fail_unless_equals_uint64 (pts, GST_BUFFER_PTS (buf));
  fail_unless_equals_uint64 (index, ctx->calls);
  ctx->calls++;
  if (ctx->paint)
    paint_pixel (buf, info, 3, 2, px);
  return ctx->ret;
}

static GPtrArray *
draw_render (const gchar * comp, DrawCtx * ctx)
{
  Run *r = run_new (comp, NULL);

  g_signal_connect (r->src, "draw", G_CALLBACK (on_draw), ctx);
  return run_to_eos (r);
}

/* The bytes of a, except pixel (3, 2), equal those of b. */
static void
check_painted (GstBuffer * painted, GstBuffer * plain, guint64 index)
{
  GstMapInfo ma, mb;
  gsize off = (2 * 64 + 3) * 4;

  fail_unless (gst_buffer_map (painted, &ma, GST_MAP_READ));
  fail_unless (gst_buffer_map (plain, &mb, GST_MAP_READ));
  fail_unless_equals_int (ma.size, mb.size);
  fail_unless_equals_int (ma.data[off], (guint8) index);
  fail_unless_equals_int (ma.data[off + 1], 7);
  fail_unless_equals_int (ma.data[off + 2], 200);
  fail_unless (memcmp (ma.data, mb.data, off) == 0);
  fail_unless (memcmp (ma.data + off + 4, mb.data + off + 4,
          ma.size - off - 4) == 0);
  gst_buffer_unmap (painted, &ma);
  gst_buffer_unmap (plain, &mb);
}

HF_CHECK_TEST ("general", test_draw_signal)
{
  GPtrArray *plain = full_render (moving_comp);
  DrawCtx ctx = { 0, TRUE, TRUE };
  GPtrArray *painted = draw_render (moving_comp, &ctx);
  guint i;

  fail_unless_equals_int (ctx.calls, 60);
  fail_unless_equals_int (painted->len, 60);
  for (i = 0; i < painted->len; i++) {
    fail_if (hf_check_buffers_equal (BUF (painted, i), BUF (plain, i)));
    check_painted (BUF (painted, i), BUF (plain, i), i);
  }
  g_ptr_array_unref (painted);
  g_ptr_array_unref (plain);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_static_frames_share_memory)
{
  GPtrArray *bufs = full_render (static_comp);
  guint i;

  fail_unless_equals_int (bufs->len, 30);
  for (i = 1; i < bufs->len; i++) {
    fail_unless (same_memory (BUF (bufs, 0), BUF (bufs, i)),
        "frame %u was redrawn", i);
    /* New timestamps on the shared picture. */
    fail_unless_equals_uint64 (GST_BUFFER_PTS (BUF (bufs, i)),
        pts_of (i, 30, 1));
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (BUF (bufs, i)), i);
  }
  g_ptr_array_unref (bufs);
}

GST_END_TEST;

/* What an in-place filter downstream saw of each frame. */
typedef struct
{
  GPtrArray *plain;             /* reference render */
  guint n;
  GstMemory *mem[30];           /* the frame's memory when pushed */
  gboolean clean[30];           /* its pixels equalled the reference */
  gboolean copied[30];          /* the write map gave another memory */
} CowCtx;

/* Writes into every frame as timeoverlay does: make the buffer writable,
 * map it WRITE, scribble. Runs in the streaming thread, one frame at a
 * time, and holds no frame afterwards (holding one would hide the bug). */
static GstPadProbeReturn
scribble_probe (GstPad * pad, GstPadProbeInfo * info, CowCtx * ctx)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  guint64 i = GST_BUFFER_OFFSET (buf);
  GstMapInfo map;

  if (i >= G_N_ELEMENTS (ctx->mem) || i != ctx->n)
    return GST_PAD_PROBE_OK;
  ctx->n++;
  ctx->mem[i] = gst_buffer_peek_memory (buf, 0);
  ctx->clean[i] = hf_check_buffers_equal (buf, BUF (ctx->plain, i));
  buf = gst_buffer_make_writable (buf);
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  if (gst_buffer_map (buf, &map, GST_MAP_WRITE)) {
    memset (map.data, 0x5a, map.size);
    gst_buffer_unmap (buf, &map);
  }
  ctx->copied[i] = gst_buffer_peek_memory (buf, 0) != ctx->mem[i];
  return GST_PAD_PROBE_OK;
}

/* Downstream writing into a pushed frame must get a copy: the picture that
 * later still frames share stays clean, and they still share it. */
HF_CHECK_TEST ("general", test_static_frames_copy_on_write)
{
  CowCtx ctx = { NULL };
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("hfdrawsrc", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *msg;
  GstPad *pad;
  guint i;

  ctx.plain = full_render (static_comp);
  fail_unless_equals_int (ctx.plain->len, 30);
  g_object_set (src, "composition", static_comp, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipe), src, sink, NULL);
  fail_unless (gst_element_link (src, sink));
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER,
      (GstPadProbeCallback) scribble_probe, &ctx, NULL);
  gst_object_unref (pad);

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);

  fail_unless_equals_int (ctx.n, 30);
  for (i = 0; i < 30; i++) {
    fail_unless (ctx.clean[i],
        "frame %u shows a write into an earlier frame", i);
    fail_unless (ctx.copied[i], "frame %u was written in place", i);
    if (i > 0)
      fail_unless (ctx.mem[i] == ctx.mem[0],
          "frame %u does not share the still picture", i);
  }
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_ptr_array_unref (ctx.plain);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_static_reuse_stops_at_tween)
{
  GPtrArray *bufs = full_render (tween_comp);
  guint first_tween = 15;       /* TWEEN_START * 30 */
  guint i;

  fail_unless_equals_int (bufs->len, 30);
  /* Still before the tween. */
  for (i = 1; i < first_tween; i++)
    fail_unless (same_memory (BUF (bufs, 0), BUF (bufs, i)));
  /* Moving: new memory and new pixels every frame. */
  for (i = first_tween + 1; i <= first_tween + 5; i++) {
    fail_if (same_memory (BUF (bufs, i - 1), BUF (bufs, i)));
    fail_if (hf_check_buffers_equal (BUF (bufs, i - 1), BUF (bufs, i)),
        "frame %u equals the previous one during the tween", i);
  }
  /* Still again after the tween ends (0.7 s plus a frame). */
  fail_unless (same_memory (BUF (bufs, 24), BUF (bufs, 29)));
  fail_if (hf_check_buffers_equal (BUF (bufs, 0), BUF (bufs, 29)));
  g_ptr_array_unref (bufs);
}

GST_END_TEST;

HF_CHECK_TEST ("general", test_static_with_handler)
{
  GPtrArray *plain = full_render (static_comp);
  DrawCtx changing = { 0, TRUE, TRUE }, idle = { 0, FALSE, FALSE };
  GPtrArray *bufs;
  guint i;

  /* A handler that paints: every frame is its own, with its paint. */
  bufs = draw_render (static_comp, &changing);
  fail_unless_equals_int (changing.calls, 30);
  fail_unless_equals_int (bufs->len, 30);
  for (i = 0; i < bufs->len; i++) {
    if (i > 0)
      fail_if (same_memory (BUF (bufs, i - 1), BUF (bufs, i)));
    check_painted (BUF (bufs, i), BUF (plain, i), i);
  }
  g_ptr_array_unref (bufs);

  /* A handler that leaves frames alone still sees each of them, and the
   * shortcut stays. */
  bufs = draw_render (static_comp, &idle);
  fail_unless_equals_int (idle.calls, 30);
  fail_unless_equals_int (bufs->len, 30);
  for (i = 1; i < bufs->len; i++) {
    fail_unless (same_memory (BUF (bufs, 0), BUF (bufs, i)));
    fail_unless (hf_check_buffers_equal (BUF (bufs, i), BUF (plain, i)));
  }
  g_ptr_array_unref (bufs);
  g_ptr_array_unref (plain);
}

GST_END_TEST;

HF_CHECK_MAIN ("hfdrawsrc-static");
