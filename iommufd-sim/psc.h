/*
 * iommufd-sim: per-HWPT first-stage paging-structure caches
 *
 * The PML5-, PML4-, PDPTE- and PDE-caches of VT-d spec 6.2.5 ("Caches for
 * Paging Structures") for one nested HWPT, i.e. one (domain-id, PASID) tag
 * set as the kernel uses it.  An entry of level L is used for the input
 * addresses that share bits 63:shift(L) with the address it was cached
 * for (shift(2) = 21 .. shift(5) = 48).  Like hardware the cache never
 * looks at the page tables again: an entry stays until invalidated.  Not
 * thread-safe; the caller serialises access.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_PSC_H
#define IOMMUFD_SIM_PSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtd_fs_walk.h"

struct sim_psc;

/* Returns NULL if memory is exhausted. */
struct sim_psc *sim_psc_new(void);
void sim_psc_free(struct sim_psc *psc);

/*
 * Finds the deepest cached entry that translates iova (a PDE before a
 * PDPTE before a PML4E before a PML5E, VT-d spec 6.2.6) and copies it to
 * *pse; false if there is none.
 */
bool sim_psc_lookup(struct sim_psc *psc, uint64_t iova, struct sim_fs_pse *pse);

/*
 * Caches pse, read while translating iova; replaces the entry of the same
 * level for the same region.  If memory is exhausted it is not cached.
 */
void sim_psc_insert(struct sim_psc *psc, uint64_t iova,
                    const struct sim_fs_pse *pse);

/*
 * What one IOMMU_HWPT_INVALIDATE entry of type VTD_S1 does to the cache:
 * see psc.c.  npages == UINT64_MAX, or a range that wraps, means all.
 */
void sim_psc_invalidate(struct sim_psc *psc, uint64_t addr, uint64_t npages,
                        bool leaf);

size_t sim_psc_count(const struct sim_psc *psc);

#endif /* IOMMUFD_SIM_PSC_H */
