"""Reading iommufd-sim's JSON-lines log (docs/iommufd-sim.rst, Log format).

The simulator only reports object counts at EXIT and IOMMUFD_RELEASE, but a
leak across guest reboots has to be seen while QEMU runs.  Tracker replays
the log and keeps the live objects itself; at QEMU's exit the replayed
counts must equal the EXIT record, which proves the replay right.
"""

import json

# IOMMU_HWPT_DATA_VTD_S1 in linux/iommufd.h; the log may print the name.
VTD_S1 = (1, "VTD_S1")


def read(path):
    """All records, in order (a torn last line from a killed QEMU is
    dropped)."""
    recs = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    recs.append(json.loads(line))
                except ValueError:
                    pass
    except FileNotFoundError:
        pass
    return recs


class Tracker:
    """Live iommufd objects and IOAS mappings, replayed from records."""

    def __init__(self):
        self.ioas = set()          # ids
        self.paging = set()
        self.nested = {}           # id -> HWPT_ALLOC record
        self.devices = set()       # device object ids (BIND_IOMMUFD)
        self.auto = set()          # automatic HWPTs (attach to an IOAS)
        self.attached = {}         # (dev, pasid) -> hwpt id
        self.mapped = 0            # bytes mapped in all IOASes

    def feed(self, r):
        op, ok = r.get("op"), r.get("ret") == 0
        if not ok:
            return
        if op == "IOAS_ALLOC":
            self.ioas.add(r["id"])
        elif op == "HWPT_ALLOC":
            if r.get("data_type") in VTD_S1:
                self.nested[r["id"]] = r
            else:
                self.paging.add(r["id"])
        elif op == "BIND_IOMMUFD":
            self.devices.add(r["id"])
        elif op == "DESTROY":
            for s in (self.ioas, self.paging, self.devices):
                s.discard(r["id"])
            self.nested.pop(r["id"], None)
        elif op == "ATTACH_IOMMUFD_PT":
            pt = r.get("out_pt_id", r.get("pt_id"))
            if r.get("pt_id") in self.ioas:
                self.auto.add(pt)
            self._set((r["dev"], r.get("pasid")), pt)
        elif op == "DETACH_IOMMUFD_PT":
            self._set((r["dev"], r.get("pasid")), None)
        elif op in ("IOAS_MAP", "IOAS_MAP_FILE", "IOAS_COPY"):
            self.mapped += r.get("length", 0)
        elif op == "IOAS_UNMAP":
            self.mapped -= r.get("unmapped", 0)
        elif op == "IOMMUFD_RELEASE":
            self.__init__()

    def _set(self, key, pt):
        old = self.attached.pop(key, None)
        if pt is not None:
            self.attached[key] = pt
        if old in self.auto and old not in self.attached.values():
            self.auto.discard(old)  # an automatic HWPT dies with its use

    def counts(self):
        """The EXIT record's fields, plus mapped bytes."""
        c = {"ioas": len(self.ioas),
             "hwpt_paging": len(self.paging) + len(self.auto),
             "hwpt_nested": len(self.nested),
             "devices": len(self.devices),
             "attached": len(self.attached)}
        c["live_objects"] = (c["ioas"] + c["hwpt_paging"] + c["hwpt_nested"]
                             + c["devices"])
        c["mapped_bytes"] = self.mapped
        return c
