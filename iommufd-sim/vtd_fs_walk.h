/*
 * iommufd-sim: Intel VT-d first-stage page-table walk
 *
 * First-stage tables use the x86-64 (IA-32e) paging format: 4 levels for a
 * 48-bit input address, 5 levels for 57 bits.  Every table entry is fetched
 * from guest-physical memory through callbacks, so the caller decides how a
 * guest-physical address reaches host memory (the stage-2 IOAS) and which
 * stage-2 fault a failed access raises.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VTD_FS_WALK_H
#define IOMMUFD_SIM_VTD_FS_WALK_H

#include <stdbool.h>
#include <stdint.h>

/* Return 0 or an enum sim_fault (SIM_FAULT_S2_*). */
typedef int (*sim_gpa_read64_fn)(void *opaque, uint64_t gpa, uint64_t *val);
/* Used for A/D bit updates; may be NULL (then A/D are not written). */
typedef int (*sim_gpa_write64_fn)(void *opaque, uint64_t gpa, uint64_t val);

enum sim_fault {
    SIM_FAULT_NONE = 0,
    SIM_FAULT_BLOCKED,          /* nothing attached to (device, pasid) */
    SIM_FAULT_FS_NOT_PRESENT,   /* first-stage entry P=0 */
    SIM_FAULT_FS_WRITE,         /* write to read-only first-stage mapping (honours WPE for supervisor) */
    SIM_FAULT_FS_PRIV,          /* user request to a supervisor (U/S=0) mapping, or supervisor request without SRE */
    SIM_FAULT_FS_RSVD,          /* reserved bit set in a first-stage entry */
    SIM_FAULT_FS_NON_CANONICAL, /* input address beyond addr_width / not canonical */
    SIM_FAULT_S2_MISS,          /* guest-physical address not mapped in the stage-2 IOAS */
    SIM_FAULT_S2_PERM,          /* stage-2 mapping lacks the needed permission */
    SIM_FAULT_PASID_ENTRY,      /* a PASID entry hardware cannot use (vtd_pasid_entry.h) */
};

/* "NONE", "BLOCKED", "FS_NOT_PRESENT", ... for logs. */
const char *sim_fault_name(enum sim_fault f);

/* Levels of a 57-bit (5-level) table; a 48-bit one has 4. */
#define SIM_FS_MAX_LEVELS 5

/*
 * A non-leaf entry (PML5E, PML4E, PDPTE, or PDE referencing a page table)
 * as a paging-structure cache keeps it (VT-d spec 6.2.5, "Caches for
 * Paging Structures"): the table it references and the access rights of
 * the walk down to and including it.  Hardware keeps the rights as flags;
 * here each is the topmost level that denied it, so that a fault reports
 * the fault_level a full walk would (the guest never sees that level).
 */
struct sim_fs_pse {
    unsigned level;             /* of the entry: 5..2 */
    uint64_t table;             /* GPA of the table it references */
    unsigned us_denied_level;   /* topmost level with U/S=0, 0 if none */
    unsigned rw_denied_level;   /* topmost level with R/W=0, 0 if none */
};

struct sim_fs_walk_req {
    uint64_t pgtbl_addr;   /* GPA of the top-level table (the PASID entry's FSPTPTR) */
    uint32_t addr_width;   /* 48 => 4-level, 57 => 5-level; nothing else (the kernel rejects it) */
    uint64_t vtd_flags;    /* IOMMU_VTD_S1_SRE | _EAFE | _WPE from <linux/iommufd.h> */
    uint64_t iova;
    bool write;
    bool supervisor;       /* privileged request */
    /*
     * CAP.FS1GP: PS=1 in a PDPE maps a 1 GiB page; without it the bit is
     * reserved (VT-d spec, first-stage paging entries), and the Intel
     * driver never builds such a leaf (iommu_superpage_capability()).
     */
    bool fs1gp;
    /*
     * A cached entry that translates iova: the walk reads only the levels
     * below it (VT-d spec 6.2.6).  NULL: the walk starts at the top.
     */
    const struct sim_fs_pse *start;
};

struct sim_fs_walk_result {
    uint64_t gpa;          /* translated guest-physical address of req.iova (offset applied) */
    uint64_t page_size;    /* 4K, 2M or 1G */
    /*
     * The rights of the walk as an IOTLB entry keeps them (VT-d 6.2.3):
     * R/W=1 and U/S=1 at every level.  Whether a request may write the
     * page, this one or a later one hitting the entry, follows from them
     * (sim_fs_access_fault()).
     */
    bool rw;
    bool user;
    enum sim_fault fault;
    uint64_t fault_level;  /* paging level at which the fault was found (5..1), 0 if none */
    /* On success, the non-leaf entries read from memory, topmost first. */
    struct sim_fs_pse pses[SIM_FS_MAX_LEVELS - 1];
    unsigned num_pses;
};

/*
 * The fault, or SIM_FAULT_NONE, of @req's access to a translation whose
 * levels all have R/W=1 (@rw) and U/S=1 (@user): user requests need
 * U/S=1 everywhere, writes need R/W=1 everywhere except that a
 * privileged request ignores R/W unless WPE is set.
 */
enum sim_fault sim_fs_access_fault(const struct sim_fs_walk_req *req,
                                   bool rw, bool user);

/*
 * Translate req->iova.  Returns the fault (SIM_FAULT_NONE on success), also
 * stored in res->fault.  read64 reads guest-physical memory through stage-2.
 *
 * Faults detected before any paging entry is read (supervisor request
 * without SRE, non-canonical input address) report fault_level 0.
 * A and D bits are written only when the translation succeeds, and only
 * in the entries read: those above req->start are not visited.
 */
enum sim_fault sim_fs_walk(const struct sim_fs_walk_req *req,
                           sim_gpa_read64_fn read64,
                           sim_gpa_write64_fn write64, void *opaque,
                           struct sim_fs_walk_result *res);

#endif /* IOMMUFD_SIM_VTD_FS_WALK_H */
