/*
 * iommufd-sim: hardware page tables (HWPTs)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_HWPT_H
#define IOMMUFD_SIM_HWPT_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"

/*
 * Allocates a paging HWPT on ioas (the paging domain of idev's IOMMU
 * driver: VT-d, or the selftest's mock driver).  Auto domains are the
 * ones the kernel makes when a device attaches to an IOAS directly.
 * 0 or -errno.
 */
int sim_hwpt_paging_new(const struct sim_idev *idev, struct sim_ioas *ioas,
                        uint32_t flags, bool auto_domain,
                        struct sim_hwpt **out);

/* Frees a HWPT whose id has been released. */
void sim_hwpt_free(struct sim_hwpt *hwpt);

/* Drops an attachment's reference; an unused auto domain goes away. */
void sim_hwpt_put(struct sim_hwpt *hwpt);

/*
 * The HWPT stopped translating for a RID or a PASID: the kernel tore its
 * PASID entry down (intel_pasid_tear_down_entry()), flushing the caches
 * of its domain.
 */
void sim_hwpt_flush_domain(struct sim_hwpt *hwpt);

/*
 * Checks done when a nested HWPT is installed in a PASID table entry
 * (the kernel validates the stage-1 config at attach, not at allocation).
 */
int sim_hwpt_check_nested_attach(const struct sim_hwpt *hwpt);

#endif /* IOMMUFD_SIM_HWPT_H */
