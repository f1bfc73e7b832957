"""The e2e guest under QEMU, shared by tests/e2e/run and tests/e2e/bench.

QEMU runs inside iommufd-sim-run with one simulated vfio-pci device bound
to iommufd object fd0; the caller chooses the rest of the command line
(vIOMMU or none, kernel command line).
"""

import os
import queue
import re
import signal
import subprocess
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
QEMU = os.path.join(TOP, "build", "qemu", "qemu-system-x86_64")
SIM_RUN = os.path.join(TOP, "build", "iommufd-sim", "iommufd-sim-run")


def qemu_argv(qemu, accel, mem_mb, out, append):
    """QEMU's command line up to the kernel's: q35, the guest of
    build-guest in OUT, no devices of its own."""
    return [qemu, "-M", "q35", "-accel", accel, "-m", str(mem_mb),
            "-nographic", "-no-user-config",
            # qboot, not SeaBIOS: under TCG SeaBIOS spends ~30 s on q35
            # before it boots the kernel, qboot none.  No NIC (iPXE ROM),
            # no VGA.
            "-bios", "qboot.rom", "-nic", "none", "-vga", "none",
            "-kernel", os.path.join(out, "vmlinuz"),
            "-initrd", os.path.join(out, "initramfs.img"),
            "-append", append]


class Guest:
    """QEMU (in iommufd-sim-run) with the console on a pipe.  A reader
    thread timestamps console lines into a queue and OUT/logs/console.log."""

    def __init__(self, logs, qemu, traces=(), wrap=()):
        """Start QEMU argv QEMU (as from qemu_argv(), plus devices) with
        the simulated device, its trace (events TRACES) and simulator logs
        in LOGS.  WRAP prefixes the command (e.g. nice)."""
        self.sim_log = os.path.join(logs, "sim.log")
        self.trace_log = os.path.join(logs, "qemu-trace.log")
        for f in (self.sim_log, self.trace_log):
            if os.path.exists(f):
                os.unlink(f)
        qemu = list(qemu) + ["-D", self.trace_log]
        for t in traces:
            qemu += ["-trace", t]
        # The device path exists only inside the launcher: sh expands it.
        cmd = list(wrap) + [
            SIM_RUN, "--devices", "1", "--log", self.sim_log, "--",
            "sh", "-c", 'exec "$0" "$@" -device '
            'vfio-pci,sysfsdev="$IOMMUFD_SIM_SYSFSDEV_0",iommufd=fd0'] + qemu
        self.console = open(os.path.join(logs, "console.log"), "w")
        self.lines = queue.Queue()
        self.t0 = time.monotonic()
        # Own session: on a timeout the launcher, sh and QEMU die together.
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        self.tail = []

    def _read(self):
        for raw in self.proc.stdout:
            line = raw.decode(errors="replace").rstrip("\r\n")
            self.console.write(f"[{time.monotonic() - self.t0:7.2f}] {line}\n")
            self.console.flush()
            self.lines.put(line)
        self.lines.put(None)  # EOF: QEMU is gone

    def expect(self, pattern, timeout):
        """Lines up to the first matching PATTERN: (match, lines).  match is
        None on EOF or timeout (self.why says which)."""
        seen, deadline = [], time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0))
            except queue.Empty:
                self.why = f"timeout: no '{pattern}' within {timeout:.0f} s"
                return None, seen
            if line is None:
                self.lines.put(None)
                self.why = f"QEMU exited (status {self.proc.wait()})"
                return None, seen
            seen.append(line)
            self.tail = (self.tail + [line])[-5:]
            m = re.search(pattern, line)
            if m:
                return m, seen

    def send(self, text):
        try:
            self.proc.stdin.write(text.encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def wait(self, timeout):
        """QEMU's exit status, or None after killing it on a timeout."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        """SIGTERM first: QEMU exits cleanly (the simulator logs EXIT) and
        the launcher removes its sysfs tree; SIGKILL if that hangs."""
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if self.proc.poll() is not None:
                return
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=grace)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
