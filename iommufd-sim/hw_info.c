/*
 * iommufd-sim: IOMMU_GET_HW_INFO
 *
 * The Intel driver reports struct iommu_hw_info_vtd.  The caller's buffer
 * gets min(its length, ours) bytes, the rest of it is zeroed, and data_len
 * comes back as the length the kernel has, whatever was asked.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "config.h"
#include "mock_iommu.h"
#include "ucmd.h"
#include "vtd_regs.h"

int sim_get_hw_info_ioctl(struct sim_ucmd *u)
{
    const struct sim_profile *prof = sim_config.profile;
    struct iommu_hw_info *cmd = u->cmd;
    struct iommu_hw_info_vtd vtd = {
        .flags = sim_config.vtd_flags,
        .cap_reg = sim_config.vtd_cap,
        .ecap_reg = sim_config.vtd_ecap,
    };
    uint32_t valid_flags = prof->hw_info_input_type ?
                           IOMMU_HW_INFO_FLAG_INPUT_TYPE : 0;
    unsigned char *buf = (void *)(uintptr_t)cmd->data_uptr;
    unsigned char data[sizeof(vtd)];
    struct sim_obj *obj;
    struct sim_idev *idev;
    uint32_t copy_len, len, type;
    uint64_t caps;

    sim_log_u64(u->log, "dev_id", cmd->dev_id);
    sim_log_u64(u->log, "flags", cmd->flags);
    sim_log_u64(u->log, "data_len", cmd->data_len);
    if (cmd->flags & ~valid_flags) {
        return -EOPNOTSUPP;
    }
    /*
     * Before PASID reporting, the byte now holding out_max_pasid_log2 was
     * the start of a 32-bit __reserved that had to be zero.
     */
    if (cmd->__reserved[0] || cmd->__reserved[1] || cmd->__reserved[2] ||
        (!prof->hw_info_pasid && cmd->out_max_pasid_log2)) {
        return -EOPNOTSUPP;
    }
    if (!(cmd->flags & IOMMU_HW_INFO_FLAG_INPUT_TYPE)) {
        cmd->in_data_type = IOMMU_HW_INFO_TYPE_DEFAULT;
    }
    obj = sim_obj_find(u->ictx, cmd->dev_id, SIM_OBJ_DEVICE);
    if (!obj) {
        return -ENOENT;
    }
    idev = to_idev(obj);
    /* The driver's hw_info: VT-d's registers, or the mock driver's. */
    if (idev->mock) {
        sim_mock_hw_info(idev, data, &len, &type, &caps);
    } else {
        memcpy(data, &vtd, sizeof(vtd));
        len = sizeof(vtd);
        type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
        caps = vtd_ssads_supported(sim_config.vtd_ecap) ?
               IOMMU_HW_CAP_DIRTY_TRACKING : 0;
    }
    if (cmd->in_data_type != IOMMU_HW_INFO_TYPE_DEFAULT &&
        cmd->in_data_type != type) {
        return -EOPNOTSUPP;
    }
    cmd->out_data_type = type;
    copy_len = cmd->data_len < len ? cmd->data_len : len;
    if (cmd->data_len && !buf) {
        return -EFAULT;
    }
    if (cmd->data_len) {
        memcpy(buf, data, copy_len);
        memset(buf + copy_len, 0, cmd->data_len - copy_len);
    }
    cmd->data_len = len;
    cmd->out_capabilities = caps;
    cmd->out_max_pasid_log2 = 0;
    if (prof->hw_info_pasid && idev->max_pasid_log2) {
        cmd->out_max_pasid_log2 = idev->max_pasid_log2;
        if (idev->pasid_exec) {
            cmd->out_capabilities |= IOMMU_HW_CAP_PCI_PASID_EXEC;
        }
        if (idev->pasid_priv) {
            cmd->out_capabilities |= IOMMU_HW_CAP_PCI_PASID_PRIV;
        }
    }
    u->respond = true;
    sim_log_u64(u->log, "out_data_type", cmd->out_data_type);
    sim_log_u64(u->log, "out_capabilities", cmd->out_capabilities);
    sim_log_u64(u->log, "out_max_pasid_log2", cmd->out_max_pasid_log2);
    return 0;
}
