#!/usr/bin/python3
"""A chunked render on Slurm, as docs/render-farm.md shows.

    check-slurm.py HFRENDER SOURCE_DIR OUTDIR

Starts a one-node Slurm cluster of its own (munged with a throwaway key,
slurmctld and slurmd on free loopback ports, state in OUTDIR; Debian's
munge, slurmctld, slurmd and slurm-client), submits
tools/farm/hfrender.sbatch as an array of 3 and the join with
--dependency=afterok, and compares the join with a one-process render
byte for byte. If a daemon cannot start, the test fails with its reason.
Every wait is bounded, and the daemons it started are stopped whatever
happens.
"""

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time

from daemon import free_port, stop

TOOLS = ("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
         "sbatch", "sinfo", "squeue", "scontrol")
START_TIMEOUT_S = 30
JOBS_TIMEOUT_S = 300


def wait_for(what, test, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if test():
            return None
        time.sleep(0.2)
    return f"{what} within {timeout} s"


def tail(path):
    try:
        return open(path).read().strip()[-1500:]
    except OSError:
        return "(no log)"


def main():
    hfrender, src, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    for tool in TOOLS:
        if not shutil.which(tool):
            print(f"FAIL: {tool} missing: apt-get install munge slurmctld "
                  "slurmd slurm-client")
            return 1
    d = os.path.abspath(out)
    for sub in ("ctld", "spool", "render"):
        os.makedirs(os.path.join(d, sub))
    with open(os.path.join(d, "munge.key"), "wb") as f:
        f.write(os.urandom(1024))
    os.chmod(os.path.join(d, "munge.key"), 0o400)
    node = socket.gethostname().split(".")[0]
    user = getpass.getuser()
    conf = os.path.join(d, "slurm.conf")
    with open(conf, "w") as f:
        f.write(f"""\
ClusterName=hfrender-test
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
AuthInfo=socket={d}/munge.socket
CredType=cred/munge
StateSaveLocation={d}/ctld
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
NodeName={node} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=test Nodes={node} Default=YES MaxTime=INFINITE State=UP
""")
    env = dict(os.environ, SLURM_CONF=conf, HFRENDER=os.path.abspath(
        hfrender))
    daemons = []

    def start(args, log):
        daemons.append(subprocess.Popen(args, env=env, stdout=open(log, "w"),
                                        stderr=subprocess.STDOUT))

    def slurm(*args):
        return subprocess.run(list(args), env=env, capture_output=True,
                              text=True, timeout=30)

    try:
        start(["/usr/sbin/munged", "-F", "-f", f"--socket={d}/munge.socket",
               f"--key-file={d}/munge.key", f"--pid-file={d}/munged.pid",
               f"--log-file={d}/munged.log", f"--seed-file={d}/munged.seed"],
              f"{d}/munged.out")
        err = wait_for("munged did not create its socket", lambda:
                       os.path.exists(f"{d}/munge.socket"), START_TIMEOUT_S)
        if err:
            print(f"FAIL: {err}: {tail(d + '/munged.out')}")
            return 1
        start(["/usr/sbin/slurmctld", "-D", "-f", conf], f"{d}/ctld.out")
        start(["/usr/sbin/slurmd", "-D", "-f", conf], f"{d}/slurmd.out")

        def idle():
            r = slurm("sinfo", "-h", "-o", "%T")
            return r.returncode == 0 and r.stdout.strip() == "idle"
        err = wait_for("the node did not become idle", idle, START_TIMEOUT_S)
        if err:
            print(f"FAIL: {err}:\n{tail(d + '/ctld.out')}\n"
                  f"{tail(d + '/slurmctld.log')}\n{tail(d + '/slurmd.log')}")
            return 1

        sting = os.path.join(src, "examples", "compositions",
                             "logo-sting.xml")
        script = os.path.join(src, "tools", "farm", "hfrender.sbatch")
        render = os.path.join(d, "render")
        r = subprocess.run(["sbatch", "--parsable", "--export=ALL",
                            "--array=0-2", f"--chdir={d}", script, sting,
                            render, "--size", "160x90", "--fps", "30"],
                           env=env, capture_output=True, text=True,
                           timeout=30)
        array = r.stdout.strip()
        j = subprocess.run(["sbatch", "--parsable", "--export=ALL",
                            f"--chdir={d}",
                            f"--dependency=afterok:{array}", "--wrap",
                            f"'{env['HFRENDER']}' join {render}/chunk-*.avi "
                            f"-o {render}/render.avi"],
                           env=env, capture_output=True, text=True,
                           timeout=30)
        join = j.stdout.strip()
        if r.returncode or j.returncode:
            print(f"FAIL: sbatch refused the jobs: {r.stderr} {j.stderr}")
            return 1
        print(f"submitted array {array} and join {join}")

        def done():
            q = slurm("squeue", "-h")
            return q.returncode == 0 and q.stdout.strip() == ""
        err = wait_for("the jobs did not finish", done, JOBS_TIMEOUT_S)
        states = slurm("scontrol", "show", "job", join).stdout
        if err or "JobState=COMPLETED" not in states:
            print(f"FAIL: {err or 'the join did not complete'}:\n{states}\n"
                  f"{tail(d + '/slurmctld.log')}")
            for n in sorted(os.listdir(d)):
                if n.endswith(".log") and n.startswith(("hfrender", "slurm-")):
                    print(f"{n}: {tail(os.path.join(d, n))}")
            return 1
    finally:
        for p in reversed(daemons):
            stop(p)

    ref = os.path.join(d, "ref.avi")
    s = subprocess.run([hfrender, "render", sting, "--size", "160x90",
                        "--fps", "30", "-o", ref], capture_output=True,
                       text=True, timeout=300)
    joined = os.path.join(render, "render.avi")
    if s.returncode != 0 or not os.path.exists(joined) or \
            open(joined, "rb").read() != open(ref, "rb").read():
        print("FAIL: the Slurm join differs from the one-process render")
        return 1
    print("ok: 3 array tasks and the join on Slurm give the one-process "
          "render byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
