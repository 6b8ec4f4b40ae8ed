/* hfjpegenc internals shared by the element glue (gsthfjpegenc.c) and
 * the frame pipeline (gsthfjpegenc-frames.c): the instance struct and the
 * frames in flight.
 *
 * Two threads share the engine's in-order queue (docs/design.md,
 * "hfjpegenc"): the streaming thread pushes frames, and the output task on
 * the source pad pops and finishes them, in order, as soon as the oldest
 * is done, whether or not more input comes.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifndef __GST_HF_JPEG_ENC_FRAMES_H__
#define __GST_HF_JPEG_ENC_FRAMES_H__

#include <gst/gst.h>
#include <gst/video/video.h>

#include "gsthfjpegenc.h"
#include "hfencpool.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_hf_jpeg_enc_debug);

/* One frame in flight: taken when it comes in (from the element's spare
 * slots, or new), queued in the engine (hfencpool.h) with itself as
 * user_data, and a spare again once finished; an abandoned one is freed
 * by the engine's release (slot_release). */
typedef struct _Slot Slot;
struct _Slot
{
  GstVideoCodecFrame *frame;    /* our reference */
  guint64 number;
  gboolean repeat;              /* dedup: the previous frame's JPEG again */
  gboolean keep_jpeg;           /* dedup was on: keep the output for reuse */
  GstVideoFrame in;
  gboolean in_mapped;
  GstBuffer *out;
  GstMapInfo out_map;
  gboolean out_mapped;
  HfEncParams params;
  Slot *next_spare;
};

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
  GstHfJpegEncIdctMethod idct_method;
  gboolean snapshot;
  guint restart_interval;
  guint slices;

  /* The engine's queue, with workers unless queue-depth and slices are 1.
   * Set in start, cleared in stop; GST_OBJECT_LOCK, because FLUSH_START and
   * change_state read it from other threads. */
  HfEncPool *pool;

  /* Streaming state; the encoder's stream lock. */
  guint depth;
  guint n_slices;
  GstVideoCodecState *input_state;
  /* Caps set_format refused: when the base class offers them again (it
   * re-sends sticky caps with the next buffer), refuse without a second
   * ERROR. */
  GstCaps *refused_caps;
  int pixel_format;             /* TJPF_*, or -1 for planar YUV */
  int input_subsamp;            /* planar and gray: the input's own */
  /* Planar input in other colours than JFIF's: the conversion, read by
   * the workers (set in set_format, after draining). */
  gboolean have_convert;
  HfYuvConvert convert;
  gsize out_size;
  GstBufferPool *out_pool;
  guint64 frame_number;
  Slot *spare_slots;            /* finished slots, for the next frames */

  /* Dedup: the previous input (mapped) and the settings it had, and the
   * newest encoded JPEG, which duplicates share. */
  gboolean have_prev;
  GstVideoFrame prev_in;
  gint prev_quality, prev_subsamp;
  gboolean prev_fast_dct;
  gint prev_restart_rows;
  GstBuffer *last_jpeg;

  /* The first flow that is not OK, from either thread (atomic): the
   * streaming thread returns it upstream. OK again after a flush. */
  gint out_flow;
};

/* The streaming-thread side; all with the encoder's stream lock held.
 * Waits release the stream lock, so that the output task can finish
 * frames meanwhile. */

/* Queues a frame for encoding (or as a repeat). With queue-depth 1 it is
 * encoded and finished here; otherwise the output task finishes it, and
 * this waits while queue-depth frames are in flight. Returns the output
 * task's flow once it has stopped on one. */
G_GNUC_INTERNAL
GstFlowReturn gst_hf_jpeg_enc_frames_push (GstHfJpegEnc * self,
    GstVideoCodecFrame * frame);

/* Waits until every frame in flight is finished (EOS, SEGMENT_DONE, caps
 * change). */
G_GNUC_INTERNAL
GstFlowReturn gst_hf_jpeg_enc_frames_drain (GstHfJpegEnc * self);

/* Drops every frame in flight without output, and the dedup state. The
 * output task must be paused or stopped. */
G_GNUC_INTERNAL
void gst_hf_jpeg_enc_frames_abandon (GstHfJpegEnc * self);

/* At stop, stream lock held: abandons what is in flight and frees the
 * spare slots. */
G_GNUC_INTERNAL
void gst_hf_jpeg_enc_frames_stop (GstHfJpegEnc * self);

/* Any thread, no lock held: sets or clears flushing. Setting it makes every
 * wait of both threads return and the output task pause itself. Clearing
 * it also forgets a stored flow. */
G_GNUC_INTERNAL
void gst_hf_jpeg_enc_frames_set_flushing (GstHfJpegEnc * self,
    gboolean flushing);

/* Forgets the dedup state; only with no frame in flight. */
G_GNUC_INTERNAL
void gst_hf_jpeg_enc_frames_reset_dedup (GstHfJpegEnc * self);

G_END_DECLS

#endif /* __GST_HF_JPEG_ENC_FRAMES_H__ */
