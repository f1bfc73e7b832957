/*
 * iommufd-sim: VFIO device ioctls other than bind and attach
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VFIO_DEVICE_INFO_H
#define IOMMUFD_SIM_VFIO_DEVICE_INFO_H

#include "log.h"
#include "vfio_device.h"

/* Log name of a request handled here, or NULL if unknown. */
const char *sim_vdev_info_ioctl_name(unsigned long request);
/* Handles a request named by sim_vdev_info_ioctl_name(): 0 or -errno. */
int sim_vdev_info_ioctl(struct sim_vdev *vdev, unsigned long request,
                        void *arg, struct sim_log_rec *log);

#endif /* IOMMUFD_SIM_VFIO_DEVICE_INFO_H */
