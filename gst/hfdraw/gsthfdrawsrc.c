/* hfdrawsrc: GStreamer glue around the hfcomp drawing engine. This file does
 * properties, state, timestamps, the static-frame shortcut and the draw
 * signal; gsthfdrawsrccaps.c does caps and allocation, gsthfdrawsrcseek.c
 * seeking and queries; hfcomp.c and friends do the drawing. */

/**
 * SECTION:element-hfdrawsrc
 * @title: hfdrawsrc
 *
 * hfdrawsrc draws a composition of timed, animated shapes, gradients and
 * text (docs/composition-format.md) into raw RGBA, BGRA, RGBx or BGRx
 * frames. A frame depends only on its index, so the output is
 * deterministic and seeks are frame-accurate: a seek to frame k gives the
 * bytes of frame k of a full render, and a segment [a, b) gives exactly
 * frames a..b-1. After the last frame of the composition the element sends
 * EOS.
 *
 * Without #GstHfDrawSrc:location or #GstHfDrawSrc:composition it draws a
 * built-in demo, whose size and framerate can be negotiated (default
 * 1920x1080 at 30/1).
 *
 * When nothing changes from one frame to the next, the element does not
 * redraw: it pushes a buffer that shares the previous frame's memory, which
 * lets hfjpegenc skip the encode as well.
 *
 * The #GstHfDrawSrc::draw signal lets an application paint into every
 * frame.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 hfdrawsrc ! hfjpegenc ! avimux ! filesink location=out.avi
 * ]| Renders the demo to a 1920x1080 MJPEG AVI and exits by itself.
 * |[
 * gst-launch-1.0 hfdrawsrc location=examples/compositions/logo-sting.xml \
 *     ! videoconvert ! autovideosink
 * ]| Plays a composition file.
 * |[
 * gst-launch-1.0 hfdrawsrc num-buffers=3 ! video/x-raw,width=640,height=360 \
 *     ! pngenc ! multifilesink location=frame%d.png
 * ]| Saves the first three frames of the demo, scaled to 640x360, as PNG.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "hfcpus.h"

#include <gst/video/video.h>

#include "gsthfdrawsrc.h"
#include "gsthfdrawsrc-private.h"

GST_DEBUG_CATEGORY (gst_hf_draw_src_debug);
#define GST_CAT_DEFAULT gst_hf_draw_src_debug
/* After GST_CAT_DEFAULT: its warnings go to this element's category. */
#include "hfproperty.h"

#define DEFAULT_LOCATION NULL
#define DEFAULT_COMPOSITION NULL
#define DEFAULT_IS_LIVE FALSE
#define DEFAULT_THREADS 0
#define MAX_THREADS 64
#define DEFAULT_SCALE_MODE GST_HF_DRAW_SRC_SCALE_FIT
#define DEFAULT_LOOP FALSE

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_COMPOSITION,
  PROP_IS_LIVE,
  PROP_THREADS,
  PROP_SCALE_MODE,
  PROP_LOOP,
};

enum
{
  SIGNAL_DRAW,
  LAST_SIGNAL,
};

static guint hf_draw_src_signals[LAST_SIGNAL];

/* Frame rates are bounded so that a frame lasts at least a millisecond and
 * at most 1000 s: timestamps stay exact and frame counts stay sane. */
#define SRC_CAPS_STR \
  "video/x-raw, format = (string) { RGBA, BGRA, RGBx, BGRx }, " \
  "width = (int) [ 1, " G_STRINGIFY (HF_COMP_MAX_SIZE) " ], " \
  "height = (int) [ 1, " G_STRINGIFY (HF_COMP_MAX_SIZE) " ], " \
  "framerate = (fraction) [ 1/" G_STRINGIFY (HF_COMP_MAX_FPS) ", " \
  G_STRINGIFY (HF_COMP_MAX_FPS) "/1 ], " \
  "pixel-aspect-ratio = (fraction) 1/1"

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (SRC_CAPS_STR));

/* Full GEnumValues, not G_DEFINE_ENUM_VALUE: gst-inspect-1.0 shows each
 * value's description beside its nick. */
/* *INDENT-OFF* */
G_DEFINE_ENUM_TYPE (GstHfDrawSrcScaleMode, gst_hf_draw_src_scale_mode,
    {GST_HF_DRAW_SRC_SCALE_FIT,
        "Scale uniformly to fit, letterboxed with the background", "fit"},
    {GST_HF_DRAW_SRC_SCALE_FILL,
        "Scale uniformly to fill, cropping what overflows", "fill"},
    {GST_HF_DRAW_SRC_SCALE_STRETCH, "Scale each axis to the frame",
        "stretch"})
/* *INDENT-ON* */

#define gst_hf_draw_src_parent_class parent_class
G_DEFINE_TYPE (GstHfDrawSrc, gst_hf_draw_src, GST_TYPE_BASE_SRC);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (hfdrawsrc, "hfdrawsrc",
    GST_RANK_NONE, GST_TYPE_HF_DRAW_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_hf_draw_src_debug, "hfdrawsrc", 0,
        "hfdrawsrc composition source"));

static void gst_hf_draw_src_finalize (GObject * object);
static void gst_hf_draw_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_hf_draw_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static gboolean gst_hf_draw_src_start (GstBaseSrc * bsrc);
static gboolean gst_hf_draw_src_stop (GstBaseSrc * bsrc);
static void gst_hf_draw_src_get_times (GstBaseSrc * bsrc, GstBuffer * buf,
    GstClockTime * start, GstClockTime * end);
static GstFlowReturn gst_hf_draw_src_create (GstBaseSrc * bsrc,
    guint64 offset, guint size, GstBuffer ** buf);

/* Any handler that returns TRUE makes the emission return TRUE; every
 * handler runs, so each one sees the frame. */
static gboolean
draw_accumulator (GSignalInvocationHint * ihint, GValue * return_accu,
    const GValue * handler_return, gpointer data)
{
  if (g_value_get_boolean (handler_return))
    g_value_set_boolean (return_accu, TRUE);
  return TRUE;
}

static void
gst_hf_draw_src_class_init (GstHfDrawSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *bsrc_class = GST_BASE_SRC_CLASS (klass);

  gobject_class->finalize = gst_hf_draw_src_finalize;
  gobject_class->set_property = gst_hf_draw_src_set_property;
  gobject_class->get_property = gst_hf_draw_src_get_property;

  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "Composition file to draw (docs/composition-format.md). Setting "
          "it clears the composition property. Neither set: the built-in "
          "demo. Read when the element starts (READY to PAUSED)",
          DEFAULT_LOCATION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_COMPOSITION,
      g_param_spec_string ("composition", "Composition",
          "Composition markup to draw, inline (the same format as a "
          "location file). Setting it clears the location property",
          DEFAULT_COMPOSITION,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_IS_LIVE,
      g_param_spec_boolean ("is-live", "Is live",
          "Act as a live source: frames are timestamped in running time "
          "and pushed when the clock reaches them",
          DEFAULT_IS_LIVE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_SCALE_MODE,
      g_param_spec_enum ("scale-mode", "Scale mode",
          "How a composition is drawn when downstream asks for another size "
          "than its own: it is drawn as vector at that size, scaled "
          "uniformly to fit (letterbox), uniformly to fill (crop), or "
          "stretched", GST_TYPE_HF_DRAW_SRC_SCALE_MODE, DEFAULT_SCALE_MODE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_LOOP,
      g_param_spec_boolean ("loop", "Loop",
          "Restart the composition at its end instead of sending EOS, for "
          "live sources, signage and streams. Timestamps and offsets keep "
          "counting, so downstream sees no discontinuity; the duration is "
          "then unknown", DEFAULT_LOOP,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_THREADS,
      g_param_spec_uint ("threads", "Threads",
          "Drawing threads (0 = one per CPU the process may use). With more "
          "than one, the next frames are drawn ahead, up to this many, in "
          "parallel; the output is the same for any value",
          0, MAX_THREADS, DEFAULT_THREADS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstHfDrawSrc::draw:
   * @src: the hfdrawsrc
   * @buffer: the frame, writable. Map it with gst_video_frame_map() and
   *   @info (GST_MAP_WRITE) and unmap it before returning. Do not keep,
   *   unref or resize it. Its timestamps and offsets are already set.
   *   From Python, `buffer.map (Gst.MapFlags.WRITE)` gives the pixels.
   * @info: the frame's #GstVideoInfo (format, size, strides); read only
   * @frame_index: index of the frame in the composition (= buffer offset)
   * @pts: the frame's composition time in nanoseconds (its PTS, unless
   *   the element is live)
   *
   * Emitted from the streaming thread for every frame, after the
   * composition has been drawn into @buffer and before the buffer is
   * pushed. A handler may paint its own content into the frame.
   *
   * The return value says whether the handler changed the frame: return
   * %TRUE if you wrote into it, %FALSE if you left it as it was. If any
   * handler returns %TRUE, the painted frame is pushed. If all return
   * %FALSE, the element may push a buffer that shares the memory of an
   * earlier identical frame instead (the static-frame shortcut), so
   * anything written by a handler that returned %FALSE may be dropped.
   *
   * Every frame is emitted, static ones included: for a frame that the
   * composition does not change, @buffer holds a copy of the previous
   * picture. Without a handler connected the signal is not emitted and
   * costs nothing.
   *
   * Returns: %TRUE if the handler changed the frame
   */
  hf_draw_src_signals[SIGNAL_DRAW] =
      g_signal_new ("draw", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
      0, draw_accumulator, NULL, NULL, G_TYPE_BOOLEAN, 4,
      GST_TYPE_BUFFER | G_SIGNAL_TYPE_STATIC_SCOPE,
      GST_TYPE_VIDEO_INFO | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_UINT64,
      G_TYPE_UINT64);

  gst_element_class_set_static_metadata (element_class,
      "Composition drawing source", "Source/Video",
      "Draws deterministic, seekable frames of an animated composition "
      "of shapes, gradients and text",
      "hfcapture developers <hfcapture@users.noreply.github.com>");
  gst_element_class_add_static_pad_template (element_class, &src_template);

  bsrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_hf_draw_src_get_caps);
  bsrc_class->fixate = GST_DEBUG_FUNCPTR (gst_hf_draw_src_fixate);
  bsrc_class->negotiate = GST_DEBUG_FUNCPTR (gst_hf_draw_src_negotiate);
  bsrc_class->set_caps = GST_DEBUG_FUNCPTR (gst_hf_draw_src_set_caps);
  bsrc_class->decide_allocation =
      GST_DEBUG_FUNCPTR (gst_hf_draw_src_decide_allocation);
  bsrc_class->start = GST_DEBUG_FUNCPTR (gst_hf_draw_src_start);
  bsrc_class->stop = GST_DEBUG_FUNCPTR (gst_hf_draw_src_stop);
  bsrc_class->get_times = GST_DEBUG_FUNCPTR (gst_hf_draw_src_get_times);
  bsrc_class->is_seekable = GST_DEBUG_FUNCPTR (gst_hf_draw_src_is_seekable);
  bsrc_class->do_seek = GST_DEBUG_FUNCPTR (gst_hf_draw_src_do_seek);
  bsrc_class->query = GST_DEBUG_FUNCPTR (gst_hf_draw_src_query);
  bsrc_class->event = GST_DEBUG_FUNCPTR (gst_hf_draw_src_event);
  element_class->send_event = GST_DEBUG_FUNCPTR (gst_hf_draw_src_send_event);
  bsrc_class->create = GST_DEBUG_FUNCPTR (gst_hf_draw_src_create);

  gst_type_mark_as_plugin_api (GST_TYPE_HF_DRAW_SRC_SCALE_MODE, 0);
}

static void
gst_hf_draw_src_init (GstHfDrawSrc * self)
{
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_live (GST_BASE_SRC (self), DEFAULT_IS_LIVE);
  gst_video_info_init (&self->info);
  self->threads = DEFAULT_THREADS;
  self->scale_mode = DEFAULT_SCALE_MODE;
  self->loop = DEFAULT_LOOP;
}

static void
gst_hf_draw_src_finalize (GObject * object)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (object);

  gst_hf_static_frame_clear (&self->still);
  g_clear_pointer (&self->comp, hf_composition_free);
  g_clear_pointer (&self->renderer, hf_renderer_free);
  g_free (self->location);
  g_free (self->composition);
  g_free (self->comp_name);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* location, composition, is-live, threads, scale-mode and loop are read
 * when the element starts; changing them later would make the properties
 * and the stream disagree. So in PAUSED and PLAYING hf_property_settable
 * ignores the change, with a WARNING message on the bus that names the
 * property and the state. */
static void
gst_hf_draw_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (object);
  const gchar *s, *cleared = NULL;

  if (!hf_property_settable (GST_ELEMENT (self), pspec))
    return;
  if (prop_id == PROP_IS_LIVE) {
    /* GstBaseSrc takes the object lock itself. */
    gst_base_src_set_live (GST_BASE_SRC (self), g_value_get_boolean (value));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
    case PROP_COMPOSITION:
      s = g_value_get_string (value);
      /* An empty string means unset, as for filesrc's location. The last
       * of the two properties set wins: setting one clears the other,
       * which then notifies too. */
      if (prop_id == PROP_LOCATION && self->composition)
        cleared = "composition";
      else if (prop_id == PROP_COMPOSITION && self->location)
        cleared = "location";
      g_clear_pointer (&self->location, g_free);
      g_clear_pointer (&self->composition, g_free);
      if (s && *s) {
        if (prop_id == PROP_LOCATION)
          self->location = g_strdup (s);
        else
          self->composition = g_strdup (s);
      }
      break;
    case PROP_THREADS:
      self->threads = g_value_get_uint (value);
      break;
    case PROP_SCALE_MODE:
      self->scale_mode = g_value_get_enum (value);
      break;
    case PROP_LOOP:
      self->loop = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
  /* Outside the lock: a handler may read the properties. */
  if (cleared)
    g_object_notify (object, cleared);
}

static void
gst_hf_draw_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (object);

  if (prop_id == PROP_IS_LIVE) {
    g_value_set_boolean (value, gst_base_src_is_live (GST_BASE_SRC (self)));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_COMPOSITION:
      g_value_set_string (value, self->composition);
      break;
    case PROP_THREADS:
      g_value_set_uint (value, self->threads);
      break;
    case PROP_SCALE_MODE:
      g_value_set_enum (value, self->scale_mode);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_hf_draw_src_start (GstBaseSrc * bsrc)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  gchar *location, *markup, *name;
  HfComposition *comp;
  HfCompInfo ci;
  GError *err = NULL;
  guint threads;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  markup = g_strdup (self->composition);
  GST_OBJECT_UNLOCK (self);

  comp = gst_hf_draw_src_load (self, location, markup);
  if (comp == NULL) {
    g_free (location);
    g_free (markup);
    return FALSE;
  }
  /* How messages name the composition. */
  name = markup ? g_strdup ("(composition property)") : location ?
      g_strdup_printf ("\"%s\"", location) : NULL;
  g_free (location);
  g_free (markup);

  hf_composition_get_info (comp, &ci);
  if (ci.width <= 0 || ci.height <= 0 || ci.width > HF_COMP_MAX_SIZE
      || ci.height > HF_COMP_MAX_SIZE || ci.fps_n <= 0 || ci.fps_d <= 0
      || (gint64) ci.fps_n * HF_COMP_MAX_FPS < ci.fps_d
      || ci.fps_n > (gint64) ci.fps_d * HF_COMP_MAX_FPS
      || !(ci.duration > 0.0) || ci.duration > HF_COMP_MAX_TIME) {
    /* Outside what the caps allow (1/1000 to 1000 fps), or what the parser
     * should have refused: never draw from nonsense. */
    GST_ELEMENT_ERROR (self, STREAM, FORMAT,
        ("Invalid composition: %dx%d at %d/%d fps, %g s", ci.width,
            ci.height, ci.fps_n, ci.fps_d, ci.duration), (NULL));
    hf_composition_free (comp);
    g_free (name);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  threads = self->threads;
  GST_OBJECT_UNLOCK (self);
  if (threads == 0)
    threads = MIN (hf_cpus_usable (), MAX_THREADS);
  /* One thread draws inline, on the streaming thread: no workers. */
  if (threads > 1) {
    self->ahead = gst_hf_draw_ahead_new (threads, threads + 1, &err);
    if (self->ahead == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
          ("Could not start %u drawing threads.", threads),
          ("%s", err->message));
      g_error_free (err);
      hf_composition_free (comp);
      g_free (name);
      return FALSE;
    }
    self->lookahead = threads;
  }

  self->comp = comp;
  if (self->renderer == NULL)
    self->renderer = hf_renderer_new ();
  gst_hf_static_frame_clear (&self->still);

  GST_OBJECT_LOCK (self);
  self->comp_info = ci;
  self->is_demo = name == NULL;
  g_free (self->comp_name);
  self->comp_name = name;
  self->have_comp = TRUE;
  /* Rounded to the nanosecond, then every count is integer arithmetic. */
  self->duration = (GstClockTime) (ci.duration * GST_SECOND + 0.5);
  self->fps_n = ci.fps_n;
  self->fps_d = ci.fps_d;
  self->n_total = frame_count (self->duration, ci.fps_n, ci.fps_d);
  self->negotiated = FALSE;
  self->n = self->n_out = self->next_ahead = 0;
  self->live_base_valid = FALSE;
  /* Lets SEEK_TYPE_END and position queries in percent work; a loop has
   * no end. */
  bsrc->segment.duration = self->loop ? GST_CLOCK_TIME_NONE : self->duration;
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "composition %dx%d at %d/%d, %g s, %" G_GUINT64_FORMAT
      " frames%s, %u drawing threads", ci.width, ci.height, ci.fps_n,
      ci.fps_d, ci.duration, self->n_total, self->is_demo ? " (demo)" : "",
      threads);
  return TRUE;
}

static gboolean
gst_hf_draw_src_stop (GstBaseSrc * bsrc)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);

  /* No drawing continues once stopped: the workers are joined. */
  g_clear_pointer (&self->ahead, gst_hf_draw_ahead_free);
  self->lookahead = 0;
  gst_hf_static_frame_clear (&self->still);
  GST_OBJECT_LOCK (self);
  self->have_comp = FALSE;
  g_clear_pointer (&self->comp_name, g_free);
  self->negotiated = FALSE;
  self->fps_n = self->fps_d = 0;
  GST_OBJECT_UNLOCK (self);
  g_clear_pointer (&self->comp, hf_composition_free);
  /* The renderer's scratch memory is kept for the next start. */
  return TRUE;
}

static void
gst_hf_draw_src_get_times (GstBaseSrc * bsrc, GstBuffer * buf,
    GstClockTime * start, GstClockTime * end)
{
  /* Only a live source waits for the clock; the others go full speed. */
  if (gst_base_src_is_live (bsrc) && GST_BUFFER_PTS_IS_VALID (buf)) {
    *start = GST_BUFFER_PTS (buf);
    *end = GST_CLOCK_TIME_IS_VALID (GST_BUFFER_DURATION (buf)) ?
        *start + GST_BUFFER_DURATION (buf) : GST_CLOCK_TIME_NONE;
  } else {
    *start = *end = GST_CLOCK_TIME_NONE;
  }
}

/* A buffer for a frame we are about to write. Pool buffers come back from
 * the pool with exclusive memory; the check is a guard, since a shared
 * memory would be silently copied by the write map. With dontwait (the
 * look-ahead), an exhausted pool returns at once with a flow that is not
 * OK instead of blocking. */
static GstFlowReturn
acquire_frame_buffer (GstHfDrawSrc * self, GstBuffer ** out, gboolean dontwait)
{
  GstBufferPool *pool = gst_base_src_get_buffer_pool (GST_BASE_SRC (self));
  GstBufferPoolAcquireParams params = {.flags = dontwait ?
        GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT : 0
  };
  GstFlowReturn ret = GST_FLOW_OK;
  GstBuffer *buf = NULL;

  if (pool) {
    ret = gst_buffer_pool_acquire_buffer (pool, &buf, &params);
    gst_object_unref (pool);
    if (ret != GST_FLOW_OK)
      return ret;
    if (!gst_buffer_is_all_memory_writable (buf)) {
      gst_buffer_unref (buf);
      buf = NULL;
    }
  }
  if (buf == NULL) {
    buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&self->info),
        NULL);
    if (buf == NULL)
      return GST_FLOW_ERROR;
  }
  *out = buf;
  return GST_FLOW_OK;
}

static gboolean
draw_composition (GstHfDrawSrc * self, GstBuffer * buf, double t)
{
  GstVideoFrame frame;
  HfCanvas canvas;

  if (!gst_video_frame_map (&frame, &self->info, buf, GST_MAP_WRITE))
    return FALSE;
  hf_canvas_init (&canvas, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
      GST_VIDEO_FRAME_WIDTH (&frame), GST_VIDEO_FRAME_HEIGHT (&frame),
      GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), self->canvas_format);
  hf_composition_render_scaled (self->comp, self->renderer, &canvas, t,
      (HfScaleMode) self->scale_mode);
  gst_video_frame_unmap (&frame);
  return TRUE;
}

/* Queues for the workers the frames up to n + lookahead that must be
 * drawn (draw_n: frame n itself; a later one when the timeline changes
 * since the frame before it, the others share the previous picture), never
 * past the end, the segment's stop or num-buffers. Then takes frame n if
 * it was queued: NULL means draw it here. */
static GstBuffer *
draw_ahead (GstHfDrawSrc * self, guint64 n, gboolean draw_n,
    guint64 n_total, GstClockTime stop, gint fps_n, gint fps_d)
{
  guint64 m, last = self->loop ? n + self->lookahead :
      MIN (n + self->lookahead, n_total - 1);
  gint num_buffers;

  GST_OBJECT_LOCK (self);
  num_buffers = GST_BASE_SRC (self)->num_buffers;
  GST_OBJECT_UNLOCK (self);
  if (num_buffers > 0 && (guint64) num_buffers > self->n_out)
    last = MIN (last, n + (num_buffers - self->n_out) - 1);
  self->next_ahead = MAX (self->next_ahead, n);

  for (m = self->next_ahead; m <= last
      && gst_hf_draw_ahead_has_room (self->ahead); m++) {
    GstClockTime pts = frame_time (m, fps_n, fps_d);
    GstBuffer *buf;

    if (GST_CLOCK_TIME_IS_VALID (stop) && pts >= stop)
      break;
    if (m == n ? draw_n : frame_changes (self, m, fps_n, fps_d)) {
      if (acquire_frame_buffer (self, &buf, TRUE) != GST_FLOW_OK
          || !gst_hf_draw_ahead_submit (self->ahead, self->comp,
              (HfScaleMode) self->scale_mode, &self->info,
              self->canvas_format, m, comp_time (self, m, fps_n, fps_d), buf))
        break;
    }
    self->next_ahead = m + 1;
  }
  return gst_hf_draw_ahead_take (self->ahead, n, self->renderer);
}

static gboolean
emit_draw (GstHfDrawSrc * self, GstBuffer * buf, guint64 n, GstClockTime t)
{
  gboolean changed = FALSE;

  g_signal_emit (self, hf_draw_src_signals[SIGNAL_DRAW], 0, buf,
      &self->info, (guint64) n, (guint64) t, &changed);
  return changed;
}

/* Live: PTS in running time, anchored at the first frame after a start or
 * a seek so that it is due now. Otherwise, the composition time. */
static GstClockTime
output_pts (GstHfDrawSrc * self, GstClockTime pts)
{
  GstClock *clock;
  GstClockTime now = 0, base;

  if (!gst_base_src_is_live (GST_BASE_SRC (self)))
    return pts;
  if (!self->live_base_valid) {
    clock = gst_element_get_clock (GST_ELEMENT (self));
    if (clock) {
      base = gst_element_get_base_time (GST_ELEMENT (self));
      now = gst_clock_get_time (clock);
      now = now > base ? now - base : 0;
      gst_object_unref (clock);
    }
    self->live_base = now > pts ? now - pts : 0;
    self->live_base_valid = TRUE;
  }
  return self->live_base + pts;
}

static void
stamp (GstBuffer * buf, GstClockTime pts, GstClockTime duration, guint64 n)
{
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION (buf) = duration;
  GST_BUFFER_OFFSET (buf) = n;
  GST_BUFFER_OFFSET_END (buf) = n + 1;
}

static GstFlowReturn
gst_hf_draw_src_create (GstBaseSrc * bsrc, guint64 offset, guint size,
    GstBuffer ** ret_buf)
{
  GstHfDrawSrc *self = GST_HF_DRAW_SRC (bsrc);
  GstBuffer *buf = NULL;
  GstClockTime pts, next, stop, out_pts;
  guint64 n, n_total;
  gint fps_n, fps_d;
  gboolean negotiated, is_static, has_handler, changed = FALSE;
  double t;
  GstFlowReturn ret;

  GST_OBJECT_LOCK (self);
  negotiated = self->negotiated;
  n = self->n;
  n_total = self->n_total;
  fps_n = self->fps_n;
  fps_d = self->fps_d;
  stop = bsrc->segment.stop;
  GST_OBJECT_UNLOCK (self);

  if (G_UNLIKELY (!negotiated || self->comp == NULL))
    return GST_FLOW_NOT_NEGOTIATED;
  if (n >= n_total && !self->loop)
    goto eos;
  pts = frame_time (n, fps_n, fps_d);
  if (GST_CLOCK_TIME_IS_VALID (stop) && pts >= stop)
    goto eos;
  next = frame_time (n + 1, fps_n, fps_d);
  out_pts = output_pts (self, pts);
  /* The drawing time comes from the counter alone (modulo the length when
   * looping). */
  t = comp_time (self, n, fps_n, fps_d);

  has_handler = g_signal_has_handler_pending (self,
      hf_draw_src_signals[SIGNAL_DRAW], 0, TRUE);
  is_static = self->still.mem != NULL && n > 0 && self->still.index == n - 1
      && !frame_changes (self, n, fps_n, fps_d);

  if (self->ahead)
    buf = draw_ahead (self, n, !is_static, n_total, stop, fps_n, fps_d);

  if (buf == NULL && is_static && !has_handler) {
    buf = gst_hf_static_frame_share (&self->still, &self->info);
    self->still.index = n;
  } else if (buf == NULL && is_static) {
    /* The handler sees every frame, so give it a writable copy of the
     * static picture (a copy costs less than a redraw). If it leaves the
     * copy alone, share the remembered memory so downstream can still
     * recognise the repeat. */
    ret = acquire_frame_buffer (self, &buf, FALSE);
    if (ret != GST_FLOW_OK)
      return ret;
    if (!gst_hf_static_frame_copy_into (&self->still, &self->info, buf))
      goto map_failed;
    stamp (buf, out_pts, next - pts, n);
    changed = emit_draw (self, buf, n, pts);
    if (!changed) {
      gst_buffer_unref (buf);
      buf = gst_hf_static_frame_share (&self->still, &self->info);
    }
    self->still.index = n;
  } else {
    /* Not drawn ahead: draw it now. */
    if (buf == NULL) {
      ret = acquire_frame_buffer (self, &buf, FALSE);
      if (ret != GST_FLOW_OK)
        return ret;
      if (!draw_composition (self, buf, t))
        goto map_failed;
    }
    if (has_handler) {
      stamp (buf, out_pts, next - pts, n);
      changed = emit_draw (self, buf, n, pts);
    }
    /* Remember the picture only if the next frame can reuse it: holding
     * it keeps the pool from recycling the buffer. */
    if (!changed && (self->loop || n + 1 < n_total)
        && !frame_changes (self, n + 1, fps_n, fps_d))
      gst_hf_static_frame_keep (&self->still, buf, &self->info, n);
    else
      gst_hf_static_frame_clear (&self->still);
  }
  /* Handlers may have touched the metadata; the stamp is ours. */
  stamp (buf, out_pts, next - pts, n);

  GST_OBJECT_LOCK (self);
  self->n = n + 1;
  GST_OBJECT_UNLOCK (self);
  self->n_out++;

  GST_LOG_OBJECT (self, "frame %" G_GUINT64_FORMAT " at %" GST_TIME_FORMAT
      "%s", n, GST_TIME_ARGS (pts), is_static ? " (static)" : "");
  *ret_buf = buf;
  return GST_FLOW_OK;

eos:
  GST_DEBUG_OBJECT (self, "EOS at frame %" G_GUINT64_FORMAT, n);
  return GST_FLOW_EOS;

map_failed:
  gst_buffer_unref (buf);
  GST_ELEMENT_ERROR (self, RESOURCE, WRITE, (NULL),
      ("could not map frame %" G_GUINT64_FORMAT " for writing", n));
  return GST_FLOW_ERROR;
}
