/*
 * iommufd-sim: /dev/iommu as a VFIO type1 container
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_VFIO_COMPAT_H
#define IOMMUFD_SIM_VFIO_COMPAT_H

#include <stdbool.h>

#include "objects.h"

/* Whether request is a VFIO container ioctl iommufd answers. */
bool sim_vfio_compat_request(unsigned long request);

/* Answers it on the context's compat IOAS: >= 0 or -errno. */
int sim_vfio_compat_ioctl(struct sim_ictx *ictx, int fd, unsigned long request,
                          void *arg);

#endif /* IOMMUFD_SIM_VFIO_COMPAT_H */
