/*
 * iommufd-sim: devices bound to an iommufd and their attachments
 *
 * The device side of iommufd: what VFIO_DEVICE_BIND_IOMMUFD, _ATTACH and
 * _DETACH_IOMMUFD_PT reach.  A device has one attachment for its RID and
 * one per PASID; attaching where one exists replaces it atomically.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_IDEV_H
#define IOMMUFD_SIM_IDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"

/* PASID support as the host enabled it on the device (0: none). */
struct sim_idev_pasid_caps {
    unsigned max_pasid_log2;
    bool exec;
    bool priv;
};

int sim_idev_bind(struct sim_ictx *ictx, const struct sim_idev_pasid_caps *caps,
                  struct sim_idev **out);
/*
 * A mock device of IOMMU_TEST_CMD (mock_dev_create()): driven by the mock
 * IOMMU driver, holding no reference on the context.
 */
int sim_idev_bind_mock(struct sim_ictx *ictx, uint32_t mock_flags,
                       unsigned max_pasid_log2, struct sim_idev **out);
/* Detaches everything, frees the device object, drops the context. */
void sim_idev_unbind(struct sim_idev *idev);

/* *pt_id: in the IOAS or HWPT id, out the HWPT attached.  0 or -errno. */
int sim_idev_attach(struct sim_idev *idev, bool has_pasid, uint32_t pasid,
                    uint32_t *pt_id);
/* Detaching what is not attached succeeds, as in the kernel. */
void sim_idev_detach(struct sim_idev *idev, bool has_pasid, uint32_t pasid);

/* The HWPT translating for (idev, pasid), or NULL (DMA blocked). */
struct sim_hwpt *sim_idev_attached(const struct sim_idev *idev, bool has_pasid,
                                   uint32_t pasid);

#endif /* IOMMUFD_SIM_IDEV_H */
