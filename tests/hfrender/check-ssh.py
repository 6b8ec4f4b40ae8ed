#!/usr/bin/python3
"""GNU parallel renders chunks over ssh, as docs/render-farm.md shows:
from a shared directory, and with files transferred and returned.

    check-ssh.py HFRENDER SOURCE_DIR OUTDIR

Starts its own sshd on a free loopback port, with a throwaway host key and
user key (Debian openssh-server), and runs the page's two "GNU parallel
over ssh" lines with host1 and host2 pointing there: chunks go through ssh
to 127.0.0.1 (and to this machine, ":", in the first). Each join must be
the one-process render byte for byte. If sshd cannot start, the test
fails with its reason. Every wait is bounded, and the sshd is stopped
whatever happens.
"""

import getpass
import os
import shutil
import socket
import subprocess
import sys
import time

from daemon import free_port, stop

SSHD = "/usr/sbin/sshd"
START_TIMEOUT_S = 15


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def keygen(path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    path], check=True)


def start_sshd(work, port):
    keygen(os.path.join(work, "host_ed25519"))
    keygen(os.path.join(work, "id_ed25519"))
    shutil.copy(os.path.join(work, "id_ed25519.pub"),
                os.path.join(work, "authorized_keys"))
    write(os.path.join(work, "sshd_config"), f"""\
Port {port}
ListenAddress 127.0.0.1
HostKey {work}/host_ed25519
PidFile {work}/sshd.pid
AuthorizedKeysFile {work}/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AcceptEnv GST_*
LogLevel ERROR
""")
    write(os.path.join(work, "ssh_config"), f"""\
Host host1 host2
  HostName 127.0.0.1
  Port {port}
  User {getpass.getuser()}
  IdentityFile {work}/id_ed25519
  IdentitiesOnly yes
  BatchMode yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  SendEnv GST_*
  LogLevel ERROR
""")
    # sshd's privilege separation directory, absent where no sshd ran.
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    log = open(os.path.join(work, "sshd.log"), "w")
    proc = subprocess.Popen([SSHD, "-D", "-e", "-f",
                             os.path.join(work, "sshd_config")],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return proc, None
        except OSError:
            time.sleep(0.1)
    reason = open(os.path.join(work, "sshd.log")).read().strip()
    return proc, f"sshd did not listen on 127.0.0.1:{port} within " \
        f"{START_TIMEOUT_S} s: {reason or 'exit status ' + str(proc.poll())}"


def main():
    hfrender, src, out = sys.argv[1:4]
    shutil.rmtree(out, ignore_errors=True)
    work = os.path.join(out, "ssh")
    os.makedirs(work)
    for tool in (SSHD, "ssh", "ssh-keygen", "parallel", "rsync"):
        if not shutil.which(tool):
            print(f"FAIL: {tool} missing: apt-get install openssh-server "
                  "openssh-client parallel rsync")
            return 1
    page = os.path.join(src, "docs", "render-farm.md")
    text = [line.strip() for line in open(page)]
    # The page's two lines: a shared directory, and files transferred.
    lines = {kind: [t for t in text if t.startswith(start)]
             for kind, start in (("shared", "parallel -S :,host2 "),
                                 ("transfer", "parallel -S host1,host2 "))}
    if any(len(v) != 1 for v in lines.values()):
        print(f"FAIL: docs/render-farm.md lacks a parallel -S line: {lines}")
        return 1
    # hfrender by its absolute path on both sides (the remote command runs
    # in a login shell, in a directory of parallel's choosing).
    bindir = os.path.join(out, "bin")
    os.makedirs(bindir)
    os.symlink(os.path.abspath(hfrender), os.path.join(bindir, "hfrender"))
    sting = os.path.join(src, "examples", "compositions", "logo-sting.xml")
    ref = os.path.join(out, "ref.avi")
    s = subprocess.run([hfrender, "render", sting, "-o", ref],
                       capture_output=True, text=True, timeout=300)
    if s.returncode != 0:
        print("FAIL: the reference render failed:\n" + s.stderr)
        return 1

    proc, reason = start_sshd(work, free_port())
    try:
        if reason:
            print("FAIL: " + reason)
            return 1
        env = dict(os.environ, PARALLEL_SSH=f"ssh -F {work}/ssh_config")
        for kind, (line,) in lines.items():
            if not run_line(kind, line, out, bindir, sting, env, hfrender,
                            ref):
                return 1
    finally:
        stop(proc)
    return 0


def run_line(kind, line, out, bindir, sting, env, hfrender, ref):
    """One of the page's lines, then the join; True if it equals ref."""
    joblog = os.path.join(out, f"joblog-{kind}")
    line = line.replace(" hfrender ", f" {bindir}/hfrender ", 1)
    line = line.replace("parallel ", f"parallel --joblog {joblog} ", 1)
    d = os.path.join(out, kind)
    os.makedirs(d)
    shutil.copy(sting, d)
    r = subprocess.run(["bash", "-c", line], cwd=d, env=env,
                       capture_output=True, text=True, timeout=400)
    print(f"{line}\nexit {r.returncode}\n{r.stderr[-1500:]}")
    if r.returncode != 0:
        print(f"FAIL: the page's {kind} parallel -S line failed")
        return False
    hosts = [row.split("\t")[1] for row in open(joblog).read().splitlines()[1:]]
    print(f"{kind}: chunks ran on " + " ".join(hosts))
    if not any(h.startswith("host") for h in hosts):
        print("FAIL: no chunk ran over ssh")
        return False
    chunks = [os.path.join(d, f"chunk-{i}.avi") for i in range(8)]
    joined = os.path.join(d, "render.avi")
    j = subprocess.run([hfrender, "join"] + chunks + ["-o", joined],
                       capture_output=True, text=True, timeout=120)
    if j.returncode != 0 or open(joined, "rb").read() != \
            open(ref, "rb").read():
        print(f"FAIL: {kind}: the join differs from the one-process render "
              + j.stderr)
        return False
    print(f"ok: {kind}: 8 chunks over ssh join to the one-process render "
          "byte for byte")
    return True


if __name__ == "__main__":
    sys.exit(main())
