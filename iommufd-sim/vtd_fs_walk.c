/*
 * iommufd-sim: Intel VT-d first-stage page-table walk
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <assert.h>
#include <string.h>

#include <linux/iommufd.h>

#include "vtd_fs_walk.h"

#define FS_PAGE_SHIFT   12
#define FS_LEVEL_BITS   9       /* 512 eight-byte entries per 4 KiB table */

#define FS_P            (1ULL << 0)
#define FS_RW           (1ULL << 1)
#define FS_US           (1ULL << 2)
#define FS_A            (1ULL << 5)
#define FS_D            (1ULL << 6)     /* leaf entries only */
#define FS_PS           (1ULL << 7)     /* PDPE and PDE only; PAT in a PTE */
#define FS_EA           (1ULL << 10)    /* extended-accessed, only with EAFE */

#define FS_GENMASK(hi, lo) ((~0ULL >> (63 - (hi))) & (~0ULL << (lo)))

/*
 * The simulated host reports the architectural maximum 52-bit host address
 * width, so bits 51:12 of every entry are address.  Bits 51:HAW would be
 * reserved for a narrower HAW; with 52 that set is empty.
 */
#define FS_HOST_ADDR_WIDTH  52
#define FS_ADDR_MASK        FS_GENMASK(FS_HOST_ADDR_WIDTH - 1, FS_PAGE_SHIFT)
#define FS_RSVD_ABOVE_HAW   (FS_GENMASK(51, FS_PAGE_SHIFT) & ~FS_ADDR_MASK)

/*
 * Bits deliberately not treated as reserved:
 *  - 62:52 are ignored in first-stage entries (no protection keys in VT-d);
 *  - 63 (XD) only restricts execute requests.  Scalable-mode PASID entries
 *    have no NXE control that would make it reserved, and Linux sets XD in
 *    every first-stage entry it builds, so it must be accepted.  The
 *    simulator issues no execute requests, so XD has no effect here.
 *  - 11:8 are ignored (G in a leaf; EA at bit 10 is only ever set by the walk).
 *  - bit 7 in a PTE is PAT and bit 12 in a large leaf is PAT.
 */

const char *sim_fault_name(enum sim_fault f)
{
    switch (f) {
    case SIM_FAULT_NONE:
        return "NONE";
    case SIM_FAULT_BLOCKED:
        return "BLOCKED";
    case SIM_FAULT_FS_NOT_PRESENT:
        return "FS_NOT_PRESENT";
    case SIM_FAULT_FS_WRITE:
        return "FS_WRITE";
    case SIM_FAULT_FS_PRIV:
        return "FS_PRIV";
    case SIM_FAULT_FS_RSVD:
        return "FS_RSVD";
    case SIM_FAULT_FS_NON_CANONICAL:
        return "FS_NON_CANONICAL";
    case SIM_FAULT_S2_MISS:
        return "S2_MISS";
    case SIM_FAULT_S2_PERM:
        return "S2_PERM";
    case SIM_FAULT_PASID_ENTRY:
        return "PASID_ENTRY";
    }
    return "INVALID";
}

/* log2 of the span of memory one entry at @level maps. */
static unsigned fs_level_shift(unsigned level)
{
    return FS_PAGE_SHIFT + (level - 1) * FS_LEVEL_BITS;
}

static uint64_t fs_index(uint64_t iova, unsigned level)
{
    return (iova >> fs_level_shift(level)) & FS_GENMASK(FS_LEVEL_BITS - 1, 0);
}

/* Bits 63:width-1 must all equal bit width-1, as for x86 linear addresses. */
static bool fs_iova_canonical(uint64_t iova, unsigned width)
{
    unsigned unused = 64 - width;

    return (uint64_t)((int64_t)(iova << unused) >> unused) == iova;
}

static bool fs_is_leaf(uint64_t entry, unsigned level)
{
    return level == 1 || ((level == 2 || level == 3) && (entry & FS_PS));
}

static uint64_t fs_rsvd_mask(uint64_t entry, unsigned level, bool fs1gp)
{
    uint64_t rsvd = FS_RSVD_ABOVE_HAW;

    switch (level) {
    case 5:
    case 4:
        /* There are no 512 GiB or 256 TiB pages. */
        rsvd |= FS_PS;
        break;
    case 3:
    case 2:
        if (!(entry & FS_PS)) {
            break;
        }
        /* A 1 GiB leaf needs the FS1GP capability. */
        if (level == 3 && !fs1gp) {
            rsvd |= FS_PS;
            break;
        }
        /*
         * 1 GiB and 2 MiB leaves: address bits below the page size, except
         * PAT at bit 12, must be zero.
         */
        rsvd |= FS_GENMASK(fs_level_shift(level) - 1, FS_PAGE_SHIFT + 1);
        break;
    }
    return rsvd;
}

static enum sim_fault fs_fault(struct sim_fs_walk_result *res,
                               enum sim_fault fault, unsigned level)
{
    res->fault = fault;
    res->fault_level = level;
    return fault;
}

enum sim_fault sim_fs_access_fault(const struct sim_fs_walk_req *req,
                                   bool rw, bool user)
{
    /*
     * User requests need U/S=1 at every level.  Supervisor requests (only
     * possible with SRE) may access user and supervisor pages alike.
     */
    if (!req->supervisor && !user) {
        return SIM_FAULT_FS_PRIV;
    }
    /*
     * Writes need R/W=1 at every level, except that a supervisor request
     * ignores R/W unless WPE is set (the analogue of CR0.WP).
     */
    if (req->write && !rw &&
        !(req->supervisor && !(req->vtd_flags & IOMMU_VTD_S1_WPE))) {
        return SIM_FAULT_FS_WRITE;
    }
    return SIM_FAULT_NONE;
}

enum sim_fault sim_fs_walk(const struct sim_fs_walk_req *req,
                           sim_gpa_read64_fn read64,
                           sim_gpa_write64_fn write64, void *opaque,
                           struct sim_fs_walk_result *res)
{
    /* Entry and its GPA for each level walked, indexed by level - 1. */
    uint64_t entries[SIM_FS_MAX_LEVELS], entry_gpas[SIM_FS_MAX_LEVELS];
    unsigned top_level, first_level, level, num_pses = 0;
    unsigned us_denied_level = 0, rw_denied_level = 0;
    /*
     * Unlike an entry's address field, the PASID entry's table pointer
     * has no bits above the host address width to ignore: all of it is
     * the GPA stage 2 translates.
     */
    uint64_t table = req->pgtbl_addr & ~FS_GENMASK(FS_PAGE_SHIFT - 1, 0);
    uint64_t page_mask;
    enum sim_fault fault;

    assert(req->addr_width == 48 || req->addr_width == 57);
    top_level = req->addr_width == 57 ? 5 : 4;
    first_level = top_level;
    memset(res, 0, sizeof(*res));

    /* SRE=0 in the PASID entry blocks every privileged request outright. */
    if (req->supervisor && !(req->vtd_flags & IOMMU_VTD_S1_SRE)) {
        return fs_fault(res, SIM_FAULT_FS_PRIV, 0);
    }
    if (!fs_iova_canonical(req->iova, req->addr_width)) {
        return fs_fault(res, SIM_FAULT_FS_NON_CANONICAL, 0);
    }
    if (req->start) {
        assert(req->start->level >= 2 && req->start->level <= top_level);
        first_level = req->start->level - 1;
        table = req->start->table;
        us_denied_level = req->start->us_denied_level;
        rw_denied_level = req->start->rw_denied_level;
    }

    /*
     * As on x86, the walk stops at the first not-present entry or entry
     * with reserved bits set, and those faults win over permission faults:
     * access rights are the combination over all levels, so they are only
     * known once the leaf is reached.
     */
    for (level = first_level;; level--) {
        uint64_t gpa = table + fs_index(req->iova, level) * sizeof(uint64_t);
        uint64_t entry;
        int ret = read64(opaque, gpa, &entry);

        if (ret != SIM_FAULT_NONE) {
            return fs_fault(res, ret, level);
        }
        if (!(entry & FS_P)) {
            return fs_fault(res, SIM_FAULT_FS_NOT_PRESENT, level);
        }
        if (entry & fs_rsvd_mask(entry, level, req->fs1gp)) {
            return fs_fault(res, SIM_FAULT_FS_RSVD, level);
        }
        entries[level - 1] = entry;
        entry_gpas[level - 1] = gpa;

        /* Permission faults name the topmost level that denied access. */
        if (!(entry & FS_US) && !us_denied_level) {
            us_denied_level = level;
        }
        if (!(entry & FS_RW) && !rw_denied_level) {
            rw_denied_level = level;
        }
        if (fs_is_leaf(entry, level)) {
            break;
        }
        table = entry & FS_ADDR_MASK;
        res->pses[num_pses++] = (struct sim_fs_pse) {
            .level = level,
            .table = table,
            .us_denied_level = us_denied_level,
            .rw_denied_level = rw_denied_level,
        };
    }

    fault = sim_fs_access_fault(req, !rw_denied_level, !us_denied_level);
    if (fault) {
        return fs_fault(res, fault, fault == SIM_FAULT_FS_PRIV ?
                        us_denied_level : rw_denied_level);
    }

    /*
     * Set A (and EA with EAFE) in every entry used and D in the leaf for a
     * write.  This is done only once the translation is known to succeed,
     * so a faulting DMA never modifies guest tables; a successful walk
     * leaves the same bits as hardware that sets them level by level.  An
     * entry that already has the bits is not rewritten, so stage-2
     * read-only tables only fault when an update is really needed.
     */
    if (write64) {
        uint64_t accessed = FS_A;

        if (req->vtd_flags & IOMMU_VTD_S1_EAFE) {
            accessed |= FS_EA;
        }
        for (unsigned l = first_level; l >= level; l--) {
            uint64_t set = accessed;
            int ret;

            if (l == level && req->write) {
                set |= FS_D;
            }
            if ((entries[l - 1] & set) == set) {
                continue;
            }
            ret = write64(opaque, entry_gpas[l - 1], entries[l - 1] | set);
            if (ret != SIM_FAULT_NONE) {
                return fs_fault(res, ret, l);
            }
        }
    }

    res->page_size = 1ULL << fs_level_shift(level);
    page_mask = res->page_size - 1;
    res->gpa = (entries[level - 1] & FS_ADDR_MASK & ~page_mask) |
               (req->iova & page_mask);
    res->rw = !rw_denied_level;
    res->user = !us_denied_level;
    res->num_pses = num_pses;
    return SIM_FAULT_NONE;
}
