/* hfcompeval: the timeline of a composition, in one place. While parsing:
 * each element's window, and the instants and spans where the picture may
 * change. Then: values of an element at a time t (tweens, eases, repeats),
 * and whether anything can differ between two times (the static-frame
 * shortcut); and freeing the model. Engine code: no GStreamer. */
#include "hfcompparse.h"

#include <math.h>
#include <string.h>

void
hf_element_free (HfElement * el)
{
  guint i;

  if (el == NULL)
    return;
  /* Recursion is bounded by HF_COMP_MAX_DEPTH, enforced by the parser. */
  for (i = 0; i < el->n_children; i++)
    hf_element_free (el->children[i]);
  g_free (el->children);
  g_free (el->tweens);
  g_free (el->points);
  g_free (el->contour_ends);
  g_free (el->contour_closed);
  g_free (el->point_kinds);
  g_free (el->dashes);
  g_free (el->text);
  hf_shaped_free (el->shaped);
  g_free (el);
}

void
hf_composition_free (HfComposition * comp)
{
  guint i;

  if (comp == NULL)
    return;
  hf_element_free (comp->root);
  g_free (comp->gradients);
  for (i = 0; i < comp->n_chains; i++) {
    g_free (comp->chains[i].id);
    g_free (comp->chains[i].faces);
  }
  g_free (comp->chains);
  if (comp->faces)
    g_ptr_array_unref (comp->faces);
  if (comp->images)
    g_ptr_array_unref (comp->images);
  for (i = 0; i < comp->n_clips; i++)
    hf_element_free (comp->clips[i]);
  g_free (comp->clips);
  g_free (comp->clips_animated);
  g_free (comp->events);
  g_free (comp->spans);
  g_free (comp);
}

void
hf_composition_get_info (const HfComposition * comp, HfCompInfo * info)
{
  *info = comp->info;
}

void
hf_tween_eval (const HfTween * tw, double t, double *out)
{
  double local = t - tw->start, pos, p, e;
  double iterations = (double) tw->repeat + 1.0;
  double k;
  int i;

  if (local <= 0.0) {
    p = 0.0;
  } else {
    pos = local / tw->duration;
    k = floor (pos);
    if (!tw->forever && k >= iterations) {
      /* Finished: hold the end of the last iteration. */
      k = iterations - 1.0;
      p = 1.0;
    } else {
      p = pos - k;
    }
    /* Yoyo plays odd iterations backwards, ease included (as GSAP). */
    if (tw->yoyo && fmod (k, 2.0) == 1.0)
      p = 1.0 - p;
  }
  e = hf_ease_apply (&tw->ease, p);
  for (i = 0; i < tw->n_slots; i++)
    out[i] = tw->from[i] + (tw->to[i] - tw->from[i]) * e;
}

void
hf_element_eval (const HfElement * el, double t, double *v)
{
  guint i = 0;

  memcpy (v, el->base, sizeof (el->base));
  while (i < el->n_tweens) {
    const HfTween *first = &el->tweens[i], *active = NULL;
    guint j = i;

    /* Tweens of one slot are sorted by start: the last one started wins.
     * Before any has started, the first one's from holds (a paused
     * timeline renders fromTo tweens' start values immediately). */
    for (; j < el->n_tweens && el->tweens[j].slot == first->slot; j++)
      if (el->tweens[j].start <= t)
        active = &el->tweens[j];
    if (active != NULL)
      hf_tween_eval (active, t, v + first->slot);
    else
      memcpy (v + first->slot, first->from, first->n_slots * sizeof (double));
    i = j;
  }
}

/* ---- changes_between ---------------------------------------------- */

/* Index of the first element of a sorted array greater than x. */
static guint
upper_bound (const double *a, guint n, guint step, double x)
{
  guint lo = 0, hi = n;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (a[mid * step] > x)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

gboolean
hf_composition_changes_between (const HfComposition * comp, double t0,
    double t1)
{
  guint i;

  if (t1 < t0) {
    double tmp = t0;
    t0 = t1;
    t1 = tmp;
  }
  if (!(t0 == t0 && t1 == t1))
    return TRUE;

  /* A clip or tween boundary in (t0, t1]. */
  i = upper_bound (comp->events, comp->n_events, 1, t0);
  if (i < comp->n_events && comp->events[i] <= t1)
    return TRUE;

  /* An open span (a, b) meeting [t0, t1]: the spans are disjoint and
   * sorted, so only the first one ending after t0 can. */
  if (comp->n_spans == 0)
    return FALSE;
  i = upper_bound (comp->spans + 1, comp->n_spans, 2, t0);
  return i < comp->n_spans && comp->spans[2 * i] < t1;
}

/* ---- building the timeline while parsing -------------------------- */

void
hf_parse_add_event (ParseState * ps, double t)
{
  /* A clip's times count from each element it clips: see resolve_refs. */
  if (ps->in_clip)
    return;
  g_array_append_val (ps->events, t);
}

void
hf_timeline_add_span (ParseState * ps, double a, double b)
{
  if (!(a < b) || ps->in_clip)
    return;
  g_array_append_val (ps->spans, a);
  g_array_append_val (ps->spans, b);
}

void
hf_timeline_set_window (ParseState * ps, HfElement * el, const HfElement * pe,
    double start, gboolean have_duration, double duration)
{
  /* Times are relative to the parent's data-start; the window is clipped
   * to the parent's. */
  el->begin = pe->begin + start;
  el->start = MAX (el->begin, pe->start);
  el->end = have_duration ? el->begin + duration : pe->end;
  el->end = MIN (el->end, pe->end);
  if (el->end <= el->start) {
    el->start = el->end = 0.0;
  } else {
    hf_parse_add_event (ps, el->start);
    hf_parse_add_event (ps, el->end);
  }
}

void
hf_timeline_add_tweens (ParseState * ps, const HfElement * el)
{
  guint i;

  for (i = 0; i < el->n_tweens && el->end > el->start; i++) {
    const HfTween *tw = &el->tweens[i];
    double te = tw->forever
        ? el->end : tw->start + tw->duration * ((double) tw->repeat + 1.0);
    double a = MAX (tw->start, el->start), b = MIN (te, el->end);
    if (a < b) {
      hf_timeline_add_span (ps, a, b);
      hf_parse_add_event (ps, a);
      hf_parse_add_event (ps, b);
    } else if (tw->start >= el->start && tw->start < el->end) {
      hf_parse_add_event (ps, tw->start);
    }
  }
}

/* TRUE when a clip's picture changes with time: a shape with a tween, or
 * one that comes or goes. */
gboolean
hf_timeline_clip_animated (const HfElement * el, gboolean root)
{
  guint i;

  if (el->n_tweens > 0 || el->text_dynamic || (!root && (el->begin > 0.0
              || el->end < HF_COMP_MAX_TIME)))
    return TRUE;
  for (i = 0; i < el->n_children; i++)
    if (hf_timeline_clip_animated (el->children[i], FALSE))
      return TRUE;
  return FALSE;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static int
compare_span (gconstpointer a, gconstpointer b)
{
  return compare_double (a, b);
}

/* Sorts the events (without duplicates) and merges the spans. */
void
hf_timeline_finish (ParseState * ps)
{
  HfComposition *comp = ps->comp;
  guint i, n = 0;
  double *ev, *sp;

  g_array_sort (ps->events, compare_double);
  ev = (double *) ps->events->data;
  for (i = 0; i < ps->events->len; i++)
    if (n == 0 || ev[i] != ev[n - 1])
      ev[n++] = ev[i];
  comp->n_events = n;
  comp->events = (double *) g_array_free (ps->events, FALSE);
  ps->events = NULL;

  if (ps->spans->len > 0)
    qsort (ps->spans->data, ps->spans->len / 2, 2 * sizeof (double),
        compare_span);
  sp = (double *) ps->spans->data;
  n = 0;
  for (i = 0; i < ps->spans->len / 2; i++) {
    if (n > 0 && sp[2 * i] <= sp[2 * n - 1]) {
      sp[2 * n - 1] = MAX (sp[2 * n - 1], sp[2 * i + 1]);
    } else {
      sp[2 * n] = sp[2 * i];
      sp[2 * n + 1] = sp[2 * i + 1];
      n++;
    }
  }
  comp->n_spans = n;
  comp->spans = (double *) g_array_free (ps->spans, FALSE);
  ps->spans = NULL;
}
