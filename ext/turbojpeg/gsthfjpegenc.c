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
 * frames are in flight. Output keeps input order, and the encoded bytes do
 * not depend on the number of threads.
 *
 * Packed RGB input (with or without alpha; alpha is ignored) and GRAY8 are
 * compressed straight from the mapped frame. Planar I420, Y42B and Y444
 * keep their own chroma subsampling. Nothing is converted or copied.
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

#include <string.h>
#include <turbojpeg.h>

#include "gsthfjpegenc.h"
#include "gsthfjpegenc-private.h"
#include "gsthfjpegenc-util.h"
#include "hfencpool.h"

GST_DEBUG_CATEGORY_STATIC (gst_hf_jpeg_enc_debug);
#define GST_CAT_DEFAULT gst_hf_jpeg_enc_debug

#define DEFAULT_QUALITY 85
#define DEFAULT_SUBSAMPLING GST_HF_JPEG_ENC_SUBSAMPLING_420
#define DEFAULT_THREADS 0
#define DEFAULT_QUEUE_DEPTH 0
#define DEFAULT_ENCODE_TIMEOUT 30000
#define DEFAULT_DIAGNOSTICS_DIR NULL
#define DEFAULT_DEDUP TRUE

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
};

typedef enum
{
  SLOT_POOL,                    /* submitted to the worker pool */
  SLOT_DONE,                    /* result known (inline encode, or collected) */
  SLOT_DUP,                     /* repeats the previous frame: no encode */
} SlotKind;

/* One frame in flight. Slots are reused frame after frame; a slot whose job
 * is abandoned goes to the engine, which frees it (slot_release), and the
 * ring gets a new one. */
typedef struct
{
  SlotKind kind;
  GstVideoCodecFrame *frame;    /* our reference */
  guint64 number;
  gboolean keep_jpeg;           /* dedup was on: keep the output for reuse */
  GstVideoFrame in;
  gboolean in_mapped;
  GstBuffer *out;
  GstMapInfo out_map;
  gboolean out_mapped;
  HfEncParams params;
  HfEncJob *job;
  HfEncResult result;
} Slot;

struct _GstHfJpegEnc
{
  GstVideoEncoder parent;

  /* Properties; GST_OBJECT_LOCK. */
  gint quality;
  GstHfJpegEncSubsampling subsampling;
  guint threads;
  guint queue_depth;
  guint encode_timeout;
  gchar *diagnostics_dir;
  gboolean dedup;

  /* Set in start, cleared in stop; GST_OBJECT_LOCK, because FLUSH_START and
   * change_state read it from other threads. */
  HfEncPool *pool;

  /* Streaming state; the encoder's stream lock. */
  HfEncoder *inline_enc;        /* queue-depth 1 */
  guint depth;
  Slot **ring;                  /* FIFO of frames in flight, input order */
  guint ring_head, ring_len;
  GstVideoCodecState *input_state;
  int pixel_format;             /* TJPF_*, or -1 for planar YUV */
  int input_subsamp;            /* planar and gray: the input's own */
  gsize out_size;
  GstBufferPool *out_pool;
  guint64 frame_number;

  /* Dedup: the previous input (mapped) and the settings it had, and the
   * newest encoded JPEG, which duplicates share. */
  gboolean have_prev;
  GstVideoFrame prev_in;
  gint prev_quality, prev_subsamp;
  GstBuffer *last_jpeg;
};

#define FORMATS "{ RGBA, RGBx, BGRA, BGRx, ARGB, xRGB, ABGR, xBGR, RGB, BGR, " \
  "GRAY8, I420, Y42B, Y444 }"

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("video/x-raw, format = (string) " FORMATS ", "
        "width = (int) [ 1, 65535 ], height = (int) [ 1, 65535 ], "
        "framerate = (fraction) [ 0/1, MAX ]"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("image/jpeg, sof-marker = (int) 0, "
        "width = (int) [ 1, 65535 ], height = (int) [ 1, 65535 ], "
        "framerate = (fraction) [ 0/1, MAX ]"));

#define gst_hf_jpeg_enc_parent_class parent_class
G_DEFINE_TYPE (GstHfJpegEnc, gst_hf_jpeg_enc, GST_TYPE_VIDEO_ENCODER);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (hfjpegenc, "hfjpegenc",
    GST_RANK_NONE, GST_TYPE_HF_JPEG_ENC,
    GST_DEBUG_CATEGORY_INIT (gst_hf_jpeg_enc_debug, "hfjpegenc", 0,
        "threaded libjpeg-turbo JPEG encoder"));

GType
gst_hf_jpeg_enc_subsampling_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    {GST_HF_JPEG_ENC_SUBSAMPLING_444, "4:4:4 (full chroma resolution)",
        "444"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_422, "4:2:2 (half horizontal chroma)",
        "422"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_420, "4:2:0 (half chroma both ways)", "420"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_440, "4:4:0 (half vertical chroma)", "440"},
    {GST_HF_JPEG_ENC_SUBSAMPLING_GRAY, "Gray (luma only)", "gray"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstHfJpegEncSubsampling", values);
    g_once_init_leave (&type, t);
  }
  return (GType) type;
}

/* ------------------------------------------------------------------ */
/* Slots and the in-order FIFO                                         */
/* ------------------------------------------------------------------ */

/* Gives back a slot's buffers. Runs on the streaming thread, or on a worker
 * for an abandoned job; it touches nothing but the slot. */
static void
slot_clear (Slot * s)
{
  if (s->in_mapped)
    gst_video_frame_unmap (&s->in);
  s->in_mapped = FALSE;
  if (s->out_mapped)
    gst_buffer_unmap (s->out, &s->out_map);
  s->out_mapped = FALSE;
  gst_clear_buffer (&s->out);
  s->job = NULL;
}

/* The engine's release function for abandoned jobs: the slot is its own. */
static void
slot_release (void *data)
{
  Slot *s = data;

  slot_clear (s);
  g_free (s);
}

static Slot *
ring_push (GstHfJpegEnc * self)
{
  guint idx = (self->ring_head + self->ring_len) % self->depth;

  g_assert (self->ring_len < self->depth);
  if (self->ring[idx] == NULL)
    self->ring[idx] = g_new0 (Slot, 1);
  self->ring_len++;
  return self->ring[idx];
}

static void
ring_pop (GstHfJpegEnc * self)
{
  self->ring_head = (self->ring_head + 1) % self->depth;
  self->ring_len--;
}

/* Forgets the previous input, so that the next frame is encoded. */
static void
dedup_forget_input (GstHfJpegEnc * self)
{
  if (self->have_prev)
    gst_video_frame_unmap (&self->prev_in);
  self->have_prev = FALSE;
}

/* Forgets everything; only with no frame in flight (a pending duplicate
 * needs last_jpeg). */
static void
dedup_reset (GstHfJpegEnc * self)
{
  dedup_forget_input (self);
  gst_clear_buffer (&self->last_jpeg);
}

/* Drops every frame in flight without output. Jobs still on a worker are
 * left to the engine, which releases them when they come out. */
static void
abandon_all (GstHfJpegEnc * self)
{
  while (self->ring_len > 0) {
    guint idx = self->ring_head;
    Slot *s = self->ring[idx];

    if (s->frame)
      gst_video_codec_frame_unref (s->frame);
    s->frame = NULL;
    if (s->kind == SLOT_POOL && s->job) {
      GST_DEBUG_OBJECT (self, "abandoning frame %" G_GUINT64_FORMAT,
          s->number);
      self->ring[idx] = NULL;
      hf_enc_job_abandon (self->pool, s->job);
    } else {
      slot_clear (s);
    }
    ring_pop (self);
  }
  self->ring_head = 0;
  dedup_reset (self);
}

/* ------------------------------------------------------------------ */
/* Failures                                                            */
/* ------------------------------------------------------------------ */

/* Posts the STREAM/ENCODE error for a frame, after the diagnostics dump.
 * params is NULL when there is no complete input frame to dump. */
static void
post_frame_error (GstHfJpegEnc * self, guint64 number, GstClockTime pts,
    const HfEncParams * params, const gchar * reason)
{
  gchar *dir, *caps = NULL, *debug;

  GST_OBJECT_LOCK (self);
  dir = g_strdup (self->diagnostics_dir);
  GST_OBJECT_UNLOCK (self);

  if (self->input_state && self->input_state->caps)
    caps = gst_caps_to_string (self->input_state->caps);
  debug = gst_hf_jpeg_enc_dump_diagnostics (dir, number, pts, caps, params,
      reason);

  GST_ELEMENT_ERROR (self, STREAM, ENCODE,
      ("Could not encode frame %" G_GUINT64_FORMAT " (PTS %" GST_TIME_FORMAT
          "): %s", number, GST_TIME_ARGS (pts), reason), ("%s", debug));
  g_free (debug);
  g_free (caps);
  g_free (dir);
}

/* ------------------------------------------------------------------ */
/* Collecting results                                                  */
/* ------------------------------------------------------------------ */

/* A new buffer that shares the JPEG's memory: what downstream gets in
 * dedup mode, so that we can keep the original for duplicates while the
 * pushed buffer stays writable for the base class and downstream. */
static GstBuffer *
share_jpeg (GstBuffer * jpeg)
{
  GstBuffer *buf = gst_buffer_new ();

  gst_buffer_append_memory (buf, gst_memory_ref (gst_buffer_peek_memory (jpeg,
              0)));
  return buf;
}

/* Finishes the oldest frame in flight, waiting for it if needed. On
 * failure posts the error, abandons everything and returns the flow. */
static GstFlowReturn
finish_head (GstHfJpegEnc * self)
{
  Slot *s = self->ring[self->ring_head];
  GstVideoCodecFrame *frame;
  GstBuffer *outbuf, *old_jpeg = NULL;
  GstFlowReturn ret;

  if (s->kind == SLOT_POOL) {
    HfEncStatus status;

    /* Release the stream lock while waiting, so that nothing that needs it
     * (a serialized query, the base class) can deadlock against us. */
    GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
    status = hf_enc_job_wait (self->pool, s->job, &s->result);
    GST_VIDEO_ENCODER_STREAM_LOCK (self);

    if (status == HF_ENC_FLUSHING) {
      GST_DEBUG_OBJECT (self, "flushing while waiting for frame %"
          G_GUINT64_FORMAT, s->number);
      abandon_all (self);
      return GST_FLOW_FLUSHING;
    }
    if (status == HF_ENC_TIMEOUT) {
      gchar *reason;
      guint timeout;

      GST_OBJECT_LOCK (self);
      timeout = self->encode_timeout;
      GST_OBJECT_UNLOCK (self);
      reason = g_strdup_printf ("encode did not finish within %u ms "
          "(encode-timeout)", timeout);
      /* The worker may still read the input: both only read it. */
      post_frame_error (self, s->number, s->frame->pts, &s->params, reason);
      g_free (reason);
      abandon_all (self);
      return GST_FLOW_ERROR;
    }
    hf_enc_job_finish (self->pool, s->job);
    s->job = NULL;
    s->kind = SLOT_DONE;
  }

  if (s->kind == SLOT_DONE) {
    const gchar *reason = NULL;

    if (s->result.status == HF_ENC_ERROR)
      reason = s->result.error[0] ? s->result.error : "libjpeg-turbo failed";
    else if (s->result.status == HF_ENC_EMPTY || s->result.size == 0)
      reason = "the encoder produced an empty (0-byte) image";
    else if (s->result.status != HF_ENC_OK
        || s->result.size > s->params.out_capacity)
      reason = "the encoder returned an invalid result";
    if (reason) {
      post_frame_error (self, s->number, s->frame->pts, &s->params, reason);
      abandon_all (self);
      return GST_FLOW_ERROR;
    }

    gst_buffer_unmap (s->out, &s->out_map);
    s->out_mapped = FALSE;
    gst_buffer_set_size (s->out, s->result.size);
    if (s->keep_jpeg) {
      /* Drop the previous JPEG only after the push: by then downstream
       * (a sink's last-sample, say) has let go of its share, so the pool
       * can recycle the buffer instead of discarding it. */
      old_jpeg = self->last_jpeg;
      self->last_jpeg = s->out;
      outbuf = share_jpeg (s->out);
    } else {
      /* No duplicate can follow a frame encoded without dedup. */
      old_jpeg = self->last_jpeg;
      self->last_jpeg = NULL;
      outbuf = s->out;
    }
    s->out = NULL;
  } else {
    g_assert (s->kind == SLOT_DUP && self->last_jpeg != NULL);
    GST_LOG_OBJECT (self, "frame %" G_GUINT64_FORMAT " repeats the previous "
        "one: reusing its JPEG", s->number);
    outbuf = share_jpeg (self->last_jpeg);
  }

  slot_clear (s);
  frame = s->frame;
  s->frame = NULL;
  ring_pop (self);

  frame->output_buffer = outbuf;
  ret = gst_video_encoder_finish_frame (GST_VIDEO_ENCODER (self), frame);
  if (old_jpeg)
    gst_buffer_unref (old_jpeg);
  return ret;
}

/* Finishes, in order, every frame already done, and waits for the oldest
 * while more than `keep` frames are in flight. */
static GstFlowReturn
collect (GstHfJpegEnc * self, guint keep)
{
  GstFlowReturn ret = GST_FLOW_OK;

  while (self->ring_len > 0 && ret == GST_FLOW_OK) {
    Slot *s = self->ring[self->ring_head];

    if (self->ring_len <= keep && s->kind == SLOT_POOL
        && !hf_enc_job_is_done (self->pool, s->job))
      break;
    ret = finish_head (self);
  }
  return ret;
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

/* Is the frame in slot s the same picture as the previous input? */
static gboolean
is_duplicate (GstHfJpegEnc * self, Slot * s)
{
  GstBuffer *cur = s->frame->input_buffer;
  GstBuffer *prev = self->prev_in.buffer;
  guint p;

  if (!self->have_prev || self->prev_quality != s->params.quality
      || self->prev_subsamp != s->params.subsamp)
    return FALSE;

  /* Same memory, same layout: we hold a reference to it, so nobody could
   * have written it since (shared memory cannot be mapped for writing). */
  if (gst_buffer_n_memory (cur) == 1 && gst_buffer_n_memory (prev) == 1
      && gst_buffer_peek_memory (cur, 0) == gst_buffer_peek_memory (prev, 0)) {
    gboolean same = TRUE;

    for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&s->in); p++)
      same = same && s->in.data[p] == self->prev_in.data[p]
          && s->in.info.stride[p] == self->prev_in.info.stride[p];
    if (same)
      return TRUE;
  }

  return gst_hf_jpeg_enc_frames_equal (&s->in, &self->prev_in);
}

/* Remembers the frame in slot s as the previous input for dedup. */
static void
dedup_remember (GstHfJpegEnc * self, Slot * s)
{
  if (self->have_prev)
    gst_video_frame_unmap (&self->prev_in);
  self->have_prev = gst_video_frame_map (&self->prev_in,
      &self->input_state->info, s->frame->input_buffer, GST_MAP_READ);
  self->prev_quality = s->params.quality;
  self->prev_subsamp = s->params.subsamp;
}

static GstFlowReturn
gst_hf_jpeg_enc_handle_frame (GstVideoEncoder * encoder,
    GstVideoCodecFrame * frame)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  const GstHfJpegEncTestFault *fault;
  GstVideoInfo *info = &self->input_state->info;
  gint quality, subsamp;
  guint timeout_ms, p;
  gboolean dedup;
  guint64 number = self->frame_number++;
  gchar why[160];
  Slot *s;

  GST_OBJECT_LOCK (self);
  quality = self->quality;
  subsamp = (gint) self->subsampling;
  timeout_ms = self->encode_timeout;
  dedup = self->dedup;
  GST_OBJECT_UNLOCK (self);
  if (self->pixel_format == -1 || self->pixel_format == TJPF_GRAY)
    subsamp = self->input_subsamp;
  /* Test-only fault injection (see gsthfjpegenc-private.h). */
  fault = g_object_get_data (G_OBJECT (self), GST_HF_JPEG_ENC_TEST_FAULT_KEY);

  GST_VIDEO_CODEC_FRAME_SET_SYNC_POINT (frame);

  /* Refuse a short buffer before mapping it: TurboJPEG would read past its
   * end. With a GstVideoMeta the layout is the meta's; it is checked after
   * mapping instead. */
  if (gst_buffer_get_video_meta (frame->input_buffer) == NULL
      && gst_buffer_get_size (frame->input_buffer) < GST_VIDEO_INFO_SIZE (info)) {
    g_snprintf (why, sizeof (why), "input buffer too small: %" G_GSIZE_FORMAT
        " bytes, the negotiated %dx%d %s frame needs %" G_GSIZE_FORMAT,
        gst_buffer_get_size (frame->input_buffer), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info), GST_VIDEO_INFO_NAME (info),
        GST_VIDEO_INFO_SIZE (info));
    goto refuse;
  }

  s = ring_push (self);
  s->frame = frame;
  s->number = number;
  s->job = NULL;
  memset (&s->params, 0, sizeof (s->params));
  if (!gst_video_frame_map (&s->in, info, frame->input_buffer, GST_MAP_READ)) {
    g_strlcpy (why, "cannot map the input buffer (too small for its video "
        "meta?)", sizeof (why));
    goto refuse_slot;
  }
  s->in_mapped = TRUE;
  if (!gst_hf_jpeg_enc_frame_in_bounds (&s->in, why, sizeof (why)))
    goto refuse_slot;

  s->params.width = GST_VIDEO_INFO_WIDTH (info);
  s->params.height = GST_VIDEO_INFO_HEIGHT (info);
  s->params.pixel_format = self->pixel_format;
  s->params.subsamp = subsamp;
  s->params.quality = quality;
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&s->in); p++) {
    s->params.planes[p] = GST_VIDEO_FRAME_PLANE_DATA (&s->in, p);
    s->params.strides[p] = GST_VIDEO_FRAME_PLANE_STRIDE (&s->in, p);
  }
  if (fault && fault->fault != HF_ENC_FAULT_NONE
      && fault->frame_number == number) {
    s->params.fault = fault->fault;
    s->params.fault_hang_ms = fault->hang_ms;
    dedup = FALSE;              /* the test wants this frame encoded */
  }
  s->keep_jpeg = dedup;

  if (dedup && is_duplicate (self, s)) {
    s->kind = SLOT_DUP;
  } else {
    GstFlowReturn fret;

    fret = gst_buffer_pool_acquire_buffer (self->out_pool, &s->out, NULL);
    if (fret != GST_FLOW_OK) {
      abandon_all (self);
      return fret;
    }
    if (!gst_buffer_map (s->out, &s->out_map, GST_MAP_WRITE)) {
      g_strlcpy (why, "cannot map the output buffer", sizeof (why));
      goto refuse_slot;
    }
    s->out_mapped = TRUE;
    s->params.out = s->out_map.data;
    s->params.out_capacity = s->out_map.size;

    if (self->pool == NULL) {
      hf_encoder_compress (self->inline_enc, &s->params, &s->result);
      s->kind = SLOT_DONE;
    } else {
      s->job = hf_enc_pool_submit (self->pool, &s->params, timeout_ms, s,
          slot_release);
      if (s->job == NULL) {
        g_strlcpy (why, "no free encode slot (workers stuck?)", sizeof (why));
        goto refuse_slot;
      }
      s->kind = SLOT_POOL;
    }
  }

  if (dedup)
    dedup_remember (self, s);
  else
    dedup_forget_input (self);

  return collect (self, self->depth - 1);

refuse_slot:
  /* The slot is the newest: clear it, then give up on the others. */
  s->frame = NULL;
  slot_clear (s);
  self->ring_len--;
refuse:
  post_frame_error (self, number, frame->pts, NULL, why);
  gst_video_codec_frame_unref (frame);
  abandon_all (self);
  return GST_FLOW_ERROR;
}

static GstFlowReturn
gst_hf_jpeg_enc_finish (GstVideoEncoder * encoder)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);

  GST_DEBUG_OBJECT (self, "draining %u frames", self->ring_len);
  return collect (self, 0);
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

  /* Frames in flight were negotiated with the old caps. */
  if (collect (self, 0) != GST_FLOW_OK)
    return FALSE;
  dedup_reset (self);

  if (!gst_hf_jpeg_enc_format_to_tj (GST_VIDEO_INFO_FORMAT (info),
          &self->pixel_format, &self->input_subsamp)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("unsupported format %s", GST_VIDEO_INFO_NAME (info)));
    return FALSE;
  }
  size = gst_hf_jpeg_enc_out_size (width, height, self->pixel_format,
      self->input_subsamp);
  if (size == 0) {
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("A %dx%d frame is too large for libjpeg-turbo.", width, height),
        ("its worst-case JPEG size does not fit in an int"));
    return FALSE;
  }

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

  if (GST_VIDEO_INFO_FPS_N (info) > 0)
    latency = gst_util_uint64_scale (self->depth - 1,
        GST_SECOND * GST_VIDEO_INFO_FPS_D (info), GST_VIDEO_INFO_FPS_N (info));
  gst_video_encoder_set_latency (encoder, latency, latency);

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
gst_hf_jpeg_enc_propose_allocation (GstVideoEncoder * encoder,
    GstQuery * query)
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

static void
set_flushing (GstHfJpegEnc * self, gboolean flushing)
{
  GST_OBJECT_LOCK (self);
  if (self->pool)
    hf_enc_pool_set_flushing (self->pool, flushing);
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_hf_jpeg_enc_sink_event (GstVideoEncoder * encoder, GstEvent * event)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_START:
      /* Wakes a streaming thread waiting for a worker; the base class does
       * not forward FLUSH_START to us otherwise. */
      set_flushing (self, TRUE);
      break;
    case GST_EVENT_FLUSH_STOP:
      GST_VIDEO_ENCODER_STREAM_LOCK (self);
      abandon_all (self);
      self->frame_number = 0;
      set_flushing (self, FALSE);
      GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
      break;
    default:
      break;
  }
  return GST_VIDEO_ENCODER_CLASS (parent_class)->sink_event (encoder, event);
}

static GstStateChangeReturn
gst_hf_jpeg_enc_change_state (GstElement * element, GstStateChange transition)
{
  /* stop() runs only after the pads are deactivated, which waits for the
   * streaming thread: unblock it first. */
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    set_flushing (GST_HF_JPEG_ENC (element), TRUE);

  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

static gboolean
gst_hf_jpeg_enc_start (GstVideoEncoder * encoder)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  guint threads, depth;
  char err[256] = "";

  GST_OBJECT_LOCK (self);
  threads = self->threads;
  depth = self->queue_depth;
  GST_OBJECT_UNLOCK (self);

  if (threads == 0)
    threads = MIN (g_get_num_processors (), MAX_THREADS);
  if (depth == 0)
    depth = MAX (threads + 1, 2);
  /* More workers than frames in flight would never all be busy. */
  threads = MIN (threads, depth);

  self->depth = depth;
  self->ring = g_new0 (Slot *, depth);
  self->ring_head = self->ring_len = 0;
  self->frame_number = 0;

  if (depth == 1) {
    self->inline_enc = hf_encoder_new (err, sizeof (err));
  } else {
    /* Abandoned jobs stay alive until their worker comes out: room for
     * one per worker on top of the queue. */
    HfEncPool *pool = hf_enc_pool_new (threads, depth + threads, err,
        sizeof (err));

    GST_OBJECT_LOCK (self);
    self->pool = pool;
    GST_OBJECT_UNLOCK (self);
  }
  if (self->inline_enc == NULL && self->pool == NULL) {
    GST_ELEMENT_ERROR (self, LIBRARY, INIT,
        ("Could not start the JPEG encoder."), ("%s", err));
    g_clear_pointer (&self->ring, g_free);
    return FALSE;
  }
  GST_INFO_OBJECT (self, "queue depth %u, %s", depth,
      depth == 1 ? "encoding inline" : "worker pool started");
  if (depth > 1)
    GST_INFO_OBJECT (self, "%u encode threads", threads);
  return TRUE;
}

static gboolean
gst_hf_jpeg_enc_stop (GstVideoEncoder * encoder)
{
  GstHfJpegEnc *self = GST_HF_JPEG_ENC (encoder);
  HfEncPool *pool;
  guint i;

  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  if (self->ring) {
    abandon_all (self);
    for (i = 0; i < self->depth; i++)
      g_free (self->ring[i]);
    g_clear_pointer (&self->ring, g_free);
  }
  GST_OBJECT_LOCK (self);
  pool = self->pool;
  self->pool = NULL;
  GST_OBJECT_UNLOCK (self);
  /* Returns at once even if a worker is stuck in a job. */
  hf_enc_pool_free (pool);
  g_clear_pointer (&self->inline_enc, hf_encoder_free);
  if (self->out_pool) {
    gst_buffer_pool_set_active (self->out_pool, FALSE);
    gst_clear_object (&self->out_pool);
  }
  self->out_size = 0;
  g_clear_pointer (&self->input_state, gst_video_codec_state_unref);
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
      g_free (self->diagnostics_dir);
      self->diagnostics_dir = g_value_dup_string (value);
      break;
    case PROP_DEDUP:
      self->dedup = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
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
          "Chroma subsampling of the JPEG made from RGB input. Planar YUV "
          "input (I420, Y42B, Y444) keeps its own subsampling and GRAY8 "
          "input makes a gray JPEG, whatever this says",
          GST_TYPE_HF_JPEG_ENC_SUBSAMPLING, DEFAULT_SUBSAMPLING,
          rw | GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_THREADS,
      g_param_spec_uint ("threads", "Threads",
          "Number of encode worker threads (0 = one per online CPU); never "
          "more than queue-depth. Unused when queue-depth is 1",
          0, MAX_THREADS, DEFAULT_THREADS, rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_QUEUE_DEPTH,
      g_param_spec_uint ("queue-depth", "Queue depth",
          "Most frames in flight inside the element (0 = auto: threads + 1, "
          "at least 2; 1 = encode inline on the streaming thread, no "
          "workers). Latency is queue-depth - 1 frames",
          0, MAX_QUEUE_DEPTH, DEFAULT_QUEUE_DEPTH,
          rw | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_ENCODE_TIMEOUT,
      g_param_spec_uint ("encode-timeout", "Encode timeout",
          "Per-frame watchdog in milliseconds (0 = none): a frame not "
          "encoded in time is an error. Not applied when queue-depth is 1",
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
  self->pixel_format = -1;
}
