/*
 * iommufd-sim: one iommufd ioctl being handled
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_UCMD_H
#define IOMMUFD_SIM_UCMD_H

#include <stdbool.h>

#include "log.h"
#include "objects.h"

struct sim_ucmd {
    struct sim_ictx *ictx;
    void *cmd;                  /* the kernel-sized copy of the argument */
    bool respond;               /* copy cmd back to the caller, even if the
                                 * handler then fails (as the kernel does
                                 * for IOVA_RANGES and HWPT_INVALIDATE) */
    struct sim_log_rec *log;    /* handlers add their fields */
};

/* Handlers return 0 or -errno. */
int sim_ioas_alloc_ioctl(struct sim_ucmd *u);
int sim_ioas_map_ioctl(struct sim_ucmd *u);
int sim_ioas_map_file_ioctl(struct sim_ucmd *u);
int sim_ioas_copy_ioctl(struct sim_ucmd *u);
int sim_ioas_unmap_ioctl(struct sim_ucmd *u);
int sim_ioas_iova_ranges_ioctl(struct sim_ucmd *u);
int sim_ioas_allow_iovas_ioctl(struct sim_ucmd *u);
int sim_ioas_change_process_ioctl(struct sim_ucmd *u);
int sim_option_ioctl(struct sim_ucmd *u);
int sim_hwpt_alloc_ioctl(struct sim_ucmd *u);
int sim_hwpt_invalidate_ioctl(struct sim_ucmd *u);
int sim_hwpt_set_dirty_tracking_ioctl(struct sim_ucmd *u);
int sim_hwpt_get_dirty_bitmap_ioctl(struct sim_ucmd *u);
int sim_get_hw_info_ioctl(struct sim_ucmd *u);
int sim_viommu_alloc_ioctl(struct sim_ucmd *u);
int sim_test_cmd_ioctl(struct sim_ucmd *u);
int sim_vfio_ioas_ioctl(struct sim_ucmd *u);

#endif /* IOMMUFD_SIM_UCMD_H */
