/* Preloaded into the TSan stage's test programs (tests/ci/sanitize-tsan.sh)
 * so that ThreadSanitizer sees GLib's mutexes and condition variables.
 *
 * Why: GMutex and GCond are futexes inside the uninstrumented libglib
 * (docs/design.md, "hfjpegenc threading"), so TSan never learns that
 * GST_OBJECT_LOCK orders two accesses and reports every property or state
 * field handed between threads under the object lock as a race, in our
 * elements as much as in GStreamer. This file interposes the GLib lock
 * functions, calls the real ones, and tells TSan what they did
 * (__tsan_acquire after taking a lock, __tsan_release before dropping it),
 * exactly what the pthread interceptors do for pthread mutexes. It hides
 * no access: a field read or written without the lock is still reported.
 *
 * Calls made inside libglib to its own lock functions do not go through
 * the PLT and stay invisible; the stage also ignores accesses made inside
 * the uninstrumented libraries (ignore_noninstrumented_modules=1).
 *
 * Built by the stage with: cc -shared -fPIC -O1 tsan-glib.c -ldl */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

typedef int gboolean;
typedef long long gint64;
typedef void GMutex;
typedef void GRecMutex;
typedef void GCond;

/* Weak: the preload is harmless in a program without TSan. */
extern void __tsan_acquire (void *addr) __attribute__((weak));
extern void __tsan_release (void *addr) __attribute__((weak));

void g_mutex_lock (GMutex * m);
gboolean g_mutex_trylock (GMutex * m);
void g_mutex_unlock (GMutex * m);
void g_rec_mutex_lock (GRecMutex * m);
gboolean g_rec_mutex_trylock (GRecMutex * m);
void g_rec_mutex_unlock (GRecMutex * m);
void g_cond_wait (GCond * c, GMutex * m);
gboolean g_cond_wait_until (GCond * c, GMutex * m, gint64 end_time);

static void
acquired (void *addr)
{
  if (__tsan_acquire)
    __tsan_acquire (addr);
}

static void
releasing (void *addr)
{
  if (__tsan_release)
    __tsan_release (addr);
}

typedef void (*LockFunc) (void *);
typedef gboolean (*TryLockFunc) (void *);
typedef void (*WaitFunc) (void *, void *);
typedef gboolean (*WaitUntilFunc) (void *, void *, gint64);

/* The next definition of `name` (libglib's), looked up once. */
#define REAL(name, type) \
  static type real_ ## name; \
  if (!real_ ## name) \
    real_ ## name = (type) dlsym (RTLD_NEXT, #name)

/* lock, trylock and unlock of one GLib lock type, e.g. g_mutex_lock. */
#define LOCK_FUNCTIONS(prefix, Type)                    \
  void                                                  \
  prefix ## _lock (Type * m)                            \
  {                                                     \
    REAL (prefix ## _lock, LockFunc);                   \
    real_ ## prefix ## _lock (m);                       \
    acquired (m);                                       \
  }                                                     \
                                                        \
  gboolean                                              \
  prefix ## _trylock (Type * m)                         \
  {                                                     \
    REAL (prefix ## _trylock, TryLockFunc);             \
    if (!real_ ## prefix ## _trylock (m))               \
      return 0;                                         \
    acquired (m);                                       \
    return 1;                                           \
  }                                                     \
                                                        \
  void                                                  \
  prefix ## _unlock (Type * m)                          \
  {                                                     \
    REAL (prefix ## _unlock, LockFunc);                 \
    releasing (m);                                      \
    real_ ## prefix ## _unlock (m);                     \
  }

LOCK_FUNCTIONS (g_mutex, GMutex);

/* GRecMutex is a pthread mutex that TSan already sees; annotating it too
 * is harmless and keeps this file independent of how GLib builds it. */
LOCK_FUNCTIONS (g_rec_mutex, GRecMutex);

/* Waiting drops the mutex and takes it back. */
void
g_cond_wait (GCond * c, GMutex * m)
{
  REAL (g_cond_wait, WaitFunc);
  releasing (m);
  real_g_cond_wait (c, m);
  acquired (m);
}

gboolean
g_cond_wait_until (GCond * c, GMutex * m, gint64 end_time)
{
  gboolean ok;

  REAL (g_cond_wait_until, WaitUntilFunc);
  releasing (m);
  ok = real_g_cond_wait_until (c, m, end_time);
  acquired (m);
  return ok;
}
