/* hfdrawsrc look-ahead: a FIFO of frames that worker threads draw in
 * parallel; the streaming thread takes them back in order.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <pthread.h>

#include "gsthfdrawsrcahead.h"

typedef enum
{
  JOB_QUEUED,
  JOB_DRAWING,
  JOB_DONE,
} JobState;

typedef struct
{
  guint64 n;
  double t;
  const HfComposition *comp;
  HfScaleMode mode;
  GstBuffer *buf;
  GstVideoFrame frame;          /* mapped for writing while queued */
  HfCanvas canvas;
  JobState state;
} Job;

struct _GstHfDrawAhead
{
  pthread_mutex_t lock;
  pthread_cond_t work;          /* a job was queued, or quit */
  pthread_cond_t done;          /* a job was drawn */
  Job *jobs;                    /* ring of `depth`, oldest at head */
  guint depth, head, len;
  guint drawing;                /* jobs being drawn by workers */
  gboolean quit;
  GThread **threads;
  guint n_threads;
};

static Job *
job_at (GstHfDrawAhead * a, guint i)
{
  return &a->jobs[(a->head + i) % a->depth];
}

/* The oldest job no thread has started; lock held. */
static Job *
next_queued (GstHfDrawAhead * a)
{
  guint i;

  for (i = 0; i < a->len; i++)
    if (job_at (a, i)->state == JOB_QUEUED)
      return job_at (a, i);
  return NULL;
}

static gpointer
worker (gpointer data)
{
  GstHfDrawAhead *a = data;
  HfRenderer *renderer = hf_renderer_new ();
  Job *job;

  pthread_mutex_lock (&a->lock);
  for (;;) {
    while (!a->quit && (job = next_queued (a)) == NULL)
      pthread_cond_wait (&a->work, &a->lock);
    if (a->quit)
      break;
    job->state = JOB_DRAWING;
    a->drawing++;
    pthread_mutex_unlock (&a->lock);

    hf_composition_render_scaled (job->comp, renderer, &job->canvas, job->t,
        job->mode);

    pthread_mutex_lock (&a->lock);
    job->state = JOB_DONE;
    a->drawing--;
    pthread_cond_broadcast (&a->done);
  }
  pthread_mutex_unlock (&a->lock);
  hf_renderer_free (renderer);
  return NULL;
}

GstHfDrawAhead *
gst_hf_draw_ahead_new (guint n_workers, guint depth, GError ** error)
{
  GstHfDrawAhead *a = g_new0 (GstHfDrawAhead, 1);
  guint i;

  g_return_val_if_fail (n_workers >= 1 && depth >= 1, NULL);
  pthread_mutex_init (&a->lock, NULL);
  pthread_cond_init (&a->work, NULL);
  pthread_cond_init (&a->done, NULL);
  a->depth = depth;
  a->jobs = g_new0 (Job, depth);
  a->threads = g_new0 (GThread *, n_workers);
  for (i = 0; i < n_workers; i++) {
    a->threads[i] = g_thread_try_new ("hfdrawsrc-draw", worker, a, error);
    if (a->threads[i] == NULL) {
      gst_hf_draw_ahead_free (a);
      return NULL;
    }
    a->n_threads++;
  }
  return a;
}

void
gst_hf_draw_ahead_reset (GstHfDrawAhead * a)
{
  guint i;

  pthread_mutex_lock (&a->lock);
  /* Nobody may start the queued ones; wait out those being drawn. */
  for (i = 0; i < a->len; i++)
    if (job_at (a, i)->state == JOB_QUEUED)
      job_at (a, i)->state = JOB_DONE;
  while (a->drawing > 0)
    pthread_cond_wait (&a->done, &a->lock);
  for (i = 0; i < a->len; i++) {
    Job *job = job_at (a, i);

    gst_video_frame_unmap (&job->frame);
    gst_buffer_unref (job->buf);
    job->buf = NULL;
  }
  a->head = a->len = 0;
  pthread_mutex_unlock (&a->lock);
}

void
gst_hf_draw_ahead_free (GstHfDrawAhead * a)
{
  guint i;

  if (a == NULL)
    return;
  gst_hf_draw_ahead_reset (a);
  pthread_mutex_lock (&a->lock);
  a->quit = TRUE;
  pthread_cond_broadcast (&a->work);
  pthread_mutex_unlock (&a->lock);
  for (i = 0; i < a->n_threads; i++)
    g_thread_join (a->threads[i]);
  pthread_cond_destroy (&a->done);
  pthread_cond_destroy (&a->work);
  pthread_mutex_destroy (&a->lock);
  g_free (a->threads);
  g_free (a->jobs);
  g_free (a);
}

gboolean
gst_hf_draw_ahead_has_room (GstHfDrawAhead * a)
{
  /* Only the streaming thread changes len. */
  return a->len < a->depth;
}

gboolean
gst_hf_draw_ahead_submit (GstHfDrawAhead * a, const HfComposition * comp,
    HfScaleMode mode, const GstVideoInfo * info, HfCanvasFormat format,
    guint64 n, double t, GstBuffer * buf)
{
  Job *job;

  g_return_val_if_fail (a->len < a->depth, FALSE);
  job = &a->jobs[(a->head + a->len) % a->depth];
  if (!gst_video_frame_map (&job->frame, info, buf, GST_MAP_WRITE)) {
    gst_buffer_unref (buf);
    return FALSE;
  }
  hf_canvas_init (&job->canvas, GST_VIDEO_FRAME_PLANE_DATA (&job->frame, 0),
      GST_VIDEO_FRAME_WIDTH (&job->frame),
      GST_VIDEO_FRAME_HEIGHT (&job->frame),
      GST_VIDEO_FRAME_PLANE_STRIDE (&job->frame, 0), format);
  job->n = n;
  job->t = t;
  job->comp = comp;
  job->mode = mode;
  job->buf = buf;

  pthread_mutex_lock (&a->lock);
  job->state = JOB_QUEUED;
  a->len++;
  pthread_cond_signal (&a->work);
  pthread_mutex_unlock (&a->lock);
  return TRUE;
}

GstBuffer *
gst_hf_draw_ahead_take (GstHfDrawAhead * a, guint64 n, HfRenderer * renderer)
{
  GstBuffer *buf;
  Job *job;

  pthread_mutex_lock (&a->lock);
  if (a->len == 0 || job_at (a, 0)->n != n) {
    pthread_mutex_unlock (&a->lock);
    return NULL;
  }
  job = job_at (a, 0);
  if (job->state == JOB_QUEUED) {
    /* Every worker is busy with later frames: draw it here. */
    job->state = JOB_DRAWING;
    pthread_mutex_unlock (&a->lock);
    hf_composition_render_scaled (job->comp, renderer, &job->canvas, job->t,
        job->mode);
    pthread_mutex_lock (&a->lock);
    job->state = JOB_DONE;
  }
  while (job->state != JOB_DONE)
    pthread_cond_wait (&a->done, &a->lock);
  a->head = (a->head + 1) % a->depth;
  a->len--;
  pthread_mutex_unlock (&a->lock);

  gst_video_frame_unmap (&job->frame);
  buf = job->buf;
  job->buf = NULL;
  return buf;
}
