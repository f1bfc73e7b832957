/*
 * iommufd-sim: host kernel profiles
 *
 * Each profile lists the uapi a given host kernel accepts, so that QEMU can
 * be run against an older kernel's answers: ENOTTY for ioctls it lacks,
 * EINVAL or EOPNOTSUPP for flags it does not know, and only the structure
 * sizes it understood.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "config.h"

static const struct sim_profile profiles[] = {
    {
        /* Everything in the uapi headers the simulator is built against. */
        .name = "current",
        .ioas_map_file = true,
        .ioas_change_process = true,
        .viommu = true,
        .hwpt_alloc_pasid = true,
        .hw_info_pasid = true,
        .hw_info_input_type = true,
        .attach_pasid = true,
        .bind_token = true,
        .mock_dev_pasid = true,
    }, {
        /*
         * Linux 6.12: nested VTD_S1 HWPTs and HWPT_INVALIDATE (6.8), but
         * IOAS_MAP_FILE and vIOMMU objects came in 6.13, CHANGE_PROCESS in
         * 6.14, PASID attach/HWPT_ALLOC_PASID/max_pasid_log2 in 6.15 and
         * the bind token and hw_info input type later still.
         */
        .name = "6.12",
    },
};

const struct sim_profile *sim_profile_find(const char *name)
{
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
        if (!strcmp(profiles[i].name, name)) {
            return &profiles[i];
        }
    }
    return NULL;
}
