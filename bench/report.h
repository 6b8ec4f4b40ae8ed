/* hfbench: groups of configurations, their tables and the goals. */
#ifndef HFBENCH_REPORT_H
#define HFBENCH_REPORT_H

#include "hfbench.h"

#define HFB_MAX_CONFIGS 16
#define HFB_MAX_ROUNDS 15
#define HFB_MAX_GROUPS 32

typedef enum
{
  HFB_GROUP_ENCODE,
  HFB_GROUP_E2E,
  HFB_GROUP_STATIC,
  HFB_GROUP_MEMORY,
  HFB_GROUP_FORMATS,
  HFB_GROUP_SLICES,
} HfbGroupKind;

typedef struct
{
  char *title;
  HfbGroupKind kind;
  const char *content;           /* encode groups: flat or detailed */
  int width, height, frames, rounds;
  double frame_bytes;
  int n;
  HfbConfig cfg[HFB_MAX_CONFIGS];
  HfbResult results[HFB_MAX_CONFIGS][HFB_MAX_ROUNDS];
  /* indices of special rows, -1 when absent */
  int baseline, limit1, limitn, hf_inline, hf_t1, hf_tn;
  int stock[4], n_stock;
  /* end to end: draw alone with 1 and N threads, encode alone, serial,
   * the defaults on all CPUs and on one, scaling_n rows of the defaults on
   * 2, 4, 8, ... CPUs (machines with more), the defaults on two CPUs (one
   * of those rows, or the defaults on a 2-CPU machine), and grid_n
   * hand-tuned pairs */
  int draw, draw_n, encode, serial, defaults, one_cpu, scaling, scaling_n;
  int two_cpu, grid, grid_n;
  /* input formats: the zero-copy row each row's extra CPU is measured
   * against (itself for those rows) */
  int planar[HFB_MAX_CONFIGS];
  /* filled by hfb_report_group */
  double median[HFB_MAX_CONFIGS];       /* fps */
  double cpu_ms[HFB_MAX_CONFIGS];       /* median CPU time per frame */
  double util[HFB_MAX_CONFIGS];         /* median CPU ÷ (CPUs x wall) */
  double best[HFB_MAX_CONFIGS];         /* fastest round's fps */
  double other_cores;                   /* mean load by other processes */
  int status[HFB_MAX_CONFIGS];
  long rss_kib[HFB_MAX_CONFIGS];        /* peak over rounds */
} HfbGroup;

typedef struct
{
  HfbGroup *groups[HFB_MAX_GROUPS];
  int n;
} HfbReport;

/* The median of v[0..n-1] (n > 0); sorts v. */
double hfb_median (double *v, int n);

void hfb_report_init (HfbReport * rep, const HfbSettings * s,
    const char *cmdline, int quick);
HfbGroup *hfb_report_new_group (HfbReport * rep);
/* Computes medians and prints the group's table. */
void hfb_report_group (HfbReport * rep, HfbGroup * g, const HfbSettings * s);
void hfb_report_goals (HfbReport * rep, const HfbSettings * s);

/* compositions.c: inline markup for hfdrawsrc (caller frees) */
char *hfb_composition_heavy (int width, int height, int seconds);
char *hfb_composition_balanced (int width, int height, int seconds);
char *hfb_composition_static (int width, int height, int seconds,
    int animated);

#endif
