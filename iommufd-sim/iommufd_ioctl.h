/*
 * iommufd-sim: ioctls on a simulated /dev/iommu file
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_IOMMUFD_IOCTL_H
#define IOMMUFD_SIM_IOMMUFD_IOCTL_H

#include "objects.h"

/* Returns 0 or -errno. */
int sim_iommufd_ioctl(struct sim_ictx *ictx, int fd, unsigned long request,
                      void *arg);

#endif /* IOMMUFD_SIM_IOMMUFD_IOCTL_H */
