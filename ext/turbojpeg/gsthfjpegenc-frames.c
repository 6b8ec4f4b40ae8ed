/* hfjpegenc frame pipeline: frames in flight in input order, waiting on
 * the worker pool, finishing frames, dedup and failure reports. The
 * streaming thread submits; the output task on the source pad finishes
 * (both with the encoder's stream lock held, released around waits).
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
#include "gsthfjpegenc-private.h"
#include "gsthfjpegenc-util.h"
#include "hfdiag.h"

#define GST_CAT_DEFAULT gst_hf_jpeg_enc_debug

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

/* ring_len changes under out_lock too, and wakes the other thread. */
static void
ring_set_len (GstHfJpegEnc * self, guint len)
{
  pthread_mutex_lock (&self->out_lock);
  self->ring_len = len;
  pthread_cond_broadcast (&self->out_cond);
  pthread_mutex_unlock (&self->out_lock);
}

/* The new tail slot; the output task sees it only once it takes the stream
 * lock, after the caller has filled it in. */
static Slot *
ring_push (GstHfJpegEnc * self)
{
  guint idx = (self->ring_head + self->ring_len) % self->depth;

  g_assert (self->ring_len < self->depth);
  if (self->ring[idx] == NULL)
    self->ring[idx] = g_new0 (Slot, 1);
  ring_set_len (self, self->ring_len + 1);
  return self->ring[idx];
}

static void
ring_pop (GstHfJpegEnc * self)
{
  self->ring_head = (self->ring_head + 1) % self->depth;
  ring_set_len (self, self->ring_len - 1);
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
      GST_DEBUG_OBJECT (self, "abandoning frame %" G_GUINT64_FORMAT, s->number);
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

/* Stores the first non-OK flow of the output side and wakes the streaming
 * thread, which returns it upstream. */
static void
store_flow (GstHfJpegEnc * self, GstFlowReturn ret)
{
  pthread_mutex_lock (&self->out_lock);
  if (self->out_flow == GST_FLOW_OK)
    self->out_flow = ret;
  pthread_cond_broadcast (&self->out_cond);
  pthread_mutex_unlock (&self->out_lock);
}

/* The oldest frame failed: posts its error, then stops the output, in this
 * order: the streaming thread must see the error flow before it sees the
 * frames in flight go. */
static GstFlowReturn
fail_head (GstHfJpegEnc * self, Slot * s, const gchar * reason)
{
  post_frame_error (self, s->number, s->frame->pts, &s->params, reason);
  store_flow (self, GST_FLOW_ERROR);
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
      /* The pool says whether the frame ran too long or never started. */
      gchar *reason = g_strdup_printf ("%s (encode-timeout)",
          s->result.error);

      /* The worker may still read the input: both only read it. */
      ret = fail_head (self, s, reason);
      g_free (reason);
      return ret;
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
    if (reason)
      return fail_head (self, s, reason);

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
    /* A duplicate follows its source in the queue, which kept its JPEG. */
    if (G_UNLIKELY (self->last_jpeg == NULL))
      return fail_head (self, s, "internal error: no previous JPEG to repeat");
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

/* Streaming thread, stream lock held: waits, with the stream lock
 * released, until at most `keep` frames are in flight. Returns the output
 * task's stored flow, FLUSHING while flushing, else OK. */
static GstFlowReturn
wait_in_flight (GstHfJpegEnc * self, guint keep)
{
  GstFlowReturn ret;

  GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
  pthread_mutex_lock (&self->out_lock);
  while (self->ring_len > keep && !self->out_flushing
      && self->out_flow == GST_FLOW_OK)
    pthread_cond_wait (&self->out_cond, &self->out_lock);
  ret = self->out_flushing ? GST_FLOW_FLUSHING : self->out_flow;
  pthread_mutex_unlock (&self->out_lock);
  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  return ret;
}

/* The source pad's task: finishes the oldest frame as soon as it is done.
 * It pauses itself on flushing or on a flow that is not OK; the streaming
 * thread starts it again with the next frame after a flush. */
static void
output_loop (gpointer data)
{
  GstHfJpegEnc *self = data;
  GstFlowReturn ret = GST_FLOW_OK;
  gboolean stop;

  pthread_mutex_lock (&self->out_lock);
  while (self->ring_len == 0 && !self->out_flushing
      && self->out_flow == GST_FLOW_OK)
    pthread_cond_wait (&self->out_cond, &self->out_lock);
  stop = self->out_flushing || self->out_flow != GST_FLOW_OK;
  pthread_mutex_unlock (&self->out_lock);
  if (stop) {
    GST_DEBUG_OBJECT (self, "output task pausing");
    gst_pad_pause_task (GST_VIDEO_ENCODER_SRC_PAD (self));
    return;
  }

  GST_VIDEO_ENCODER_STREAM_LOCK (self);
  /* The streaming thread may have taken back a slot it could not fill. */
  if (self->ring_len > 0)
    ret = finish_head (self);
  GST_VIDEO_ENCODER_STREAM_UNLOCK (self);
  if (ret != GST_FLOW_OK) {
    GST_DEBUG_OBJECT (self, "output stops: %s", gst_flow_get_name (ret));
    store_flow (self, ret);
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
  const GstHfJpegEncTestFault *fault;
  GstVideoInfo *info = &self->input_state->info;
  gint quality, subsamp;
  guint timeout_ms, p;
  gboolean dedup, fast_dct, snapshot;
  gint restart_rows;
  guint64 number = self->frame_number++;
  gchar why[160];
  GstFlowReturn ret;
  Slot *s;

  /* The output task stopped on an error, or downstream stopped it. */
  pthread_mutex_lock (&self->out_lock);
  ret = self->out_flow;
  pthread_mutex_unlock (&self->out_lock);
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
  /* Test-only fault injection (see gsthfjpegenc-private.h). */
  fault = g_object_get_data (G_OBJECT (self), GST_HF_JPEG_ENC_TEST_FAULT_KEY);

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
  s->params.fast_dct = fast_dct;
  s->params.restart_rows = restart_rows;
  s->params.slices = (int) self->n_slices;
  s->params.convert = self->have_convert ? &self->convert : NULL;
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
  if (fault && fault->fault != HF_ENC_FAULT_NONE
      && fault->frame_number == number) {
    s->params.fault = fault->fault;
    s->params.fault_hang_ms = fault->hang_ms;
    s->params.fault_band = (int) fault->band;
    dedup = FALSE;              /* the test wants this frame encoded */
  }
  s->keep_jpeg = dedup;

  if (dedup && is_duplicate (self, s)) {
    s->kind = SLOT_DUP;
  } else {
    if (gst_buffer_pool_acquire_buffer (self->out_pool, &s->out, NULL) !=
        GST_FLOW_OK) {
      g_strlcpy (why, "cannot get an output buffer", sizeof (why));
      goto refuse_slot;
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

  if (self->depth == 1) {
    ret = finish_head (self);
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

refuse_slot:
  /* The slot is the newest and not submitted: take it back. */
  s->frame = NULL;
  slot_clear (s);
  ring_set_len (self, self->ring_len - 1);
refuse:
  post_frame_error (self, number, frame->pts, NULL, why);
  gst_video_codec_frame_unref (frame);
  /* The output task may be waiting on the oldest frame: it stops on the
   * stored flow, and the frames in flight go at the flush or stop. */
  if (self->depth > 1)
    store_flow (self, GST_FLOW_ERROR);
  else
    abandon_all (self);
  return GST_FLOW_ERROR;
}

GstFlowReturn
gst_hf_jpeg_enc_frames_drain (GstHfJpegEnc * self)
{
  GST_DEBUG_OBJECT (self, "draining %u frames", self->ring_len);
  return wait_in_flight (self, 0);
}

void
gst_hf_jpeg_enc_frames_set_flushing (GstHfJpegEnc * self, gboolean flushing)
{
  GST_OBJECT_LOCK (self);
  if (self->pool)
    hf_enc_pool_set_flushing (self->pool, flushing);
  GST_OBJECT_UNLOCK (self);

  pthread_mutex_lock (&self->out_lock);
  self->out_flushing = flushing;
  if (!flushing)
    self->out_flow = GST_FLOW_OK;
  pthread_cond_broadcast (&self->out_cond);
  pthread_mutex_unlock (&self->out_lock);
}

void
gst_hf_jpeg_enc_frames_abandon (GstHfJpegEnc * self)
{
  abandon_all (self);
}

void
gst_hf_jpeg_enc_frames_reset_dedup (GstHfJpegEnc * self)
{
  dedup_reset (self);
}
