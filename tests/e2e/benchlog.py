"""tests/e2e/bench's arithmetic: the guest's BENCH lines, host calls per
guest operation from the simulator log, invalidation batches from QEMU's
trace, and the table.

guest/e2e-bench.c brackets every map and unmap with marker DMAs to
MARK_IOVA + ((row << 16 | iteration << 2 | step) << 12).  The simulator
logs each as a DMA record with that IOVA, and QEMU's trace shows the
guest's writes of it to the device's IOVA registers, so both logs cut into
one slice per guest operation without any clock shared between them.
"""

import os
import re
import statistics

import simlog

MARK_IOVA, MARK_END = 0x300000000, 0x400000000
STEPS = {0: "map", 2: "unmap"}          # the step that opens each slice
HOST_OPS = ("IOAS_MAP", "IOAS_UNMAP", "HWPT_INVALIDATE")
REG_IOVA_LO, REG_IOVA_HI = 0x8, 0xc
# vtd_inv_desc's type names of IOTLB and PASID-based IOTLB invalidations.
IOTLB_DESC = re.compile(r"vtd_inv_desc invalidate desc type (iotlb|p-iotlb) ")

BENCH = re.compile(r"BENCH: row=(\S+) op=(\w+) n=(\d+) first=(\d+) "
                   r"min=(\d+) median=(\d+) runs=(\d+)")
WRITE = re.compile(r"vfio_region_write .*region0\+0x([0-9a-f]+), "
                   r"0x([0-9a-f]+), \d\)")


def decode(iova):
    """(row, iteration, step) of a marker IOVA, or None."""
    if not MARK_IOVA <= iova < MARK_END:
        return None
    v = (iova - MARK_IOVA) >> 12
    return v >> 16, (v >> 2) & 0x3fff, v & 3


class Run:
    """One configuration's results.  guest[(row, op)]: the BENCH fields;
    calls[(row, op)]: per iteration, {host op: count}; batches[(row, op)]:
    per iteration, queued-invalidation batches with IOTLB invalidations."""

    def __init__(self, lines, logs, iters):
        self.rows, self.guest = [], {}
        self.kernel_warnings = [line[len("BENCH: "):] for line in lines
                                if line.startswith("BENCH: kernel ")]
        for line in lines:
            m = BENCH.match(line)
            if m:
                row, op = m.group(1), m.group(2)
                if row not in self.rows:
                    self.rows.append(row)
                self.guest[(row, op)] = {
                    k: int(m.group(i)) for i, k in
                    enumerate(("n", "first", "min", "median", "runs"), 3)}
        if not self.rows:
            raise ValueError(f"{logs}: no BENCH results on the console")
        self.calls = self._slices(
            self._sim_events(os.path.join(logs, "sim.log")), iters)
        self.batches = self._slices(
            self._trace_events(os.path.join(logs, "qemu-trace.log")), iters)

    def _slices(self, events, iters):
        """events: ("mark", iova) or (name, 1); summed per slice opened by
        STEPS, keyed (row name, op) -> [per iteration {name: count}]."""
        out, cur = {}, None
        for kind, val in events:
            if kind == "mark":
                d = decode(val)
                if d is None:
                    continue
                row, it, step = d
                cur = None
                if step in STEPS and row < len(self.rows):
                    key = (self.rows[row], STEPS[step])
                    lst = out.setdefault(key, [{} for _ in range(iters)])
                    cur = lst[it] if it < iters else None
            elif cur is not None:
                cur[kind] = cur.get(kind, 0) + val
        missing = [k for k in self.guest if k not in out]
        if missing and events:
            raise ValueError(f"no markers for {missing} in the logs")
        return out

    @staticmethod
    def _sim_events(path):
        for r in simlog.read(path):
            op = r.get("op")
            if op == "DMA":
                yield "mark", r.get("iova", 0)
            elif op in HOST_OPS and r.get("ret") == 0:
                yield op, 1

    @staticmethod
    def _trace_events(path):
        """Markers and queued-invalidation batches that carry at least one
        IOTLB (or PASID-based IOTLB) invalidation."""
        lo, batch = 0, None
        if not os.path.exists(path):
            return
        for line in open(path):
            m = WRITE.search(line)
            if m:
                reg, val = int(m.group(1), 16), int(m.group(2), 16)
                if reg == REG_IOVA_LO:
                    lo = val
                elif reg == REG_IOVA_HI:
                    yield "mark", val << 32 | lo
            elif "vtd_inv_qi_tail" in line:
                batch = "new"
            elif batch == "new" and IOTLB_DESC.search(line):
                batch = "counted"
                yield "batches", 1

    def mean_calls(self, row, op):
        """{host op: mean count per guest operation}"""
        its = self.calls.get((row, op), [])
        return {h: statistics.mean(c.get(h, 0) for c in its) if its else 0
                for h in HOST_OPS}

    def mean_batches(self, row, op):
        its = self.batches.get((row, op), [])
        return statistics.mean(c.get("batches", 0) for c in its) if its \
            else None

    def at_minimum(self, row, op):
        """Iterations whose HWPT_INVALIDATE count exceeds their batches."""
        calls = self.calls.get((row, op), [])
        bats = self.batches.get((row, op), [])
        return sum(c.get("HWPT_INVALIDATE", 0) > b.get("batches", 0)
                   for c, b in zip(calls, bats))


def us(ns):
    return f"{ns / 1000:.0f}" if ns >= 10000 else f"{ns / 1000:.1f}"


def num(x):
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def calls_str(c):
    return "/".join(num(c[h]) for h in HOST_OPS)


def print_table(results, iters):
    names = {"a": "nested", "b": "shadow", "c": "no-vIOMMU"}
    keys = [k for k in "abc" if k in results]
    rows = results[keys[0]].rows
    print(f"\nReal guest (Debian 12 under TCG), {iters} iterations per row; "
          "guest latency us min/median; host calls per op "
          "IOAS_MAP/IOAS_UNMAP/HWPT_INVALIDATE (mean)")
    head = f"{'row':<14}{'op':<6}"
    for k in keys:
        head += f"{k + ' ' + names[k] + ' us':>19}"
    head += f"{'a/b med':>8}{'a/c med':>8}"
    for k in keys:
        if k != "c":
            head += f"  {k + ' calls':<10}"
    if "a" in results:
        head += "  a batches  a >min"
    print(head)
    for row in rows:
        for op in ("map", "unmap"):
            line = f"{row:<14}{op:<6}"
            med = {}
            for k in keys:
                g = results[k].guest.get((row, op))
                med[k] = g["median"] if g else None
                line += f"{(us(g['min']) + '/' + us(g['median'])) if g else '-':>19}"
            for other in ("b", "c"):
                if "a" in med and other in med and med[other]:
                    line += f"{med['a'] / med[other]:>8.2f}"
                else:
                    line += f"{'-':>8}"
            for k in keys:
                if k != "c":
                    line += f"  {calls_str(results[k].mean_calls(row, op)):<10}"
            if "a" in results:
                b = results["a"].mean_batches(row, op)
                line += f"  {num(b) if b is not None else '-':>9}"
                line += f"  {results['a'].at_minimum(row, op):>2}/{iters}"
            print(line)
    if "a" in results:
        print("a batches: queued-invalidation batches with an IOTLB "
              "invalidation per op (nested minimum: one HWPT_INVALIDATE per "
              "hwpt per batch, 1 hwpt); a >min: iterations above it")
    if "c" in results:
        print("c: no IOMMU, map = mlock + pagemap lookup, unmap = munlock")
    scattered = [r for r in rows if "scattered" in r]
    if scattered:
        print("scattered rows' physically contiguous runs: " + ", ".join(
            f"{r} {results[keys[0]].guest[(r, 'map')]['runs']}"
            for r in scattered))

    print("\nFirst operation after boot against the row's median (us; "
          "first/median)")
    print(f"{'row':<14}{'op':<6}" + "".join(f"{names[k]:>20}" for k in keys)
          + ("  a calls first" if "a" in results else ""))
    for row in rows:
        for op in ("map", "unmap"):
            line = f"{row:<14}{op:<6}"
            for k in keys:
                g = results[k].guest.get((row, op))
                line += f"{(us(g['first']) + '/' + us(g['median'])) if g else '-':>20}"
            if "a" in results:
                c = results["a"].calls.get((row, op))
                line += "  " + (calls_str({h: c[0].get(h, 0)
                                           for h in HOST_OPS}) if c else "-")
            print(line)
