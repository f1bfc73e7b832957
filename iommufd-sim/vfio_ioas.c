/*
 * iommufd-sim: IOMMU_VFIO_IOAS, the IOAS of the VFIO compatibility layer
 *
 * The kernel's /dev/iommu can stand in for a VFIO type1 container; the
 * IOAS that container maps into is chosen with IOMMU_VFIO_IOAS
 * (drivers/iommu/iommufd/vfio_compat.c, iommufd_vfio_ioas()).  The
 * simulator keeps the choice; the container ioctls themselves are not
 * modelled (ENOTTY).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>

#include "ucmd.h"

int sim_vfio_ioas_ioctl(struct sim_ucmd *u)
{
    struct iommu_vfio_ioas *cmd = u->cmd;
    struct sim_obj *obj;

    sim_log_u64(u->log, "op_code", cmd->op);
    sim_log_u64(u->log, "ioas_id", cmd->ioas_id);
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    switch (cmd->op) {
    case IOMMU_VFIO_IOAS_GET:
        /* get_compat_ioas(): none chosen is ENODEV. */
        if (!u->ictx->vfio_ioas) {
            return -ENODEV;
        }
        cmd->ioas_id = u->ictx->vfio_ioas->obj.id;
        u->respond = true;
        return 0;
    case IOMMU_VFIO_IOAS_SET:
        obj = sim_obj_find(u->ictx, cmd->ioas_id, SIM_OBJ_IOAS);
        if (!obj) {
            return -ENOENT;
        }
        u->ictx->vfio_ioas = to_ioas(obj);
        return 0;
    case IOMMU_VFIO_IOAS_CLEAR:
        u->ictx->vfio_ioas = NULL;
        return 0;
    default:
        return -EOPNOTSUPP;
    }
}
