/* The number of CPUs this process may run on: its affinity mask (as
 * taskset, cgroup cpusets and container runtimes set it), else the online
 * CPUs. GLib 2.74's g_get_num_processors counts online CPUs only. Shared
 * by both plugins' "one per CPU" defaults. */
#ifndef __HF_CPUS_H__
#define __HF_CPUS_H__

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sched.h>
#include <unistd.h>

static inline unsigned
hf_cpus_usable (void)
{
  cpu_set_t set;
  long online;

  if (sched_getaffinity (0, sizeof (set), &set) == 0 && CPU_COUNT (&set) > 0)
    return (unsigned) CPU_COUNT (&set);
  online = sysconf (_SC_NPROCESSORS_ONLN);
  return online > 0 ? (unsigned) online : 1;
}

#endif /* __HF_CPUS_H__ */
