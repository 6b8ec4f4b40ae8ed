/* hfjpegenc: threaded, pipelined libjpeg-turbo JPEG encoder element.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
/**
 * SECTION:element-hfjpegenc
 * @title: hfjpegenc
 * @see_also: jpegenc, jpegdec, avimux
 *
 * Encodes raw video frames to JPEG images with libjpeg-turbo, on a pool of
 * worker threads. The streaming thread hands a frame to a worker and
 * returns upstream at once; it waits only when #GstHfJpegEnc:queue-depth
 * frames are in flight. An output thread pushes each JPEG as soon as it and
 * every frame before it are encoded, without waiting for more input.
 * Output keeps input order, and the encoded bytes do not depend on the
 * number of threads.
 *
 * It takes every raw format jpegenc takes. Packed RGB input (with or
 * without alpha; alpha is ignored) and GRAY8 are compressed straight from
 * the mapped frame. YUV input keeps its own chroma subsampling; planar YUV
 * in JFIF's colours (full-range BT.601) is used in place. Other YUV is
 * copied into a worker's scratch on the way: limited-range or BT.709/2020
 * colours are converted to JFIF's, NV12/NV21 and packed 4:2:2 are gathered
 * into planes, and odd-size luma is padded to whole chroma samples. Sides
 * are 1 to 65500 pixels.
 *
 * Frames that repeat the previous frame (the same memory, or the same
 * bytes) reuse the previous JPEG without encoding (#GstHfJpegEnc:dedup).
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=300 ! \
 *     video/x-raw,format=RGBA,width=1920,height=1080 ! \
 *     hfjpegenc ! avimux ! filesink location=out.avi
 * ]| Encodes 300 frames to Motion JPEG in an AVI file, with one encode
 * thread per CPU.
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=10 ! hfjpegenc quality=95 \
 *     queue-depth=1 ! multifilesink location=frame-%05d.jpg
 * ]| Encodes inline on the streaming thread (no worker, lowest latency)
 * and writes one file per frame.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfcpus.h"

#include "gsthfjpegenc.h"
#include "gsthfjpegenc-frames.h"
#include "gsthfjpegenc-private.h"
#include "gsthfjpegenc-util.h"
#include "hfencpool.h"

GST_DEBUG_CATEGORY (gst_hf_jpeg_enc_debug);
#define GST_CAT_DEFAULT gst_hf_jpeg_enc_debug
/* After GST_CAT_DEFAULT: its warnings go to this element's category. */
#include "hfproperty.h"

#define DEFAULT_QUALITY 85
#define DEFAULT_SUBSAMPLING GST_HF_JPEG_ENC_SUBSAMPLING_420
#define DEFAULT_THREADS 0
#define DEFAULT_QUEUE_DEPTH 0
#define DEFAULT_ENCODE_TIMEOUT 30000
#define DEFAULT_DIAGNOSTICS_DIR NULL
#define DEFAULT_DEDUP TRUE
#define DEFAULT_IDCT_METHOD GST_HF_JPEG_ENC_IDCT_ISLOW
#define DEFAULT_SNAPSHOT FALSE
#define DEFAULT_RESTART_INTERVAL 0
#define DEFAULT_SLICES 1
#define MAX_SLICES 64

#define MAX_THREADS 64
#define MAX_QUEUE_DEPTH 64

enum
{
  PROP_0,
  PROP_QUALITY,
  PROP_SUBSAMPLING,
  PROP_THREADS,
  PROP_QUEUE_DEPTH,
  PROP_ENCODE_TIMEOUT,
  PROP_DIAGNOSTICS_DIR,
  PROP_DEDUP,
  PROP_IDCT_METHOD,
  PROP_SNAPSHOT,
  PROP_RESTART_INTERVAL,
  PROP_SLICES,
};


/* Sides up to HF_ENC_MAX_SIDE, the most libjpeg encodes. */
#define SIDES "width = (int) [ 1, " G_STRINGIFY (HF_ENC_MAX_SIDE) " ], " \
  "height = (int) [ 1, " G_STRINGIFY (HF_ENC_MAX_SIDE) " ], "
#define FORMATS "{ RGBA, RGBx, BGRA, BGRx, ARGB, xRGB, ABGR, xBGR, RGB, BGR, " \
  "GRAY8, I420, YV12, NV12, NV21, Y42B, YUY2, UYVY, YVYU, Y41B, Y444 }"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-raw, format = (string) " FORMATS ", " SIDES
        "framerate = (fraction) [ 0/1, MAX ]"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("image/jpeg, sof-marker = (int) 0, " SIDES
        "framerate = (fraction) [ 0/1, MAX ]"));

#define gst_hf_jpeg_enc_parent_class parent_class
G_DEFINE_TYPE (GstHfJpegEnc, gst_hf_jpeg_enc, GST_TYPE_VIDEO_ENCODER);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (hfjpegenc, "hfjpegenc",
    GST_RANK_NONE, GST_TYPE_HF_JPEG_ENC,
    GST_DEBUG_CATEGORY_INIT (gst_hf_jpeg_enc_debug, "hfjpegenc", 0,
        "threaded libjpeg-turbo JPEG encoder"));

/* Full GEnumValues, not G_DEFINE_ENUM_VALUE: gst-inspect-1.0 shows each
 * value's description beside its nick. */
/* *INDENT-OFF* */
G_DEFINE_ENUM_TYPE (GstHfJpegEncSubsampling, gst_hf_jpeg_enc_subsampling,
    {GST_HF_JPEG_ENC_SUBSAMPLING_444, "4:4:4 (full chroma resolution)", "444"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_422, "4:2:2 (half horizontal chroma)", "422"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_420, "4:2:0 (half chroma both ways)", "420"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_440, "4:4:0 (half vertical chroma)", "440"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_GRAY, "Gray (luma only)", "gray"})

G_DEFINE_ENUM_TYPE (GstHfJpegEncIdctMethod, gst_hf_jpeg_enc_idct_method,
    {GST_HF_JPEG_ENC_IDCT_ISLOW, "Slow but accurate integer algorithm",
        "islow"},
    {GST_HF_JPEG_ENC_IDCT_IFAST, "Faster, less accurate integer method",
        "ifast"},
    {GST_HF_JPEG_ENC_IDCT_FLOAT,
        "Floating-point: encodes as islow (TurboJPEG has no float DCT)",
        "float"})
/* *INDENT-ON* */

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

static GstFlowReturn
gst_hf_jpeg_enc_handle_frame (GstVideoEncoder * encoder,
    GstVideoCodecFrame * frame)
{
  return gst_hf_jpeg_enc_frames_push (GST_HF_JPEG_ENC (encoder), frame);
}

static GstFlowReturn
gst_hf_jpeg_enc_finish (GstVideoEncoder * encoder)
{
  return gst_hf_jpeg_enc_frames_drain (GST_HF_JPEG_ENC (encoder));
}

/* ------------------------------------------------------------------ */
/* Negotiation                                                         */
/* ------------------------------------------------------------------ */

static gboolean
gst_hf_jpeg_enc_set_format (GstVideoEncoder * encoder,
    GstVideoCodecState * state)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  GstVideoInfo *info = &state->info;
  GstVideoCodecState *out;
  GstStructure *config;
  GstClockTime latency = 0;
  gint width = GST_VIDEO_INFO_WIDTH (info), height =
      GST_VIDEO_INFO_HEIGHT (info);
  gsize size;

  if (self->refused_caps && gst_caps_is_equal (self->refused_caps, state->caps)) {
    GST_DEBUG_OBJECT (self, "caps refused before (the error was posted)");
    return FALSE;
  }
  /* Frames in flight were negotiated with the old caps. */
  if (gst_hf_jpeg_enc_frames_drain (self) != GST_FLOW_OK)
    return FALSE;
  gst_hf_jpeg_enc_frames_reset_dedup (self);

  if (!gst_hf_jpeg_enc_format_to_tj (GST_VIDEO_INFO_FORMAT (info),
          &self->pixel_format, &self->input_subsamp)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("unsupported format %s", GST_VIDEO_INFO_NAME (info)));
    gst_caps_replace (&self->refused_caps, state->caps);
    return FALSE;
  }
  /* JFIF is full-range BT.601; planar YUV in other colours is converted
   * (docs/hfjpegenc.md, "Colours"). Packed RGB is converted by TurboJPEG
   * itself, which writes JFIF. */
  self->have_convert = FALSE;
  if (self->pixel_format == -1) {
    const GstVideoColorimetry *cm = &GST_VIDEO_INFO_COLORIMETRY (info);
    gdouble kr = 0.299, kb = 0.114;

    if (!gst_video_color_matrix_get_Kr_Kb (cm->matrix, &kr, &kb))
      GST_DEBUG_OBJECT (self, "no Kr/Kb for matrix %d: taking BT.601",
          cm->matrix);
    self->have_convert = hf_yuv_convert_init (&self->convert, kr, kb,
        cm->range != GST_VIDEO_COLOR_RANGE_16_235);
    GST_DEBUG_OBJECT (self, "input colorimetry range %d matrix %d: %s",
        cm->range, cm->matrix, self->have_convert ? "converted to JFIF" :
        "JFIF already, zero-copy");
  }
  size = gst_hf_jpeg_enc_out_size (width, height, self->pixel_format,
      self->input_subsamp, self->n_slices);
  if (size == 0) {
    /* The caps bound each side, so this is the pixel count. */
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Cannot encode %dx%d frames: too large for libjpeg-turbo.", width,
            height), ("%dx%d %s: sides must be 1..%d (JPEG_MAX_DIMENSION) "
            "and the worst-case JPEG size must fit libjpeg-turbo 2.1's int "
            "arithmetic (about 357 Mpixel at 4:4:4, 715 at 4:2:0)", width,
            height, GST_VIDEO_INFO_NAME (info), HF_ENC_MAX_SIDE));
    gst_caps_replace (&self->refused_caps, state->caps);
    return FALSE;
  }
  gst_caps_replace (&self->refused_caps, NULL);

  out = gst_video_encoder_set_output_state (encoder,
      gst_caps_new_simple ("image/jpeg", "sof-marker", G_TYPE_INT, 0, NULL),
      state);
  gst_video_codec_state_unref (out);
  if (!gst_video_encoder_negotiate (encoder))
    return FALSE;

  /* Our own pool of output buffers, each the worst-case JPEG size: the
   * encoder writes straight into them, and a recycled buffer has its pages
   * mapped already (a fresh multi-megabyte malloc per frame would fault
   * them in again). max 0: acquiring never blocks the streaming thread. */
  if (self->out_pool == NULL || self->out_size != size) {
    if (self->out_pool) {
      gst_buffer_pool_set_active (self->out_pool, FALSE);
      gst_object_unref (self->out_pool);
    }
    self->out_pool = gst_buffer_pool_new ();
    config = gst_buffer_pool_get_config (self->out_pool);
    gst_buffer_pool_config_set_params (config, NULL, size, 0, 0);
    if (!gst_buffer_pool_set_config (self->out_pool, config)
        || !gst_buffer_pool_set_active (self->out_pool, TRUE)) {
      GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT,
          ("Cannot allocate output buffers of %" G_GSIZE_FORMAT " bytes.",
              size), (NULL));
      gst_clear_object (&self->out_pool);
      return FALSE;
    }
    self->out_size = size;
  }

  /* A frame goes out as soon as it is encoded, so none waits for later
   * input: no minimum latency. Upstream may get queue-depth - 1 frames
   * ahead of the output when the workers fall behind. */
  if (GST_VIDEO_INFO_FPS_N (info) > 0)
    latency = gst_util_uint64_scale (self->depth - 1,
        GST_SECOND * GST_VIDEO_INFO_FPS_D (info), GST_VIDEO_INFO_FPS_N (info));
  gst_video_encoder_set_latency (encoder, 0, latency);

  if (self->input_state)
    gst_video_codec_state_unref (self->input_state);
  self->input_state = gst_video_codec_state_ref (state);
  GST_DEBUG_OBJECT (self, "%dx%d %s, output buffers of %" G_GSIZE_FORMAT
      " bytes, latency %" GST_TIME_FORMAT, width, height,
      GST_VIDEO_INFO_NAME (info), size, GST_TIME_ARGS (latency));
  return TRUE;
}

/* Tells upstream how many buffers we hold at once, so that a source with a
 * bounded pool does not starve while frames wait in our queue. */
static gboolean
gst_hf_jpeg_enc_propose_allocation (GstVideoEncoder * encoder, GstQuery * query)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  GstCaps *caps;
  GstVideoInfo info;

  gst_query_parse_allocation (query, &caps, NULL);
  if (caps && gst_query_get_n_allocation_pools (query) == 0
      && gst_video_info_from_caps (&info, caps))
    gst_query_add_allocation_pool (query, NULL, GST_VIDEO_INFO_SIZE (&info),
        self->depth + 1, 0);

  return GST_VIDEO_ENCODER_CLASS (parent_class)->propose_allocation (encoder,
      query);
}

/* ------------------------------------------------------------------ */
/* Events and states                                                   */
/* ------------------------------------------------------------------ */

/* Flushing wakes both threads and pauses the output task; the task waits
 * for nothing once flushing is set, so pausing (which waits for its current
 * iteration) returns promptly. Never call with the stream lock held: the
 * task may be waiting for it. */
static void
stop_output (GstHfJpegEnc * self)
{
  gst_hf_jpeg_enc_frames_set_flushing (self, TRUE);
  gst_pad_pause_task (GST_VIDEO_ENCODER_SRC_PAD (self));
}

static gboolean
gst_hf_jpeg_enc_sink_event (GstVideoEncoder * encoder, GstEvent * event)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  GstFlowReturn ret;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_START:
      /* The base class does not tell us about FLUSH_START otherwise.
       * Forward it first: it unblocks an output task pushing downstream. */
      gst_hf_jpeg_enc_frames_set_flushing (self, TRUE);
      if (!GST_VIDEO_ENCODER_CLASS (parent_class)->sink_event (encoder, event))
        return FALSE;
      stop_output (self);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      stop_output (self);
      GST_VIDEO_ENCODER_STREAM_LOCK (self);
      gst_hf_jpeg_enc_frames_abandon (self);
      self->frame_number = 0;
      gst_hf_jpeg_enc_frames_set_flushing (self, FALSE);
      GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
      break;
    case GST_EVENT_SEGMENT_DONE:
      /* The base class would hold a serialized event until the next frame,
       * which may never come (a segment seek waits for this event). Send
       * it after every frame of the segment instead. */
      GST_VIDEO_ENCODER_STREAM_LOCK (self);
      ret = gst_hf_jpeg_enc_frames_drain (self);
      GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
      if (ret != GST_FLOW_OK) {
        gst_event_unref (event);
        return FALSE;
      }
      return gst_pad_push_event (GST_VIDEO_ENCODER_SRC_PAD (self), event);
    default:
      break;
  }
  return GST_VIDEO_ENCODER_CLASS (parent_class)->sink_event (encoder, event);
}

static GstStateChangeReturn
gst_hf_jpeg_enc_change_state (GstElement * element, GstStateChange transition)
{
  /* stop() runs only after the pads are deactivated, which waits for the
   * streaming thread and the output task: unblock both first. */
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    gst_hf_jpeg_enc_frames_set_flushing (GST_HF_JPEG_ENC (element), TRUE);

  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static gboolean
gst_hf_jpeg_enc_start (GstVideoEncoder * encoder)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  const GstHfJpegEncTestCompress *hook;
  HfEncPoolConfig config;
  HfEncPool *pool;
  guint threads, depth, slices;
  char err[256] = "";

  GST_OBJECT_LOCK (self);
  threads = self->threads;
  depth = self->queue_depth;
  slices = self->slices;
  GST_OBJECT_UNLOCK (self);

  /* With one CPU (counted from the affinity mask, as taskset sets it) a
   * worker has nothing to overlap with: measured, the defaults ran at 0.66
   * to 0.97 of the serial pipeline there (docs/performance.md). So
   * all-auto settings encode inline on one CPU. */
  if (depth == 0)
    depth = threads == 0 && hf_cpus_usable () == 1 ? 1 :
        MAX ((threads ? threads : hf_cpus_usable ()) + 1, 2);
  if (threads == 0)
    threads = MIN (hf_cpus_usable (), MAX_THREADS);
  /* More workers than bands in flight would never all be busy. */
  threads = MIN (threads, depth * slices);

  self->depth = depth;
  self->n_slices = slices;
  self->frame_number = 0;
  self->out_flow = GST_FLOW_OK;

  /* One frame in one piece: encoded inline, by the streaming thread. */
  config.n_workers = depth == 1 && slices == 1 ? 0 : threads;
  config.depth = depth;
  config.max_bands = slices;
  /* Test-only (gsthfjpegenc-private.h). */
  hook = g_object_get_data (G_OBJECT (self), GST_HF_JPEG_ENC_TEST_COMPRESS_KEY);
  config.compress = hook ? hook->compress : NULL;
  config.compress_data = hook ? hook->data : NULL;
  pool = hf_enc_pool_new (&config, err, sizeof (err));
  if (pool == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("Could not start the JPEG encoder."), ("%s", err));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->pool = pool;
  GST_OBJECT_UNLOCK (self);
  GST_INFO_OBJECT (self, "queue depth %u, %u slices, %u encode threads",
      depth, slices, config.n_workers);
  return TRUE;
}

static gboolean
gst_hf_jpeg_enc_stop (GstVideoEncoder * encoder)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  HfEncPool *pool;

  /* Flushing since PAUSED_TO_READY: the task's iteration ends promptly. */
  gst_pad_stop_task (GST_VIDEO_ENCODER_SRC_PAD (self));
  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  gst_hf_jpeg_enc_frames_stop (self);
  GST_OBJECT_LOCK (self);
  pool = self->pool;
  self->pool = NULL;
  GST_OBJECT_UNLOCK (self);
  /* Returns at once even if a worker is stuck in a band. */
  hf_enc_pool_free (pool);
  if (self->out_pool) {
    gst_buffer_pool_set_active (self->out_pool, FALSE);
    gst_clear_object (&self->out_pool);
  }
  self->out_size = 0;
  g_clear_pointer (&self->input_state, gst_video_codec_state_unref);
  gst_caps_replace (&self->refused_caps, NULL);
  GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Properties                                                          */
/* ------------------------------------------------------------------ */

static void
gst_hf_jpeg_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (object);
  gchar *old_dir = NULL;

  if (!hf_property_settable (GST_ELEMENT (self), pspec))
    return;
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_QUALITY:
      self->quality = g_value_get_int (value);
      break;
    case PROP_SUBSAMPLING:
      self->subsampling = g_value_get_enum (value);
      break;
    case PROP_THREADS:
      self->threads = g_value_get_uint (value);
      break;
    case PROP_QUEUE_DEPTH:
      self->queue_depth = g_value_get_uint (value);
      break;
    case PROP_ENCODE_TIMEOUT:
      self->encode_timeout = g_value_get_uint (value);
      break;
    case PROP_DIAGNOSTICS_DIR:
      old_dir = self->diagnostics_dir;
      self->diagnostics_dir = g_value_dup_string (value);
      break;
    case PROP_DEDUP:
      self->dedup = g_value_get_boolean (value);
      break;
    case PROP_IDCT_METHOD:
      self->idct_method = g_value_get_enum (value);
      break;
    case PROP_SNAPSHOT:
      self->snapshot = g_value_get_boolean (value);
      break;
    case PROP_RESTART_INTERVAL:
      self->restart_interval = g_value_get_uint (value);
      break;
    case PROP_SLICES:
      self->slices = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
  g_free (old_dir);
}

static void
gst_hf_jpeg_enc_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_QUALITY:
      g_value_set_int (value, self->quality);
      break;
    case PROP_SUBSAMPLING:
      g_value_set_enum (value, self->subsampling);
      break;
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_QUEUE_DEPTH:
      g_value_set_uint (value, self->queue_depth);
      break;
    case PROP_ENCODE_TIMEOUT:
      g_value_set_uint (value, self->encode_timeout);
      break;
    case PROP_DIAGNOSTICS_DIR:
      g_value_set_string (value, self->diagnostics_dir);
      break;
    case PROP_DEDUP:
      g_value_set_boolean (value, self->dedup);
      break;
    case PROP_IDCT_METHOD:
      g_value_set_enum (value, self->idct_method);
      break;
    case PROP_SNAPSHOT:
      g_value_set_boolean (value, self->snapshot);
      break;
    case PROP_RESTART_INTERVAL:
      g_value_set_uint (value, self->restart_interval);
      break;
    case PROP_SLICES:
      g_value_set_uint (value, self->slices);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_hf_jpeg_enc_finalize (GObject * object)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (object);

  g_free (self->diagnostics_dir);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_hf_jpeg_enc_class_init (GstHfJpegEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstVideoEncoderClass *venc_class = GST_VIDEO_ENCODER_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  gobject_class->set_property = gst_hf_jpeg_enc_set_property;
  gobject_class->get_property = gst_hf_jpeg_enc_get_property;
  gobject_class->finalize = gst_hf_jpeg_enc_finalize;

  g_object_class_install_property (gobject_class, PROP_QUALITY,
      g_param_spec_int ("quality", "Quality",
          "JPEG quality, 1 (smallest) to 100 (best); the next frame uses a "
          "new value", 1, 100, DEFAULT_QUALITY,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SUBSAMPLING,
      g_param_spec_enum ("subsampling", "Chroma subsampling",
          "Chroma subsampling of the JPEG made from RGB input. YUV input "
          "keeps its own subsampling (4:2:0 for I420, YV12, NV12, NV21; "
          "4:2:2 for Y42B, YUY2, UYVY, YVYU; 4:1:1 for Y41B; 4:4:4 for "
          "Y444) and GRAY8 input makes a gray JPEG, whatever this says",
          GST_TYPE_HF_JPEG_ENC_SUBSAMPLING, DEFAULT_SUBSAMPLING,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_THREADS,
      g_param_spec_uint ("threads", "Threads",
          "Number of encode worker threads (0 = one per CPU the process may "
          "use); never more than queue-depth x slices. Unused when both are 1",
          0, MAX_THREADS, DEFAULT_THREADS, rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_QUEUE_DEPTH,
      g_param_spec_uint ("queue-depth", "Queue depth",
          "Most frames in flight inside the element (0 = auto: threads + 1, "
          "at least 2, or 1 when threads is auto and the process may use "
          "one CPU only; 1 = one frame at a time: encoded on the streaming "
          "thread, or by the workers in bands when slices > 1). Latency is queue-depth - 1 frames. Memory: each frame "
          "in flight holds its input frame (8 MB at 1080p RGBA) and a "
          "worst-case output buffer, resident only as far as the JPEG "
          "fills it",
          0, MAX_QUEUE_DEPTH, DEFAULT_QUEUE_DEPTH,
          rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_ENCODE_TIMEOUT,
      g_param_spec_uint ("encode-timeout", "Encode timeout",
          "Per-frame watchdog in milliseconds (0 = none): an error when a "
          "frame's own encode runs longer, counted from when a worker picks "
          "it up (time queued behind other frames does not count), or when "
          "a queued frame sees no worker progress for that long; with slices, "
          "for each band. Not applied when queue-depth and slices are 1",
          0, G_MAXUINT, DEFAULT_ENCODE_TIMEOUT,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_DIAGNOSTICS_DIR,
      g_param_spec_string ("diagnostics-dir", "Diagnostics directory",
          "Directory where a frame that fails to encode is dumped as "
          "frame-error-N.png and frame-error-N.json (NULL = no dump)",
          DEFAULT_DIAGNOSTICS_DIR, rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_DEDUP,
      g_param_spec_boolean ("dedup", "Deduplicate",
          "Reuse the previous JPEG, without encoding, for a frame that is "
          "the same memory as the previous frame or has the same bytes",
          DEFAULT_DEDUP, rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_IDCT_METHOD,
      g_param_spec_enum ("idct-method", "DCT method",
          "The DCT algorithm (jpegenc's property): islow is accurate and "
          "bit-exact on every machine; ifast is a little faster and worse "
          "at high quality; float encodes as islow. The next frame uses a "
          "change", GST_TYPE_HF_JPEG_ENC_IDCT_METHOD, DEFAULT_IDCT_METHOD,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SNAPSHOT,
      g_param_spec_boolean ("snapshot", "Snapshot",
          "Encode the first frame only, then end the stream (EOS), as "
          "jpegenc's snapshot does", DEFAULT_SNAPSHOT,
          rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_RESTART_INTERVAL,
      g_param_spec_uint ("restart-interval", "Restart interval",
          "A restart marker every this many MCU rows (0 = none), so that a "
          "decoder resynchronises after a lost or damaged part of a frame "
          "(RTP, MJPEG over HTTP); the decoded pixels are the same",
          0, 65535, DEFAULT_RESTART_INTERVAL, rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_SLICES,
      g_param_spec_uint ("slices", "Slices",
          "Horizontal bands per frame, encoded in parallel by the workers "
          "and joined with restart markers into one baseline JPEG: lower "
          "latency per frame (1 = whole frames). Bands are whole restart "
          "intervals (restart-interval, or the frame's MCU rows divided by "
          "slices), never more than the frame's MCU rows; the bytes do not "
          "depend on threads",
          1, MAX_SLICES, DEFAULT_SLICES, rw | GST_PARAM_MUTABLE_READY));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Threaded libjpeg-turbo JPEG encoder", "Codec/Encoder/Image",
      "Encodes raw video to JPEG with libjpeg-turbo on worker threads, "
      "pipelined, in input order, without converting the input",
      "hfcapture developers <hfcapture@users.noreply.github.com>");

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_change_state);
  venc_class->start = GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_start);
  venc_class->stop = GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_stop);
  venc_class->set_format = GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_set_format);
  venc_class->handle_frame = GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_handle_frame);
  venc_class->finish = GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_finish);
  venc_class->sink_event = GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_sink_event);
  venc_class->propose_allocation =
      GST_DEBUG_FUNCPTR (gst_hf_jpeg_enc_propose_allocation);

  gst_type_mark_as_plugin_api (GST_TYPE_HF_JPEG_ENC_SUBSAMPLING, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_HF_JPEG_ENC_IDCT_METHOD, 0);
}

static void
gst_hf_jpeg_enc_init (GstHfJpegEnc * self)
{
  self->quality = DEFAULT_QUALITY;
  self->subsampling = DEFAULT_SUBSAMPLING;
  self->threads = DEFAULT_THREADS;
  self->queue_depth = DEFAULT_QUEUE_DEPTH;
  self->encode_timeout = DEFAULT_ENCODE_TIMEOUT;
  self->diagnostics_dir = g_strdup (DEFAULT_DIAGNOSTICS_DIR);
  self->dedup = DEFAULT_DEDUP;
  self->idct_method = DEFAULT_IDCT_METHOD;
  self->snapshot = DEFAULT_SNAPSHOT;
  self->restart_interval = DEFAULT_RESTART_INTERVAL;
  self->slices = DEFAULT_SLICES;
  self->pixel_format = -1;
}
