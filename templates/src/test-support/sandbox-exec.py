"""Runs a command under the seccomp filters a systemd unit declares, as systemd would apply them.

    sandbox-exec.py SPEC_JSON -- COMMAND [ARGS...]

SPEC_JSON (from the evaluated unit's serviceConfig):
  {"SystemCallFilter": [...], "SystemCallErrorNumber": "EPERM" | null,
   "RestrictAddressFamilies": [...] | null, "MemoryDenyWriteExecute": true | false}

What systemd.exec(5) says, reproduced here:
- SystemCallFilter= entries are read in order. If the first one is not "~", the filter is an
  allow-list that starts with @default; each entry (a line of space-separated names and @groups)
  adds its calls, or with "~" removes them, so a later entry overrides an earlier one.
- A call outside the list kills the process with SIGSYS, or fails with SystemCallErrorNumber=.
- RestrictAddressFamilies= filters socket(2)'s family (EAFNOSUPPORT); socketpair(2) is unaffected.
- MemoryDenyWriteExecute=: refuses memory that is, or becomes, writable and executable; systemd
  uses prctl(PR_SET_MDWE) where the kernel has it (Linux >= 6.3), as here.

The groups are resolved with `systemd-analyze syscall-filter` (this machine's systemd). Needs
Debian's python3-seccomp (libseccomp's bindings) and /usr/bin/python3.
Exit 90-93 are this script's own errors (bad spec, unknown group, no MDWE, no seccomp).
"""

import ctypes
import errno
import json
import os
import shutil
import socket
import subprocess
import sys

try:
    import seccomp
except ImportError as e:  # the test reports it (and fails in CI)
    print(f"sandbox-exec: no python3-seccomp: {e}", file=sys.stderr)
    sys.exit(93)


def die(code, message):
    print(f"sandbox-exec: {message}", file=sys.stderr)
    sys.exit(code)


_groups = {}


def group(name):
    """The names `systemd-analyze syscall-filter <group>` lists (system calls and nested @groups)."""
    if name not in _groups:
        r = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager", name], capture_output=True, text=True)
        lines = [l.strip() for l in r.stdout.splitlines()]
        if r.returncode != 0 or not lines or lines[0] != name:
            die(91, f"systemd-analyze does not know {name}: {r.stderr.strip()}")
        _groups[name] = [l for l in lines[1:] if l and not l.startswith("#")]
    return _groups[name]


def expand(name, seen=None):
    seen = set() if seen is None else seen
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    out = set()
    for item in group(name):
        out |= expand(item, seen)
    return out


def allowed_calls(entries):
    if not entries:
        return None
    if entries[0].startswith("~"):
        die(90, "a deny-list SystemCallFilter (first entry with ~) is not emulated")
    allow = expand("@default")
    for entry in entries:
        invert = entry.startswith("~")
        for name in entry.lstrip("~").split():
            if ":" in name:
                die(90, f"per-call errno ({name}) is not emulated")
            calls = expand(name)
            allow = allow - calls if invert else allow | calls
    return allow


def errno_action(name):
    if name in (None, ""):
        return seccomp.KILL_PROCESS
    if name == "kill":
        return seccomp.KILL_PROCESS
    code = getattr(errno, name, None)
    if code is None:
        die(90, f"unknown errno {name}")
    return seccomp.ERRNO(code)


def restrict_families(families):
    """A second filter, as systemd installs one per setting: socket(family) outside the list fails."""
    codes = sorted({getattr(socket, f) for f in families})
    f = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
    refuse = seccomp.ERRNO(errno.EAFNOSUPPORT)
    f.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.LT, codes[0]))
    f.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.GT, codes[-1]))
    for family in range(codes[0] + 1, codes[-1]):
        if family not in codes:
            f.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.EQ, family))
    f.load()


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        die(90, "usage: sandbox-exec.py SPEC_JSON -- COMMAND [ARGS...]")
    spec = json.loads(sys.argv[1])
    command = sys.argv[3:]
    program = shutil.which(command[0]) or die(90, f"{command[0]} not found")

    allow = allowed_calls(spec.get("SystemCallFilter") or [])

    if spec.get("MemoryDenyWriteExecute"):
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
        if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
            die(92, f"prctl(PR_SET_MDWE) failed ({os.strerror(ctypes.get_errno())}): the kernel has no MDWE (Linux >= 6.3)")

    families = spec.get("RestrictAddressFamilies")
    if families:
        restrict_families(families)

    # the system call filter last: loading it is itself a call it may refuse
    if allow is not None:
        f = seccomp.SyscallFilter(defaction=errno_action(spec.get("SystemCallErrorNumber")))
        for call in sorted(allow):
            try:
                f.add_rule(seccomp.ALLOW, call)
            except (RuntimeError, ValueError, OSError):
                pass  # not a call on this architecture (chown32 and such): systemd skips it too
        f.load()

    os.execv(program, command)


main()
