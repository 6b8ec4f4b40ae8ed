/* hfjpegenc frame pipeline: mapping, dedup, pushing frames into the
 * engine's in-order queue, finishing them, and failure reports. The
 * streaming thread pushes; the output task on the source pad pops and
 * finishes (both with the encoder's stream lock held, released around
 * waits).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <turbojpeg.h>

#include "gsthfjpegenc-frames.h"
#include "gsthfjpegenc-util.h"
#include "hfdiag.h"

#define GST_CAT_DEFAULT gst_hf_jpeg_enc_debug

/* ------------------------------------------------------------------ */
/* Slots                                                               */
/* ------------------------------------------------------------------ */

/* Gives back a slot's buffers and the frame. Runs on the streaming
 * thread, the output task, or a worker for an abandoned frame: it touches
 * nothing but the slot. */
static void
slot_clear (Slot * s)
{
  if (s->in_mapped)
    gst_video_frame_unmap (&s->in);
  if (s->out_mapped)
    gst_buffer_unmap (s->out, &s->out_map);
  gst_clear_buffer (&s->out);
  if (s->frame)
    gst_video_codec_frame_unref (s->frame);
}

/* The engine's release function for abandoned frames (any thread). */
static void
slot_release (void *data)
{
  slot_clear (data);
  g_free (data);
}

/* Stream lock held: a clean slot for a new frame, without allocating once
 * as many frames have been in flight as will be. */
static Slot *
slot_take (GstHfJpegEnc * self)
{
  Slot *s = self->spare_slots;

  if (s == NULL)
    return g_new0 (Slot, 1);
  self->spare_slots = s->next_spare;
  memset (s, 0, sizeof (*s));
  return s;
}

/* Stream lock held: the slot's frame is done with; it becomes a spare. */
static void
slot_recycle (GstHfJpegEnc * self, Slot * s)
{
  slot_clear (s);
  s->next_spare = self->spare_slots;
  self->spare_slots = s;
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

/* Drops every frame in flight without output. Frames still on a worker
 * are left to the engine, which releases them when they come out. */
static void
abandon_all (GstHfJpegEnc * self)
{
  hf_enc_pool_abandon (self->pool);
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
  gchar *dir, *caps = NULL, *pts_string, *debug;
  HfDiagRecord rec;

  GST_OBJECT_LOCK (self);
  dir = g_strdup (self->diagnostics_dir);
  GST_OBJECT_UNLOCK (self);

  if (self->input_state && self->input_state->caps)
    caps = gst_caps_to_string (self->input_state->caps);
  pts_string = g_strdup_printf ("%" GST_TIME_FORMAT, GST_TIME_ARGS (pts));
  rec.number = number;
  rec.pts = GST_CLOCK_TIME_IS_VALID (pts) ? (gint64) pts : -1;
  rec.pts_string = pts_string;
  rec.caps = caps;
  rec.params = params;
  rec.reason = reason;
  debug = hf_diag_dump (dir, &rec);

  GST_ELEMENT_ERROR (self, STREAM, ENCODE,
      ("Could not encode frame %" G_GUINT64_FORMAT " (PTS %" GST_TIME_FORMAT
          "): %s", number, GST_TIME_ARGS (pts), reason), ("%s", debug));
  g_free (debug);
  g_free (pts_string);
  g_free (caps);
  g_free (dir);
}

static GstFlowReturn
stored_flow (GstHfJpegEnc * self)
{
  return (GstFlowReturn) g_atomic_int_get (&self->out_flow);
}

/* Stores the first flow that is not OK and stops every wait on the
 * queue, so that the streaming thread returns the flow upstream. Frames
 * in flight stay until the flush or stop. */
static void
stop_on_flow (GstHfJpegEnc * self, GstFlowReturn ret)
{
  g_atomic_int_compare_and_exchange (&self->out_flow, GST_FLOW_OK, ret);
  hf_enc_pool_set_flushing (self->pool, TRUE);
}

/* A frame failed: posts its error, then stops the output, in this order:
 * the streaming thread must see the error flow before it sees the frames
 * in flight go. */
static GstFlowReturn
fail_frame (GstHfJpegEnc * self, Slot * s, const gchar * reason)
{
  post_frame_error (self, s->number, s->frame->pts, &s->params, reason);
  stop_on_flow (self, GST_FLOW_ERROR);
  abandon_all (self);
  return GST_FLOW_ERROR;
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

/* Pops the oldest frame in flight, waiting for it with the stream lock
 * released, and finishes it: its JPEG goes downstream. On failure posts
 * the error, abandons everything and returns the flow; FLUSHING when the
 * queue is flushing or stopped. */
static GstFlowReturn
pop_and_finish (GstHfJpegEnc * self)
{
  GstVideoCodecFrame *frame;
  GstBuffer *outbuf, *old_jpeg = NULL;
  const gchar *reason = NULL;
  HfEncResult res;
  HfEncStatus status;
  GstFlowReturn ret;
  gchar *why;
  void *data;
  Slot *s;

  /* Release the stream lock while waiting, so that nothing that needs it
   * (a serialized query, the base class) can deadlock against us. */
  GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
  status = hf_enc_pool_pop (self->pool, &res, &data);
  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  s = data;
  switch (status) {
    case HF_ENC_FLUSHING:
      GST_DEBUG_OBJECT (self, "flushing while waiting for a frame");
      return GST_FLOW_FLUSHING;
    case HF_ENC_TIMEOUT:
      /* The engine says which band ran too long or never started. The
       * frame is still queued: its worker may still read the input, as
       * the dump does. */
      why = g_strdup_printf ("%s (encode-timeout)", res.error);
      ret = fail_frame (self, s, why);
      g_free (why);
      return ret;
    case HF_ENC_ERROR:
      reason = res.error[0] ? res.error : "libjpeg-turbo failed";
      break;
    case HF_ENC_EMPTY:
      reason = "the encoder produced an empty (0-byte) image";
      break;
    default:
      if (!s->repeat && (res.size == 0 || res.size > s->params.out_capacity))
        reason = "the encoder returned an invalid result";
      else if (s->repeat && self->last_jpeg == NULL)
        reason = "internal error: no previous JPEG to repeat";
  }
  if (reason) {
    ret = fail_frame (self, s, reason);
    slot_recycle (self, s);
    hf_enc_pool_pop_done (self->pool);
    return ret;
  }

  /* Drop the previous JPEG only after the push: by then downstream (a
   * sink's last-sample, say) has let go of its share, so the pool can
   * recycle the buffer instead of discarding it. */
  if (s->repeat) {
    GST_LOG_OBJECT (self, "frame %" G_GUINT64_FORMAT " repeats the previous "
        "one: reusing its JPEG", s->number);
    outbuf = share_jpeg (self->last_jpeg);
  } else {
    gst_buffer_unmap (s->out, &s->out_map);
    s->out_mapped = FALSE;
    gst_buffer_set_size (s->out, res.size);
    old_jpeg = self->last_jpeg;
    /* No repeat can follow a frame encoded without dedup. */
    self->last_jpeg = s->keep_jpeg ? s->out : NULL;
    outbuf = s->keep_jpeg ? share_jpeg (s->out) : s->out;
    s->out = NULL;
  }
  frame = s->frame;
  s->frame = NULL;
  slot_recycle (self, s);

  frame->output_buffer = outbuf;
  ret = gst_video_encoder_finish_frame (GST_VIDEO_ENCODER (self), frame);
  if (old_jpeg)
    gst_buffer_unref (old_jpeg);
  /* Only now does a drain see the frame gone: it is downstream. */
  hf_enc_pool_pop_done (self->pool);
  return ret;
}

/* Streaming thread, stream lock held: waits, with the stream lock
 * released, until at most `keep` frames are in flight. Returns the stored
 * flow, else FLUSHING while flushing, else OK. */
static GstFlowReturn
wait_in_flight (GstHfJpegEnc * self, guint keep)
{
  GstFlowReturn ret;
  gboolean room;

  GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
  room = hf_enc_pool_wait_room (self->pool, keep);
  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  ret = stored_flow (self);
  return ret == GST_FLOW_OK && !room ? GST_FLOW_FLUSHING : ret;
}

/* The source pad's task: finishes the oldest frame as soon as it is done.
 * It pauses itself on flushing or on a flow that is not OK; the streaming
 * thread starts it again with the next frame after a flush. */
static void
output_loop (gpointer data)
{
  GstHfJpegEnc *self = data;
  GstFlowReturn ret;

  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  ret = pop_and_finish (self);
  GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
  if (ret != GST_FLOW_OK) {
    GST_DEBUG_OBJECT (self, "output task pausing: %s", gst_flow_get_name (ret));
    stop_on_flow (self, ret);
    gst_pad_pause_task (GST_VIDEO_ENCODER_SRC_PAD (self));
  }
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
      || self->prev_subsamp != s->params.subsamp
      || self->prev_fast_dct != s->params.fast_dct
      || self->prev_restart_rows != s->params.restart_rows)
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
  self->prev_fast_dct = s->params.fast_dct;
  self->prev_restart_rows = s->params.restart_rows;
}

GstFlowReturn
gst_hf_jpeg_enc_frames_push (GstHfJpegEnc * self, GstVideoCodecFrame * frame)
{
  GstVideoInfo *info = &self->input_state->info;
  gint quality, subsamp;
  guint timeout_ms, p;
  gboolean dedup, fast_dct, snapshot;
  gint restart_rows;
  guint64 number = self->frame_number++;
  gchar why[160];
  GstFlowReturn ret;
  Slot *s = NULL;

  /* The output task stopped on an error, or downstream stopped it. */
  ret = stored_flow (self);
  if (ret != GST_FLOW_OK) {
    gst_video_codec_frame_unref (frame);
    return ret;
  }

  GST_OBJECT_LOCK (self);
  quality = self->quality;
  subsamp = (gint) self->subsampling;
  timeout_ms = self->encode_timeout;
  dedup = self->dedup;
  fast_dct = self->idct_method == GST_HF_JPEG_ENC_IDCT_IFAST;
  snapshot = self->snapshot;
  restart_rows = (gint) self->restart_interval;
  GST_OBJECT_UNLOCK (self);
  /* snapshot: the first frame only. EOS tells upstream to stop; frames it
   * had already queued are dropped here. */
  if (snapshot && number > 0) {
    gst_video_codec_frame_unref (frame);
    return GST_FLOW_EOS;
  }
  if (self->pixel_format == -1 || self->pixel_format == TJPF_GRAY)
    subsamp = self->input_subsamp;

  GST_VIDEO_CODEC_FRAME_SET_SYNC_POINT (frame);

  /* Refuse a short buffer before mapping it: TurboJPEG would read past its
   * end. With a GstVideoMeta the layout is the meta's; it is checked after
   * mapping instead. */
  if (gst_buffer_get_video_meta (frame->input_buffer) == NULL
      && gst_buffer_get_size (frame->input_buffer) <
      GST_VIDEO_INFO_SIZE (info)) {
    g_snprintf (why, sizeof (why), "input buffer too small: %" G_GSIZE_FORMAT
        " bytes, the negotiated %dx%d %s frame needs %" G_GSIZE_FORMAT,
        gst_buffer_get_size (frame->input_buffer), GST_VIDEO_INFO_WIDTH (info),
        GST_VIDEO_INFO_HEIGHT (info), GST_VIDEO_INFO_NAME (info),
        GST_VIDEO_INFO_SIZE (info));
    goto refuse;
  }

  s = slot_take (self);
  s->frame = frame;
  s->number = number;
  if (!gst_video_frame_map (&s->in, info, frame->input_buffer, GST_MAP_READ)) {
    g_strlcpy (why, "cannot map the input buffer (too small for its video "
        "meta?)", sizeof (why));
    goto refuse;
  }
  s->in_mapped = TRUE;
  if (!gst_hf_jpeg_enc_frame_in_bounds (&s->in, why, sizeof (why)))
    goto refuse;

  s->params.width = GST_VIDEO_INFO_WIDTH (info);
  s->params.height = GST_VIDEO_INFO_HEIGHT (info);
  s->params.pixel_format = self->pixel_format;
  s->params.subsamp = subsamp;
  s->params.quality = quality;
  s->params.fast_dct = fast_dct;
  s->params.restart_rows = restart_rows;
  s->params.slices = (int) self->n_slices;
  s->params.convert = self->have_convert ? &self->convert : NULL;
  s->params.frame_number = number;
  if (self->pixel_format == -1) {
    /* YUV, component by component: Y, U, V in that order whatever the
     * planes' order or interleaving (docs/hfjpegenc.md, "Formats"). */
    for (p = 0; p < 3; p++) {
      s->params.planes[p] = GST_VIDEO_FRAME_COMP_DATA (&s->in, p);
      s->params.strides[p] = GST_VIDEO_FRAME_COMP_STRIDE (&s->in, p);
      s->params.pixel_strides[p] = GST_VIDEO_FRAME_COMP_PSTRIDE (&s->in, p);
    }
  } else {
    s->params.planes[0] = GST_VIDEO_FRAME_PLANE_DATA (&s->in, 0);
    s->params.strides[0] = GST_VIDEO_FRAME_PLANE_STRIDE (&s->in, 0);
  }
  s->keep_jpeg = dedup;

  if (dedup && is_duplicate (self, s)) {
    s->repeat = TRUE;
  } else {
    if (gst_buffer_pool_acquire_buffer (self->out_pool, &s->out, NULL) !=
        GST_FLOW_OK) {
      g_strlcpy (why, "cannot get an output buffer", sizeof (why));
      goto refuse;
    }
    if (!gst_buffer_map (s->out, &s->out_map, GST_MAP_WRITE)) {
      g_strlcpy (why, "cannot map the output buffer", sizeof (why));
      goto refuse;
    }
    s->out_mapped = TRUE;
    s->params.out = s->out_map.data;
    s->params.out_capacity = s->out_map.size;
  }
  if (dedup)
    dedup_remember (self, s);
  else
    dedup_forget_input (self);

  /* A repeat has nothing to encode: it is done at once, in its place. */
  if (!hf_enc_pool_push (self->pool, s->repeat ? NULL : &s->params,
          timeout_ms, s, slot_release)) {
    g_strlcpy (why, "no free encode slot (workers stuck?)", sizeof (why));
    goto refuse;
  }

  if (self->depth == 1) {
    ret = pop_and_finish (self);
    return snapshot && ret == GST_FLOW_OK ? GST_FLOW_EOS : ret;
  }

  /* The output task may have paused after a flush: start it again. */
  if (gst_pad_get_task_state (GST_VIDEO_ENCODER_SRC_PAD (self)) !=
      GST_TASK_STARTED
      && !gst_pad_start_task (GST_VIDEO_ENCODER_SRC_PAD (self), output_loop,
          self, NULL)) {
    GST_ELEMENT_ERROR (self, CORE, THREAD, ("Could not start the output "
            "thread."), (NULL));
    return GST_FLOW_ERROR;
  }
  ret = wait_in_flight (self, self->depth - 1);
  /* The frame is in flight: the drain at EOS pushes it. */
  return snapshot && ret == GST_FLOW_OK ? GST_FLOW_EOS : ret;

refuse:
  post_frame_error (self, number, frame->pts, NULL, why);
  if (s)
    slot_recycle (self, s);
  else
    gst_video_codec_frame_unref (frame);
  /* The output task may be waiting on the oldest frame: it stops on the
   * stored flow, and the frames in flight go at the flush or stop. */
  stop_on_flow (self, GST_FLOW_ERROR);
  return GST_FLOW_ERROR;
}

GstFlowReturn
gst_hf_jpeg_enc_frames_drain (GstHfJpegEnc * self)
{
  GST_DEBUG_OBJECT (self, "draining");
  return wait_in_flight (self, 0);
}

void
gst_hf_jpeg_enc_frames_set_flushing (GstHfJpegEnc * self, gboolean flushing)
{
  GST_OBJECT_LOCK (self);
  if (self->pool)
    hf_enc_pool_set_flushing (self->pool, flushing);
  GST_OBJECT_UNLOCK (self);
  if (!flushing)
    g_atomic_int_set (&self->out_flow, GST_FLOW_OK);
}

void
gst_hf_jpeg_enc_frames_abandon (GstHfJpegEnc * self)
{
  abandon_all (self);
}

void
gst_hf_jpeg_enc_frames_stop (GstHfJpegEnc * self)
{
  Slot *s;

  if (self->pool)
    abandon_all (self);
  while ((s = self->spare_slots)) {
    self->spare_slots = s->next_spare;
    g_free (s);
  }
}

void
gst_hf_jpeg_enc_frames_reset_dedup (GstHfJpegEnc * self)
{
  dedup_reset (self);
}
