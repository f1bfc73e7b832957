/*
 * iommufd-sim: the selftest's mock IOMMU driver
 *
 * Each function mirrors the one of drivers/iommu/iommufd/selftest.c
 * (Linux 6.12) named above it.  A mock paging domain maps exactly what
 * its IOAS maps (the kernel fills every domain from the IOAS), so the
 * simulator answers MD_CHECK_MAP from the IOAS instead of keeping a copy.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hwpt.h"
#include "idev.h"
#include "ioas.h"
#include "mock_iommu.h"
#include "user_data.h"

#define SIM_MOCK_APERTURE_FIRST (1ULL << 24)
#define SIM_MOCK_APERTURE_LAST ((1ULL << 31) - 1)
#define SIM_MOCK_IOTLB_ID_MAX 3
#define SIM_HW_INFO_SELFTEST_REGVAL 0xdeadbeef
#define SIM_TEST_INVALIDATE_FLAG_ALL 1u

/* struct selftest_obj of type TYPE_IDEV: what owns a mock device. */
struct sim_selftest_obj {
    struct sim_obj obj;
    struct sim_idev *idev;
};

/* struct iommu_test_hw_info */
struct sim_test_hw_info {
    uint32_t flags;
    uint32_t test_reg;
};

/* struct iommu_hwpt_selftest */
struct sim_hwpt_selftest {
    uint32_t iotlb;
};

/* struct iommu_hwpt_invalidate_selftest */
struct sim_hwpt_invalidate_selftest {
    uint32_t flags;
    uint32_t iotlb_id;
};

/* iommufd_test_mock_domain(), with mock_dev_create()'s flag check. */
int sim_mock_domain_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint32_t known = SIM_MOCK_DEVICE_NO_DIRTY | SIM_MOCK_DEVICE_HUGE_IOVA;
    uint32_t flags = 0, pt_id = cmd->id;
    struct sim_selftest_obj *sobj;
    struct sim_idev *idev;
    int ret;

    if (sim_config.profile->mock_dev_pasid) {
        known |= SIM_MOCK_DEVICE_PASID;
    }
    if (cmd->op == SIM_TEST_OP_MOCK_DOMAIN_FLAGS) {
        flags = cmd->mock_domain_flags.dev_flags;
    }
    sobj = calloc(1, sizeof(*sobj));
    if (!sobj) {
        return -ENOMEM;
    }
    ret = sim_obj_add(u->ictx, &sobj->obj, SIM_OBJ_SELFTEST);
    if (ret) {
        free(sobj);
        return ret;
    }
    if (flags & ~known) {
        ret = -EINVAL;
        goto out_sobj;
    }
    ret = sim_idev_bind_mock(u->ictx, flags,
                             flags & SIM_MOCK_DEVICE_PASID ?
                             SIM_MOCK_PASID_WIDTH : 0, &idev);
    if (ret) {
        goto out_sobj;
    }
    ret = sim_idev_attach(idev, false, 0, &pt_id);
    if (ret) {
        sim_idev_unbind(idev);
        goto out_sobj;
    }
    sobj->idev = idev;
    cmd->mock_domain_flags.out_hwpt_id = pt_id;
    cmd->mock_domain_flags.out_stdev_id = sobj->obj.id;
    cmd->mock_domain_flags.out_idev_id = idev->obj.id;
    u->respond = true;
    return 0;

out_sobj:
    sim_obj_remove(u->ictx, &sobj->obj);
    return ret;
}

/* iommufd_test_mock_domain_replace(): iommufd_device_replace(). */
int sim_mock_domain_replace_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    struct sim_obj *obj = sim_obj_find(u->ictx, cmd->id, SIM_OBJ_SELFTEST);
    struct sim_selftest_obj *sobj = (struct sim_selftest_obj *)obj;
    uint32_t pt_id = cmd->mock_domain_replace.pt_id;
    int ret;

    if (!sobj) {
        return -ENOENT;
    }
    /* iommufd_device_do_replace(): there must be something to replace. */
    if (!sim_idev_attached(sobj->idev, false, 0)) {
        return -EINVAL;
    }
    ret = sim_idev_attach(sobj->idev, false, 0, &pt_id);
    if (ret) {
        return ret;
    }
    cmd->mock_domain_replace.pt_id = pt_id;
    u->respond = true;
    return 0;
}

/* iommufd_selftest_destroy(): detach, unbind, destroy the mock device. */
void sim_mock_selftest_free(struct sim_obj *obj)
{
    struct sim_selftest_obj *sobj = (struct sim_selftest_obj *)obj;

    if (sobj->idev) {
        sim_idev_unbind(sobj->idev);
    }
    free(sobj);
}

/* mock_domain_alloc_user() without parent, mock_domain_alloc_paging(). */
int sim_mock_paging_new(const struct sim_idev *idev, uint32_t flags,
                        struct sim_hwpt *hwpt)
{
    bool dirty = flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
    struct sim_mock_domain *mock;

    if (flags & ~(IOMMU_HWPT_ALLOC_NEST_PARENT |
                  IOMMU_HWPT_ALLOC_DIRTY_TRACKING)) {
        return -EOPNOTSUPP;
    }
    if (dirty && (idev->mock_flags & SIM_MOCK_DEVICE_NO_DIRTY)) {
        return -EOPNOTSUPP;
    }
    mock = calloc(1, sizeof(*mock));
    if (!mock) {
        return -ENOMEM;
    }
    mock->dirty_ops = dirty;
    mock->huge = idev->mock_flags & SIM_MOCK_DEVICE_HUGE_IOVA;
    hwpt->mock = true;
    hwpt->mock_domain = mock;
    hwpt->geo = (struct sim_domain_geometry) {
        .aperture_first = SIM_MOCK_APERTURE_FIRST,
        .aperture_last = SIM_MOCK_APERTURE_LAST,
        .min_page = SIM_MOCK_IO_PAGE_SIZE,
        .pgsize_bitmap = SIM_MOCK_IO_PAGE_SIZE |
                         (mock->huge ? SIM_MOCK_HUGE_PAGE_SIZE : 0),
    };
    return 0;
}

/* mock_domain_alloc_user() with a parent: __mock_domain_alloc_nested(). */
int sim_mock_nested_new(const struct iommu_hwpt_alloc *cmd,
                        struct sim_hwpt *hwpt)
{
    struct sim_hwpt_selftest cfg;
    struct sim_mock_domain *mock;
    int ret;

    if (cmd->data_type != SIM_HWPT_DATA_SELFTEST ||
        (cmd->flags & ~IOMMU_HWPT_FAULT_ID_VALID)) {
        return -EOPNOTSUPP;
    }
    ret = sim_copy_user_data(&cfg, sizeof(cfg), sizeof(cfg.iotlb),
                             (const void *)(uintptr_t)cmd->data_uptr,
                             cmd->data_len);
    if (ret) {
        return ret;
    }
    mock = calloc(1, sizeof(*mock));
    if (!mock) {
        return -ENOMEM;
    }
    for (int i = 0; i < SIM_MOCK_IOTLB_NUM; i++) {
        mock->iotlb[i] = cfg.iotlb;
    }
    hwpt->mock = true;
    hwpt->mock_domain = mock;
    return 0;
}

void sim_mock_domain_free(struct sim_hwpt *hwpt)
{
    if (hwpt->mock_domain) {
        free(hwpt->mock_domain->dirty);
        free(hwpt->mock_domain);
    }
}

/* mock_domain_nop_attach() */
int sim_mock_check_attach(const struct sim_idev *idev,
                          const struct sim_hwpt *hwpt)
{
    if (hwpt->mock_domain && hwpt->mock_domain->dirty_ops &&
        (idev->mock_flags & SIM_MOCK_DEVICE_NO_DIRTY)) {
        return -EINVAL;
    }
    return 0;
}

/* mock_domain_hw_info(), mock_domain_capable(IOMMU_CAP_DIRTY_TRACKING) */
void sim_mock_hw_info(const struct sim_idev *idev, void *data,
                      uint32_t *len, uint32_t *type, uint64_t *caps)
{
    struct sim_test_hw_info info = {
        .test_reg = SIM_HW_INFO_SELFTEST_REGVAL,
    };

    memcpy(data, &info, sizeof(info));
    *len = sizeof(info);
    *type = SIM_HW_INFO_TYPE_SELFTEST;
    *caps = idev->mock_flags & SIM_MOCK_DEVICE_NO_DIRTY ?
            0 : IOMMU_HW_CAP_DIRTY_TRACKING;
}

/* mock_domain_cache_invalidate_user() */
int sim_mock_invalidate(struct sim_hwpt *hwpt,
                        const struct iommu_hwpt_invalidate *cmd,
                        uint32_t *done)
{
    const char *base = (const char *)(uintptr_t)cmd->data_uptr;
    uint32_t *iotlb = hwpt->mock_domain->iotlb;

    *done = 0;
    if (cmd->data_type != SIM_HWPT_INVALIDATE_DATA_SELFTEST) {
        return -EINVAL;
    }
    for (uint32_t i = 0; i < cmd->entry_num; i++) {
        struct sim_hwpt_invalidate_selftest inv;
        int ret = sim_copy_user_data(&inv, sizeof(inv), sizeof(inv),
                                     base + (size_t)i * cmd->entry_len,
                                     cmd->entry_len);

        if (ret) {
            return ret;
        }
        if (inv.flags & ~SIM_TEST_INVALIDATE_FLAG_ALL) {
            return -EOPNOTSUPP;
        }
        if (inv.iotlb_id > SIM_MOCK_IOTLB_ID_MAX) {
            return -EINVAL;
        }
        if (inv.flags & SIM_TEST_INVALIDATE_FLAG_ALL) {
            memset(iotlb, 0, SIM_MOCK_IOTLB_NUM * sizeof(*iotlb));
        } else {
            iotlb[inv.iotlb_id] = 0;
        }
        (*done)++;
    }
    return 0;
}

/*
 * get_md_pagetable() and get_md_pagetable_nested(): the id as the HWPT
 * type (ENOENT), then a domain of the mock driver (EINVAL).
 */
static struct sim_hwpt *md_pagetable(struct sim_ucmd *u, uint32_t id,
                                     enum sim_obj_type type, int *err)
{
    struct sim_obj *obj = sim_obj_find(u->ictx, id, type);

    if (!obj) {
        *err = -ENOENT;
        return NULL;
    }
    if (!to_hwpt(obj)->mock) {
        *err = -EINVAL;
        return NULL;
    }
    return to_hwpt(obj);
}

/*
 * iommufd_test_md_check_pa(): every 2 KiB of [iova, iova + length) maps
 * the memory at the same offset of uptr.
 */
int sim_mock_check_map_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint64_t iova = cmd->check_map.iova, len = cmd->check_map.length;
    uint64_t uptr = cmd->check_map.uptr;
    struct sim_hwpt *hwpt;
    int err;

    if (iova % SIM_MOCK_IO_PAGE_SIZE || len % SIM_MOCK_IO_PAGE_SIZE ||
        uptr % SIM_MOCK_IO_PAGE_SIZE || uptr + len < uptr) {
        return -EINVAL;
    }
    hwpt = md_pagetable(u, cmd->id, SIM_OBJ_HWPT_PAGING, &err);
    if (!hwpt) {
        return err;
    }
    for (uint64_t off = 0; off < len; off += SIM_MOCK_IO_PAGE_SIZE) {
        const struct sim_area *a = sim_iova_map_find(&hwpt->ioas->map,
                                                     iova + off);

        /* The domain maps process memory at the same address. */
        if (!a || a->file_fd >= 0 ||
            a->user_va + (iova + off - a->iova) != uptr + off) {
            return -EINVAL;
        }
    }
    return 0;
}

/* iommufd_test_md_check_iotlb() */
int sim_mock_check_iotlb_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    struct sim_hwpt *hwpt;
    int err;

    hwpt = md_pagetable(u, cmd->id, SIM_OBJ_HWPT_NESTED, &err);
    if (!hwpt) {
        return err;
    }
    if (cmd->check_iotlb.id > SIM_MOCK_IOTLB_ID_MAX ||
        hwpt->mock_domain->iotlb[cmd->check_iotlb.id] !=
        cmd->check_iotlb.iotlb) {
        return -EINVAL;
    }
    return 0;
}
