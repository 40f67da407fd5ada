"""Drives an interactive bash on a pseudo-terminal, as a user at a
terminal would: start `iamdb exec -- sleep`, press ^Z, look at the job,
`fg` it, press ^C. Prints one line per step: "NAME ok" or "NAME FAIL why".
Usage: jobctl.py IAMDB STATEDIR"""
import os, pty, select, signal, sys, time

iamdb, state = sys.argv[1], sys.argv[2]


def read_until(fd, want, seconds):
    out = b""
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if want.encode() in out:
                return out, True
    return out, False


def states(pids):
    s = []
    for p in pids:
        try:
            with open("/proc/%d/stat" % p) as f:
                s.append(f.read().rsplit(")", 1)[1].split()[0])
        except OSError:
            s.append("gone")
    return s


def pids_of(name):
    try:
        with open(os.path.join(state, name)) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def wait_state(pids, want, seconds):
    end = time.time() + seconds
    while time.time() < end:
        if all(s == want for s in states(pids)):
            return True
        time.sleep(0.05)
    return False


pid, fd = pty.fork()
if pid == 0:
    os.environ["PS1"] = "PROMPT$ "
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])

ok = lambda name, cond, why="": print(name, "ok" if cond else "FAIL " + why,
                                      flush=True)
read_until(fd, "PROMPT$ ", 10)
cmd = ('%s exec --host h.example --port 5432 --user u --region us-east-1 '
       '-- sh -c \'echo $$ > %s/child; exec sleep 60\' & '
       'echo $! > %s/iamdb; fg\n' % (iamdb, state, state))
os.write(fd, cmd.encode())
end = time.time() + 10
while time.time() < end and (pids_of("child") is None or
                             pids_of("iamdb") is None):
    time.sleep(0.05)
child, parent = pids_of("child"), pids_of("iamdb")
ok("started", child is not None and parent is not None, "no pids")
if child is None or parent is None:
    sys.exit(1)
time.sleep(0.5)
os.write(fd, b"\x1a")                       # ^Z
out, seen = read_until(fd, "PROMPT$ ", 10)
ok("prompt-after-ctrl-z", seen, repr(out[-200:]))
ok("both-stopped", wait_state([parent, child], "T", 5), str(states([parent, child])))
os.write(fd, b"jobs\n")
out, seen = read_until(fd, "Stopped", 5)
ok("job-listed-stopped", seen, repr(out[-200:]))
read_until(fd, "PROMPT$ ", 2)
os.write(fd, b"fg\n")
ok("both-resumed", wait_state([parent, child], "S", 5), str(states([parent, child])))
os.write(fd, b"\x03")                       # ^C
out, seen = read_until(fd, "PROMPT$ ", 10)
ok("prompt-after-ctrl-c", seen, repr(out[-200:]))
gone = wait_state([parent, child], "gone", 5)
ok("both-ended", gone, str(states([parent, child])))
os.write(fd, b"exit\n")
try:
    os.waitpid(pid, 0)
except ChildProcessError:
    pass
for p in (parent, child):
    try:
        os.kill(p, signal.SIGKILL)
    except OSError:
        pass
