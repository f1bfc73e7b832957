/*
 * iommufd-sim: DMA address translation through a HWPT
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_TRANSLATE_H
#define IOMMUFD_SIM_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ioas.h"
#include "objects.h"
#include "vtd_fs_walk.h"

/*
 * Translates iova for a user request, or a privileged one (@supervisor).
 * NULL hwpt means nothing is attached: SIM_FAULT_BLOCKED.  On success
 * out->len is the number of contiguous bytes usable from iova (within
 * one stage-1 page).
 */
enum sim_fault sim_translate(struct sim_hwpt *hwpt, uint64_t iova, bool write,
                             bool supervisor, struct sim_host_range *out);

#endif /* IOMMUFD_SIM_TRANSLATE_H */
