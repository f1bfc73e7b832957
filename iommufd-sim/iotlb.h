/*
 * iommufd-sim: per-HWPT translation cache, keyed by page
 *
 * Caches iova -> gpa translations of 4 KiB, 2 MiB and 1 GiB pages.  Like a
 * hardware IOTLB it never looks at the page tables: an entry stays valid
 * until invalidated.  Not thread-safe; the caller serialises access.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_IOTLB_H
#define IOMMUFD_SIM_IOTLB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_iotlb;

/* Returns NULL if memory is exhausted. */
struct sim_iotlb *sim_iotlb_new(void);
void sim_iotlb_free(struct sim_iotlb *tlb);

/*
 * Looks up iova; on hit fills gpa (full address, offset within the page
 * applied), page_size and the walk's rights: R/W=1 (@rw) and U/S=1
 * (@user) at every level.  A 4K entry is preferred over 2M over 1G.
 */
bool sim_iotlb_lookup(struct sim_iotlb *tlb, uint64_t iova, uint64_t *gpa,
                      uint64_t *page_size, bool *rw, bool *user);

/*
 * Caches the page of page_size (4K, 2M or 1G) containing iova; the offsets
 * of iova and gpa within the page are ignored.  Replaces an entry for the
 * same page.  If memory is exhausted the translation is simply not cached.
 */
void sim_iotlb_insert(struct sim_iotlb *tlb, uint64_t iova, uint64_t gpa,
                      uint64_t page_size, bool rw, bool user);

/*
 * Drops every entry overlapping [addr, addr + npages * 4096); npages ==
 * UINT64_MAX means all (and so does any range that wraps).
 */
void sim_iotlb_invalidate(struct sim_iotlb *tlb, uint64_t addr,
                          uint64_t npages);

size_t sim_iotlb_count(const struct sim_iotlb *tlb);

#endif /* IOMMUFD_SIM_IOTLB_H */
