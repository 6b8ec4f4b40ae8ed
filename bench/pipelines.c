/* GStreamer configurations, run inside a forked child.
 *
 * appsrc feeds preloaded frames as shared, read-only GstMemory (made once,
 * before the clock starts; each pushed buffer only takes a reference), from
 * its own need-data callback, so no extra thread hand-off is measured.
 * fakesink never syncs. A pad probe on fakesink counts frames and bytes and
 * reads the first JPEG's header, so the table can say what was encoded. */
#include "hfbench.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#define FPS_N 30

typedef struct
{
  GstMemory *mem[HFB_MAX_FRAMES];
  int n_mem;
  int total, pushed;
} Feed;

typedef struct
{
  int64_t frames, bytes;
  int subsamp, width, height;
  tjhandle tjd;
  double t_first, t_last, cpu_first, cpu_last;
} Count;

const char *
hfb_subsamp_name (int tjsamp)
{
  switch (tjsamp) {
    case TJSAMP_444:
      return "4:4:4";
    case TJSAMP_422:
      return "4:2:2";
    case TJSAMP_420:
      return "4:2:0";
    case TJSAMP_GRAY:
      return "gray";
    case TJSAMP_440:
      return "4:4:0";
    case TJSAMP_411:
      return "4:1:1";
    default:
      return "-";
  }
}

static void
need_data (GstAppSrc * src, guint length, gpointer user_data)
{
  Feed *feed = user_data;
  GstBuffer *buf;
  int i = feed->pushed;

  if (i >= feed->total) {
    gst_app_src_end_of_stream (src);
    return;
  }
  buf = gst_buffer_new ();
  gst_buffer_append_memory (buf, gst_memory_ref (feed->mem[i % feed->n_mem]));
  GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, FPS_N);
  GST_BUFFER_DURATION (buf) = GST_SECOND / FPS_N;
  GST_BUFFER_OFFSET (buf) = i;
  feed->pushed++;
  gst_app_src_push_buffer (src, buf);
}

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Count *cnt = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  cnt->t_last = hfb_now ();
  cnt->cpu_last = hfb_cpu_now ();
  if (cnt->frames == 0) {
    GstMapInfo map;
    cnt->t_first = cnt->t_last;
    cnt->cpu_first = cnt->cpu_last;
    if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
      int w, h, ss, cs;
      if (map.size > 2 && map.data[0] == 0xff && map.data[1] == 0xd8
          && tjDecompressHeader3 (cnt->tjd, map.data, map.size, &w, &h, &ss,
              &cs) == 0) {
        cnt->subsamp = ss;
        cnt->width = w;
        cnt->height = h;
      }
      gst_buffer_unmap (buf, &map);
    }
  }
  cnt->frames++;
  cnt->bytes += gst_buffer_get_size (buf);
  return GST_PAD_PROBE_OK;
}

static void
set_error_from_bus (GstMessage * msg, HfbResult * r)
{
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_message_parse_error (msg, &err, &dbg);
  snprintf (r->message, sizeof (r->message), "%s: %s",
      GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err ? err->message : "?");
  g_clear_error (&err);
  g_free (dbg);
}

/* The sink pad of the pipeline's fakesink, which is named "sink". */
static GstPad *
sink_pad (GstElement * pipe)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");

  gst_object_unref (sink);
  return pad;
}

/* The raw format that reached the encoder (the element just before
 * fakesink), so the table can say what each stock pipeline encodes. */
static void
encoder_input (GstElement * pipe, HfbResult * r)
{
  GstPad *spad = sink_pad (pipe);
  GstPad *peer = gst_pad_get_peer (spad);
  GstElement *enc = peer ? gst_pad_get_parent_element (peer) : NULL;
  GstPad *epad = enc ? gst_element_get_static_pad (enc, "sink") : NULL;
  GstCaps *caps = epad ? gst_pad_get_current_caps (epad) : NULL;

  if (caps) {
    const char *fmt = gst_structure_get_string (gst_caps_get_structure (caps,
            0), "format");
    if (fmt)
      snprintf (r->enc_input, sizeof (r->enc_input), "%s", fmt);
    gst_caps_unref (caps);
  }
  if (epad)
    gst_object_unref (epad);
  if (enc)
    gst_object_unref (enc);
  if (peer)
    gst_object_unref (peer);
  gst_object_unref (spad);
}

/* Runs `desc` (which has a fakesink named "sink") to EOS. The clock runs
 * from the first frame reaching the sink to the last one: the rate over
 * n - 1 intervals is the steady state, without start-up (composition
 * parsing, thread creation, the first frame's latency through the
 * pipeline). `seconds` is scaled to n frames so that fps = n / seconds. */
static void
run_pipeline (GstElement * pipe, HfbResult * r)
{
  GstPad *pad = sink_pad (pipe);
  GstBus *bus = gst_element_get_bus (pipe);
  Count cnt = {.subsamp = -1,.tjd = tjInitDecompress () };
  GstMessage *msg;
  double t0, c0;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_probe, &cnt, NULL);
  if (gst_element_set_state (pipe, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE) {
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message), "cannot go to READY");
    goto out;
  }
  t0 = hfb_now ();
  c0 = hfb_cpu_now ();
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 900 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  r->seconds = hfb_now () - t0;
  r->cpu_seconds = hfb_cpu_now () - c0;
  if (cnt.frames >= 2 && cnt.t_last > cnt.t_first) {
    double scale = (double) cnt.frames / (cnt.frames - 1);
    r->seconds = (cnt.t_last - cnt.t_first) * scale;
    /* The same window: CPU spent after the last frame (look-ahead
     * drawn past the end, shutting down) is not counted against it. */
    r->cpu_seconds = (cnt.cpu_last - cnt.cpu_first) * scale;
  }
  if (msg == NULL) {
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message), "no EOS within 900 s");
  } else {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      r->status = HFB_ERROR;
      set_error_from_bus (msg, r);
    } else {
      r->status = HFB_OK;
    }
    gst_message_unref (msg);
  }
out:
  encoder_input (pipe, r);
  gst_element_set_state (pipe, GST_STATE_NULL);
  r->frames_out = cnt.frames;
  r->bytes_out = cnt.bytes;
  r->jpeg_subsamp = cnt.subsamp;
  r->jpeg_width = cnt.width;
  r->jpeg_height = cnt.height;
  tjDestroy (cnt.tjd);
  gst_object_unref (bus);
  gst_object_unref (pad);
}

static GstElement *
parse (const char *desc, HfbResult * r)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);

  if (pipe == NULL || err != NULL) {
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message), "parse \"%s\": %s", desc,
        err ? err->message : "?");
    g_clear_error (&err);
    if (pipe)
      gst_object_unref (pipe);
    return NULL;
  }
  return pipe;
}

static char *
describe (const char *src, const char *chain)
{
  return g_strdup_printf ("%s ! %s%sfakesink name=sink sync=false "
      "enable-last-sample=false", src, chain ? chain : "",
      chain && *chain ? " ! " : "");
}

/* Frame k in `info`'s format: the preloaded RGBA itself (wrapped, no
 * copy), or converted into new memory. NULL if it cannot be converted. */
static GstMemory *
frame_memory (const HfbFrames * f, int k, const GstVideoInfo * info)
{
  gsize size = (gsize) f->width * f->height * 4;
  GstVideoInfo rgba;
  GstVideoFrame in, out;
  GstVideoConverter *conv;
  GstBuffer *src, *dst;
  GstMemory *mem = NULL;

  if (GST_VIDEO_INFO_IS_RGB (info))
    return gst_memory_new_wrapped (GST_MEMORY_FLAG_READONLY, f->data[k],
        size, 0, size, NULL, NULL);
  gst_video_info_set_format (&rgba, GST_VIDEO_FORMAT_RGBA, f->width, f->height);
  rgba.fps_n = info->fps_n;
  rgba.fps_d = info->fps_d;
  src = gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, f->data[k],
      size, 0, size, NULL, NULL);
  dst = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (info), NULL);
  conv = gst_video_converter_new (&rgba, (GstVideoInfo *) info, NULL);
  if (conv && gst_video_frame_map (&in, &rgba, src, GST_MAP_READ)) {
    if (gst_video_frame_map (&out, (GstVideoInfo *) info, dst, GST_MAP_WRITE)) {
      gst_video_converter_frame (conv, &in, &out);
      gst_video_frame_unmap (&out);
      mem = gst_buffer_get_all_memory (dst);
    }
    gst_video_frame_unmap (&in);
  }
  if (conv)
    gst_video_converter_free (conv);
  gst_buffer_unref (src);
  gst_buffer_unref (dst);
  return mem;
}

static void
run_appsrc (const HfbConfig * c, const HfbFrames * f, const char *format,
    HfbResult * r)
{
  char *desc = describe ("appsrc name=src", c->chain);
  GstElement *pipe = parse (desc, r);
  GstElement *src;
  GstCaps *caps;
  GstVideoInfo info;
  Feed feed = { {0}, 0, c->frames, 0 };
  GstAppSrcCallbacks cb = { 0 };
  int k;

  g_free (desc);
  if (pipe == NULL)
    return;
  gst_video_info_set_format (&info, gst_video_format_from_string (format),
      f->width, f->height);
  info.fps_n = FPS_N;
  if (c->colorimetry)
    gst_video_colorimetry_from_string (&info.colorimetry, c->colorimetry);
  for (k = 0; k < f->n; k++) {
    feed.mem[k] = frame_memory (f, k, &info);
    if (feed.mem[k] == NULL) {
      r->status = HFB_ERROR;
      snprintf (r->message, sizeof (r->message), "cannot convert to %s",
          format);
      goto out;
    }
    feed.n_mem = k + 1;
  }

  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  caps = gst_video_info_to_caps (&info);
  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME,
      "max-buffers", (guint64) 2, NULL);
  gst_caps_unref (caps);
  cb.need_data = need_data;
  gst_app_src_set_callbacks (GST_APP_SRC (src), &cb, &feed, NULL);
  gst_object_unref (src);

  run_pipeline (pipe, r);
out:
  gst_object_unref (pipe);
  for (k = 0; k < feed.n_mem; k++)
    gst_memory_unref (feed.mem[k]);
}

static GstElement *
make_draw_pipeline (const HfbConfig * c, const char *tail, HfbResult * r)
{
  char *threads = c->draw_threads > 0 ?
      g_strdup_printf (" threads=%d", c->draw_threads) : g_strdup ("");
  char *src = c->frames >= 0 ?
      g_strdup_printf ("hfdrawsrc name=src%s num-buffers=%d", threads,
      c->frames) : g_strdup_printf ("hfdrawsrc name=src%s", threads);
  char *desc = tail ? g_strdup_printf ("%s ! %s", src, tail) :
      describe (src, c->chain);
  GstElement *pipe = parse (desc, r);

  g_free (desc);
  g_free (src);
  g_free (threads);
  if (pipe && c->composition) {
    GstElement *s = gst_bin_get_by_name (GST_BIN (pipe), "src");
    /* "location=PATH" is a file (its fonts and pictures are relative to
     * it); anything else is markup. */
    if (g_str_has_prefix (c->composition, "location="))
      g_object_set (s, "location", c->composition + 9, NULL);
    else
      g_object_set (s, "composition", c->composition, NULL);
    gst_object_unref (s);
  }
  return pipe;
}

/* Draws the configuration's frames into an appsink and keeps
 * HFB_MAX_FRAMES of them, evenly spaced, as packed RGBA. */
static gboolean
capture (const HfbConfig * c, HfbFrames * f, HfbResult * r)
{
  GstElement *pipe = make_draw_pipeline (c,
      "appsink name=cap sync=false max-buffers=2", r);
  GstElement *sink;
  GstSample *sample;
  GstBus *bus;
  gboolean failed = FALSE;
  int total = c->expect_frames, i = 0, step;

  if (pipe == NULL)
    return FALSE;
  memset (f, 0, sizeof (*f));
  f->content = "captured";
  step = total / HFB_MAX_FRAMES > 0 ? total / HFB_MAX_FRAMES : 1;
  sink = gst_bin_get_by_name (GST_BIN (pipe), "cap");
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  for (;;) {
    GstMessage *msg;
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), GST_SECOND);
    if (sample == NULL) {
      /* EOS, or an error that stopped the stream, or just slow */
      msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      if (msg) {
        set_error_from_bus (msg, r);
        gst_message_unref (msg);
        failed = TRUE;
        break;
      }
      if (gst_app_sink_is_eos (GST_APP_SINK (sink)))
        break;
      continue;
    }
    if (i % step == 0 && f->n < HFB_MAX_FRAMES) {
      GstVideoInfo info;
      GstVideoFrame vf;
      if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
          && gst_video_frame_map (&vf, &info, gst_sample_get_buffer (sample),
              GST_MAP_READ)) {
        int y, w = GST_VIDEO_INFO_WIDTH (&info);
        int h = GST_VIDEO_INFO_HEIGHT (&info);
        uint8_t *dst;
        if (posix_memalign ((void **) &dst, 4096, (size_t) w * h * 4) != 0)
          abort ();
        for (y = 0; y < h; y++)
          memcpy (dst + (size_t) y * w * 4,
              (uint8_t *) GST_VIDEO_FRAME_PLANE_DATA (&vf, 0) +
              (size_t) y * GST_VIDEO_FRAME_PLANE_STRIDE (&vf, 0), w * 4);
        f->data[f->n++] = dst;
        f->width = w;
        f->height = h;
        gst_video_frame_unmap (&vf);
      }
    }
    i++;
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  if (failed) {
    r->status = HFB_ERROR;
    return FALSE;
  }
  if (f->n == 0) {
    r->status = HFB_ERROR;
    snprintf (r->message, sizeof (r->message), "captured no frames");
    return FALSE;
  }
  return TRUE;
}

void
hfb_run_gst (const HfbConfig * c, const HfbFrames * f,
    const HfbSettings * s, HfbResult * r)
{
  int i;

  gst_init (NULL, NULL);
  for (i = 0; i < 3 && c->needs[i]; i++) {
    GstElementFactory *fac = gst_element_factory_find (c->needs[i]);
    if (fac == NULL) {
      r->status = HFB_MISSING;
      snprintf (r->message, sizeof (r->message), "%s missing", c->needs[i]);
      return;
    }
    gst_object_unref (fac);
  }

  switch (c->kind) {
    case HFB_APPSRC:
      run_appsrc (c, f, c->format, r);
      break;
    case HFB_DRAW:{
      GstElement *pipe = make_draw_pipeline (c, NULL, r);
      if (pipe) {
        run_pipeline (pipe, r);
        gst_object_unref (pipe);
      }
      break;
    }
    case HFB_DRAW_CAPTURED_ENCODE:{
      HfbFrames cap;
      HfbConfig enc = *c;
      if (!capture (c, &cap, r))
        break;
      enc.frames = c->expect_frames;
      run_appsrc (&enc, &cap, "RGBA", r);
      hfb_frames_free (&cap);
      break;
    }
    default:
      r->status = HFB_ERROR;
      snprintf (r->message, sizeof (r->message), "bad kind");
  }
}
