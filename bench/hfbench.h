/* hfbench: shared types of the benchmark program.
 *
 * The parent process makes the input frames and runs every configuration
 * in a forked child, so each one starts from the same memory image and its
 * peak RSS can be read from wait4(). Children report through a pipe. */
#ifndef HFBENCH_H
#define HFBENCH_H

#include <stddef.h>
#include <stdint.h>

#define HFB_MAX_FRAMES 8

/* One set of preloaded RGBA frames (tightly packed, stride = 4 * width). */
typedef struct
{
  int width, height;
  int n;                        /* distinct frames, cycled */
  uint8_t *data[HFB_MAX_FRAMES];
  const char *content;          /* "flat" or "detailed" */
} HfbFrames;

typedef enum
{
  HFB_LIMIT,                    /* plain tjCompress2 loop */
  HFB_APPSRC,                   /* appsrc ! <chain> ! fakesink */
  HFB_DRAW,                     /* hfdrawsrc ! <chain> ! fakesink */
  HFB_DRAW_CAPTURED_ENCODE,     /* capture hfdrawsrc frames, then encode */
} HfbKind;

typedef struct
{
  const char *label;
  HfbKind kind;
  /* HFB_LIMIT */
  int tj_threads;
  int tj_flags;
  /* HFB_APPSRC / HFB_DRAW: the elements between source and fakesink,
   * gst_parse_launch syntax, may be "" */
  char *chain;
  /* appsrc caps format: RGBA or RGBx, or a YUV format the frames are
   * converted to (by GstVideoConverter, before the clock starts) */
  const char *format;
  const char *colorimetry;      /* of that YUV format; NULL: its default */
  /* HFB_DRAW: inline composition markup, NULL for the built-in demo */
  const char *composition;
  int draw_threads;             /* hfdrawsrc threads; 0: its default */
  int cpus;                     /* > 0: the child runs on CPUs 0..cpus-1 */
  int frames;                   /* frames to push; draw: num-buffers, -1 all */
  int expect_frames;            /* frames that must reach the sink */
  /* hfjpegenc parameters when the chain has one, for the memory budget */
  int enc_threads, enc_depth;
  const char *needs[3];         /* element factories required, NULL ended */
} HfbConfig;

typedef enum
{
  HFB_OK = 0,
  HFB_MISSING = 1,
  HFB_ERROR = 2,
} HfbStatus;

typedef struct
{
  int status;
  double seconds;               /* wall time of the measured part */
  double cpu_seconds;           /* user + system time of all its threads */
  int64_t frames_out;
  int64_t bytes_out;
  int jpeg_subsamp;             /* of the first output frame, -1 unknown */
  int jpeg_width, jpeg_height;
  char enc_input[16];           /* format the encoder received */
  long maxrss_kib;              /* filled by the parent from wait4 */
  double other_cores;           /* CPUs that other processes kept busy */
  char message[256];
} HfbResult;

typedef struct
{
  int quality;
  int subsamp;                  /* TJSAMP_* */
  int cores;                    /* N for "threads=N" */
} HfbSettings;

/* frames.c */
void hfb_frames_make (HfbFrames * f, int width, int height,
    const char *content, int n);
void hfb_frames_free (HfbFrames * f);

/* limit.c */
void hfb_run_limit (const HfbConfig * c, const HfbFrames * f,
    const HfbSettings * s, HfbResult * r);

/* pipelines.c: runs in the child; calls gst_init itself */
void hfb_run_gst (const HfbConfig * c, const HfbFrames * f,
    const HfbSettings * s, HfbResult * r);

/* The first (at most max) CPUs of this process's affinity mask, into
 * cpus; returns how many. */
int hfb_first_cpus (int *cpus, int max);

/* The handoff group (handoff.c): prints its own table. */
void hfb_bench_handoff (int rounds, int quick);

double hfb_now (void);
double hfb_cpu_now (void);
const char *hfb_subsamp_name (int tjsamp);

#endif
