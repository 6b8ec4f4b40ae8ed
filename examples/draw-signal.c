/* draw-signal: paint your own content into hfdrawsrc's frames.
 *
 *   draw-signal [-n FRAMES] [-o frame-%03d.jpg]
 *
 * FRAMES is 1 to 300: the built-in demo it draws on lasts 300 frames
 * (10 s at 30 fps), and a frame past its end would never come.
 *
 * hfdrawsrc emits "draw" for every frame after it has drawn the
 * composition. The handler gets the writable buffer and its GstVideoInfo,
 * maps it and paints on top; here a yellow bar that moves 8 px a frame and a
 * pixel-art frame counter. The frames then go through hfjpegenc and are
 * written as a JPEG sequence.
 *
 * The program also checks its own output: a second branch decodes the
 * JPEGs and looks for the bar where it should be on each frame. It exits
 * non-zero when the painted content is missing, so it doubles as a test.
 */

#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 320
#define HEIGHT 180
#define BAR_W 16
#define BAR_Y0 60
#define BAR_Y1 140
#define BAR_STEP 8
#define DIGIT_SCALE 4

/* A dark, static composition: everything bright on it is our painting. */
static const gchar *composition =
    "<composition width=\"320\" height=\"180\" fps=\"30\" duration=\"10\""
    " background=\"#102040\"/>";

static const guint8 bar_rgb[3] = { 255, 220, 0 };

/* 3x5 digits, one row per 3 bits, top row first. */
static const guint16 digits[10] = {
  0x7b6f, 0x2c97, 0x73e7, 0x73cf, 0x5bc9, 0x79cf, 0x79ef, 0x7249, 0x7bef,
  0x7bcf
};

typedef struct
{
  GMainLoop *loop;
  gint exit_code;
  guint64 n_painted;
  guint64 n_checked;
  guint64 n_bad;
} App;

static gint
bar_x (guint64 frame_index)
{
  return (gint) ((frame_index * BAR_STEP) % (WIDTH - BAR_W));
}

static void
put_pixel (GstVideoFrame * frame, gint x, gint y, const guint8 rgb[3])
{
  const GstVideoInfo *info = &frame->info;
  guint8 *p;
  gint c;

  if (x < 0 || y < 0 || x >= GST_VIDEO_INFO_WIDTH (info)
      || y >= GST_VIDEO_INFO_HEIGHT (info))
    return;
  p = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (frame, 0)
      + y * GST_VIDEO_FRAME_PLANE_STRIDE (frame, 0)
      + x * GST_VIDEO_FRAME_COMP_PSTRIDE (frame, 0);
  /* Works for RGBA, BGRA, RGBx and BGRx: ask where R, G and B live. */
  for (c = 0; c < 3; c++)
    p[GST_VIDEO_FRAME_COMP_POFFSET (frame, c)] = rgb[c];
}

static void
draw_counter (GstVideoFrame * frame, guint64 n)
{
  static const guint8 white[3] = { 255, 255, 255 };
  gchar text[24];
  gint i, row, col, sx, sy;

  g_snprintf (text, sizeof (text), "%" G_GUINT64_FORMAT, n);
  for (i = 0; text[i]; i++) {
    guint16 glyph = digits[text[i] - '0'];
    for (row = 0; row < 5; row++)
      for (col = 0; col < 3; col++) {
        if (!(glyph & (1 << (14 - row * 3 - col))))
          continue;
        for (sy = 0; sy < DIGIT_SCALE; sy++)
          for (sx = 0; sx < DIGIT_SCALE; sx++)
            put_pixel (frame, 8 + (i * 4 + col) * DIGIT_SCALE + sx,
                8 + row * DIGIT_SCALE + sy, white);
      }
  }
}

/* The "draw" handler. Returning TRUE tells hfdrawsrc the frame changed, so
 * it does not reuse the previous frame's memory. */
static gboolean
on_draw (GstElement * src, GstBuffer * buffer, GstVideoInfo * info,
    guint64 frame_index, guint64 pts, gpointer user_data)
{
  App *app = user_data;
  GstVideoFrame frame;
  gint x, y, x0 = bar_x (frame_index);

  if (!gst_video_frame_map (&frame, info, buffer, GST_MAP_WRITE)) {
    g_printerr ("draw-signal: could not map frame %" G_GUINT64_FORMAT "\n",
        frame_index);
    return FALSE;
  }
  for (y = BAR_Y0; y < BAR_Y1; y++)
    for (x = x0; x < x0 + BAR_W; x++)
      put_pixel (&frame, x, y, bar_rgb);
  draw_counter (&frame, frame_index);
  gst_video_frame_unmap (&frame);
  app->n_painted++;
  return TRUE;
}

static gboolean
near (const guint8 * p, const guint8 rgb[3])
{
  gint c;

  /* JPEG at quality 90 keeps flat colours within a few levels. */
  for (c = 0; c < 3; c++)
    if (ABS ((gint) p[c] - (gint) rgb[c]) > 24)
      return FALSE;
  return TRUE;
}

/* Decoded RGBx frames arrive here in order: check the bar. */
static void
on_decoded (GstElement * sink, GstBuffer * buffer, GstPad * pad,
    gpointer user_data)
{
  App *app = user_data;
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstVideoInfo info;
  GstVideoFrame frame;
  guint64 n = app->n_checked++;
  gint x0 = bar_x (n), yc = (BAR_Y0 + BAR_Y1) / 2;
  gint away = (x0 + WIDTH / 2) % WIDTH;
  const guint8 *row;
  gint ps;

  if (!caps || !gst_video_info_from_caps (&info, caps)
      || !gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ)) {
    g_printerr ("draw-signal: cannot read decoded frame %" G_GUINT64_FORMAT
        "\n", n);
    app->n_bad++;
    if (caps)
      gst_caps_unref (caps);
    return;
  }
  gst_caps_unref (caps);
  row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame, 0)
      + yc * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  ps = GST_VIDEO_FRAME_COMP_PSTRIDE (&frame, 0);
  if (!near (row + (x0 + BAR_W / 2) * ps, bar_rgb)
      || near (row + away * ps, bar_rgb)) {
    g_printerr ("draw-signal: frame %" G_GUINT64_FORMAT
        ": the bar is not at x=%d\n", n, x0);
    app->n_bad++;
  }
  gst_video_frame_unmap (&frame);
}

static gboolean
on_bus (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  App *app = user_data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    g_autoptr (GError) err = NULL;
    g_autofree gchar *debug = NULL;

    gst_message_parse_error (msg, &err, &debug);
    g_printerr ("draw-signal: ERROR from %s: %s\n  debug: %s\n",
        GST_OBJECT_NAME (msg->src), err->message, debug ? debug : "none");
    app->exit_code = 1;
    g_main_loop_quit (app->loop);
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS) {
    g_main_loop_quit (app->loop);
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  App app = { 0, };
  gint frames = 30;
  gchar *location = NULL;
  GOptionEntry entries[] = {
    {"frames", 'n', 0, G_OPTION_ARG_INT, &frames,
        "Frames to render, 1 to 300 (the demo's length)", "N"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &location,
        "JPEG file pattern (default frame-%03d.jpg)", "PATTERN"},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx = NULL;
  g_autoptr (GError) err = NULL;
  g_autofree gchar *desc = NULL;
  GstElement *pipeline, *src, *writer, *checker;
  GstBus *bus;

  ctx = g_option_context_new ("- paint through hfdrawsrc's draw signal");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("draw-signal: %s\n", err->message);
    return 2;
  }
  if (frames < 1 || frames > 300) {
    g_printerr ("draw-signal: --frames must be 1 to 300, the built-in "
        "demo's length\n");
    return 2;
  }

  /* One encode, two consumers: the JPEG files and the self-check. */
  desc = g_strdup_printf ("hfdrawsrc name=src num-buffers=%d ! hfjpegenc "
      "quality=90 ! tee name=t ! queue ! multifilesink name=writer "
      "t. ! queue ! jpegdec ! videoconvert ! video/x-raw,format=RGBx "
      "! fakesink name=checker signal-handoffs=true", frames);
  pipeline = gst_parse_launch (desc, &err);
  if (!pipeline) {
    g_printerr ("draw-signal: %s\n  (is GST_PLUGIN_PATH set to the "
        "build's gst/hfdraw and ext/turbojpeg?)\n", err->message);
    return 1;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  writer = gst_bin_get_by_name (GST_BIN (pipeline), "writer");
  checker = gst_bin_get_by_name (GST_BIN (pipeline), "checker");
  g_object_set (src, "composition", composition, NULL);
  g_object_set (writer, "location", location ? location : "frame-%03d.jpg",
      NULL);
  g_signal_connect (src, "draw", G_CALLBACK (on_draw), &app);
  g_signal_connect (checker, "handoff", G_CALLBACK (on_decoded), &app);

  app.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (pipeline);
  gst_bus_add_watch (bus, on_bus, &app);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  g_main_loop_run (app.loop);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  if (app.exit_code == 0) {
    if (app.n_painted != (guint64) frames || app.n_checked != app.n_painted
        || app.n_bad) {
      g_printerr ("draw-signal: painted %" G_GUINT64_FORMAT ", decoded %"
          G_GUINT64_FORMAT ", wrong %" G_GUINT64_FORMAT " (want %d)\n",
          app.n_painted, app.n_checked, app.n_bad, frames);
      app.exit_code = 1;
    } else {
      g_print ("draw-signal: painted and verified %" G_GUINT64_FORMAT
          " frames, written to %s\n", app.n_checked,
          location ? location : "frame-%03d.jpg");
    }
  }

  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (writer);
  gst_object_unref (checker);
  gst_object_unref (pipeline);
  g_main_loop_unref (app.loop);
  g_free (location);
  return app.exit_code;
}
