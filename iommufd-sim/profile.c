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
        .paging_first_stage = true,
        .mock_dev_pasid = true,
        /*
         * Linux 7.1.8: intel_iommu's second-stage page table of a nest
         * parent is built with PT_FEAT_VTDSS_FORCE_WRITEABLE, so a
         * read-only IOAS_MAP becomes a writeable IOPTE.
         */
        .nest_parent_ro = SIM_NEST_PARENT_RO_FORCE_WRITEABLE,
    }, {
        /*
         * Debian's linux-source-6.12 6.12.117-1~deb12u1, read in
         * drivers/iommu/iommufd/ and drivers/vfio/ (docs/iommufd-sim.rst
         * cites file and function per fact): nested VTD_S1 HWPTs and
         * HWPT_INVALIDATE; IOMMU_GET_HW_INFO reports out_max_pasid_log2
         * and the PCI PASID capabilities (iommufd_get_hw_info(),
         * backported in 6.12.31); no IOAS_MAP_FILE, vIOMMU objects,
         * IOAS_CHANGE_PROCESS, IOMMU_HWPT_ALLOC_PASID, VFIO PASID attach,
         * bind token or hw_info input type (absent from its uapi
         * iommufd.h/vfio.h); every user paging domain is second stage
         * (intel_iommu_domain_alloc_user()).
         */
        .name = "6.12",
        .hw_info_pasid = true,
        /* __domain_mapping(): EINVAL for !DMA_PTE_WRITE in a nest parent */
        .nest_parent_ro = SIM_NEST_PARENT_RO_REFUSED,
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
