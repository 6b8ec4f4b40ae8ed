#!/usr/bin/python3
"""GNU parallel renders chunks over ssh, as docs/render-farm.md shows.

    check-ssh.py HFRENDER SOURCE_DIR OUTDIR

Starts its own sshd on a free loopback port, with a throwaway host key and
user key (Debian openssh-server), and runs the page's "GNU parallel over
ssh" line with host2 pointing there: chunks go to this machine (":") and,
through ssh, to 127.0.0.1. The join must be the one-process render byte
for byte. If sshd cannot start, the test fails with its reason. Every wait
is bounded, and the sshd is stopped whatever happens.
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
Host host2
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
    for tool in (SSHD, "ssh", "ssh-keygen", "parallel"):
        if not shutil.which(tool):
            print(f"FAIL: {tool} missing: apt-get install openssh-server "
                  "openssh-client parallel")
            return 1
    page = os.path.join(src, "docs", "render-farm.md")
    lines = [line.strip() for line in open(page)
             if line.strip().startswith("parallel -S :,host2 ")]
    if len(lines) != 1:
        print("FAIL: docs/render-farm.md has no 'parallel -S :,host2' line")
        return 1
    # The page's line, with our ssh and our hfrender (on the PATH of both
    # sides: the remote command is run by a login shell).
    bindir = os.path.join(out, "bin")
    os.makedirs(bindir)
    os.symlink(os.path.abspath(hfrender), os.path.join(bindir, "hfrender"))
    joblog = os.path.join(out, "joblog")
    line = lines[0].replace(" hfrender ", f" {bindir}/hfrender ", 1)
    line = line.replace("parallel ", f"parallel --joblog {joblog} ", 1)
    render_dir = os.path.join(out, "render")
    os.makedirs(render_dir)
    shutil.copy(os.path.join(src, "examples", "compositions",
                             "logo-sting.xml"), render_dir)

    proc, reason = start_sshd(work, free_port())
    try:
        if reason:
            print("FAIL: " + reason)
            return 1
        env = dict(os.environ,
                   PARALLEL_SSH=f"ssh -F {work}/ssh_config")
        r = subprocess.run(["bash", "-c", line], cwd=render_dir, env=env,
                           capture_output=True, text=True, timeout=400)
        print(f"{line}\nexit {r.returncode}\n{r.stderr[-1500:]}")
        if r.returncode != 0:
            print("FAIL: the page's parallel -S line failed")
            return 1
    finally:
        stop(proc)
    hosts = [row.split("\t")[1] for row in open(joblog).read().splitlines()[1:]]
    print("chunks ran on: " + " ".join(hosts))
    if "host2" not in hosts or ":" not in hosts:
        print("FAIL: the chunks did not run both here and over ssh")
        return 1
    chunks = sorted(os.path.join(render_dir, f"chunk-{i}.avi")
                    for i in range(8))
    joined = os.path.join(render_dir, "render.avi")
    ref = os.path.join(out, "ref.avi")
    j = subprocess.run([hfrender, "join"] + chunks + ["-o", joined],
                       capture_output=True, text=True, timeout=120)
    s = subprocess.run([hfrender, "render", os.path.join(
        render_dir, "logo-sting.xml"), "-o", ref], capture_output=True,
        text=True, timeout=300)
    if j.returncode != 0 or s.returncode != 0:
        print("FAIL: join or reference render failed:\n" + j.stderr +
              s.stderr)
        return 1
    if open(joined, "rb").read() != open(ref, "rb").read():
        print("FAIL: the join over ssh differs from the one-process render")
        return 1
    print("ok: 8 chunks over ssh and locally join to the one-process "
          "render byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
