/*
 * iommufd-sim: devices bound to an iommufd and their attachments
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>

#include "config.h"
#include "hwpt.h"
#include "idev.h"
#include "ioas.h"
#include "lock_window.h"
#include "mock_iommu.h"

static int bind(struct sim_ictx *ictx, struct sim_idev *idev)
{
    int ret = sim_obj_add(ictx, &idev->obj, SIM_OBJ_DEVICE);

    if (ret) {
        free(idev);
        return ret;
    }
    idev->ictx = ictx;
    /* The bound driver is a user: IOMMU_DESTROY of a device is EBUSY. */
    idev->obj.users++;
    /*
     * iommufd_device_bind(): a device holds the context, except the
     * selftest's mock devices, which live inside it.
     */
    if (!idev->mock) {
        sim_ictx_get(ictx);
    }
    return 0;
}

int sim_idev_bind(struct sim_ictx *ictx, const struct sim_idev_pasid_caps *caps,
                  struct sim_idev **out)
{
    struct sim_idev *idev = calloc(1, sizeof(*idev));
    int ret;

    if (!idev) {
        return -ENOMEM;
    }
    idev->max_pasid_log2 = caps->max_pasid_log2;
    idev->pasid_exec = caps->exec;
    idev->pasid_priv = caps->priv;
    ret = bind(ictx, idev);
    if (!ret) {
        *out = idev;
    }
    return ret;
}

int sim_idev_bind_mock(struct sim_ictx *ictx, uint32_t mock_flags,
                       unsigned max_pasid_log2, struct sim_idev **out)
{
    struct sim_idev *idev = calloc(1, sizeof(*idev));
    int ret;

    if (!idev) {
        return -ENOMEM;
    }
    idev->mock = true;
    idev->mock_flags = mock_flags;
    idev->max_pasid_log2 = max_pasid_log2;
    ret = bind(ictx, idev);
    if (!ret) {
        *out = idev;
    }
    return ret;
}

void sim_idev_unbind(struct sim_idev *idev)
{
    struct sim_ictx *ictx = idev->ictx;
    bool idev_was_mock = idev->mock;
    struct sim_attach *a;
    unsigned pos = 0;

    /* A PASID is never attached to an automatic domain: no put frees one. */
    while ((a = sim_pasid_table_next(&idev->pasids, &pos))) {
        sim_hwpt_flush_domain(a->hwpt);
        sim_hwpt_put(a->hwpt);
    }
    sim_pasid_table_destroy(&idev->pasids);
    sim_idev_detach(idev, false, 0);
    idev->obj.users--;
    sim_obj_remove(ictx, &idev->obj);
    if (!idev_was_mock) {
        sim_ictx_put(ictx);
    }
}

struct sim_hwpt *sim_idev_attached(const struct sim_idev *idev, bool has_pasid,
                                   uint32_t pasid)
{
    struct sim_attach *a;

    if (!has_pasid) {
        return idev->rid_hwpt;
    }
    a = sim_pasid_table_find(&idev->pasids, pasid);
    return a ? a->hwpt : NULL;
}

/*
 * A PASID may only use a HWPT allocated for PASID use, and then only if
 * the RID's HWPT is one too; conversely the RID cannot move to a plain
 * HWPT while PASIDs are attached.
 */
static int check_pasid_compat(const struct sim_idev *idev, bool has_pasid,
                              const struct sim_hwpt *hwpt)
{
    if (has_pasid) {
        if (!hwpt->pasid_compat ||
            (idev->rid_hwpt && !idev->rid_hwpt->pasid_compat)) {
            return -EINVAL;
        }
    } else if (!hwpt->pasid_compat && idev->pasids.count) {
        return -EINVAL;
    }
    return 0;
}

static int set_pasid(struct sim_idev *idev, uint32_t pasid,
                     struct sim_hwpt *hwpt, struct sim_hwpt **old)
{
    struct sim_attach *a = sim_pasid_table_find(&idev->pasids, pasid);

    if (a) {
        *old = a->hwpt;
        a->hwpt = hwpt;
        return 0;
    }
    *old = NULL;
    return sim_pasid_table_add(&idev->pasids, pasid, hwpt);
}

/*
 * Replacing the RID's domain is not atomic on Intel: intel_iommu_attach_device()
 * and intel_nested_attach_dev() start with device_block_translation(),
 * which tears the old domain's PASID entry down and flushes its caches,
 * and when the new domain then fails, __iommu_group_set_domain_internal()
 * re-attaches the old one ("DMA can be discarded during the transition").
 * With IOMMUFD_SIM_REPLACE_WINDOW_US set, the RID is blocked for that long
 * with the simulator unlocked, so DMA from another thread can land in the
 * window; by default the window has no length.
 */
static void block_translation(struct sim_idev *idev, struct sim_hwpt *old,
                              struct sim_hwpt *hwpt)
{
    if (!old || old == hwpt) {
        return;
    }
    sim_hwpt_flush_domain(old);
    if (!sim_config.replace_window_us) {
        return;
    }
    /* Our reference keeps the new HWPT from being destroyed meanwhile. */
    hwpt->obj.users++;
    idev->rid_hwpt = NULL;
    sim_lock_window(sim_config.replace_window_us);
    idev->rid_hwpt = old;
    hwpt->obj.users--;
}

static int attach_hwpt(struct sim_idev *idev, bool has_pasid, uint32_t pasid,
                       struct sim_hwpt *hwpt)
{
    struct sim_hwpt *old = sim_idev_attached(idev, has_pasid, pasid);
    /*
     * The RID's reserved regions follow it from IOAS to IOAS; the mock
     * driver has none.
     */
    bool reserve = !has_pasid && !idev->mock && old != hwpt &&
                   (!old || old->ioas != hwpt->ioas);
    int ret;

    /*
     * __iommu_attach_group(): a domain of another IOMMU driver is EINVAL
     * (so an automatic domain of the other driver is skipped).
     */
    if (hwpt->mock != idev->mock) {
        return -EINVAL;
    }
    if (idev->mock) {
        ret = sim_mock_check_attach(idev, hwpt);
        if (ret) {
            return ret;
        }
    }
    /*
     * iommufd_hw_pagetable_attach() and iommufd_device_do_replace()
     * enforce the reserved regions in the new IOAS (EADDRINUSE) before
     * the IOMMU driver is asked: that failure never blocks translation,
     * and comes before any the driver finds.
     */
    if (reserve) {
        ret = sim_ioas_rid_attach(hwpt->ioas);
        if (ret) {
            return ret;
        }
    }
    if (!has_pasid) {
        block_translation(idev, old, hwpt);
    }
    ret = check_pasid_compat(idev, has_pasid, hwpt);
    if (!ret && !idev->mock && hwpt->obj.type == SIM_OBJ_HWPT_NESTED) {
        ret = sim_hwpt_check_nested_attach(hwpt);
    }
    if (ret) {
        goto unreserve;
    }
    if (old == hwpt) {
        return 0;
    }
    if (has_pasid) {
        ret = set_pasid(idev, pasid, hwpt, &old);
        if (ret) {
            return ret;
        }
    } else {
        idev->rid_hwpt = hwpt;
    }
    hwpt->obj.users++;
    if (old) {
        if (reserve) {
            sim_ioas_rid_detach(old->ioas);
        }
        /*
         * A PASID's entry replaced in place flushes the old domain too,
         * as the RID's did at block_translation(): later kernels'
         * intel_pasid_replace_nested() (Linux 6.12 has no PASID attach
         * through iommufd).
         */
        if (has_pasid) {
            sim_hwpt_flush_domain(old);
        }
        sim_hwpt_put(old);
    }
    return 0;

unreserve:
    if (reserve) {
        sim_ioas_rid_detach(hwpt->ioas);
    }
    return ret;
}

/*
 * Attaching to an IOAS: reuse a compatible auto domain or make one
 * (iommufd_device_auto_get_domain()).  The kernel's automatic domains are
 * allocated without IOMMU_HWPT_ALLOC_PASID, so they serve the RID only: a
 * PASID cannot attach to an IOAS, and the RID cannot move to one while
 * PASIDs are attached (check_pasid_compat()), both EINVAL.
 */
static int attach_ioas(struct sim_idev *idev, bool has_pasid, uint32_t pasid,
                       struct sim_ioas *ioas, uint32_t *pt_id)
{
    struct sim_id_table *t = &idev->ictx->objects;
    struct sim_hwpt *hwpt;
    int ret;

    if (has_pasid) {
        return -EINVAL;
    }

    for (uint32_t id = 1; id < t->next; id++) {
        struct sim_obj *obj = sim_id_lookup(t, id);

        if (!obj || obj->type != SIM_OBJ_HWPT_PAGING ||
            !to_hwpt(obj)->auto_domain || to_hwpt(obj)->ioas != ioas) {
            continue;
        }
        ret = attach_hwpt(idev, has_pasid, pasid, to_hwpt(obj));
        if (ret != -EINVAL) {
            *pt_id = id;
            return ret;
        }
    }
    if (idev->pasids.count) {
        return -EINVAL;
    }
    ret = sim_hwpt_paging_new(idev, ioas, 0, true, &hwpt);
    if (ret) {
        return ret;
    }
    ret = attach_hwpt(idev, has_pasid, pasid, hwpt);
    if (ret) {
        sim_obj_remove(idev->ictx, &hwpt->obj);
        return ret;
    }
    *pt_id = hwpt->obj.id;
    return 0;
}

int sim_idev_attach(struct sim_idev *idev, bool has_pasid, uint32_t pasid,
                    uint32_t *pt_id)
{
    struct sim_obj *obj = sim_obj_find(idev->ictx, *pt_id, SIM_OBJ_ANY);

    if (!obj) {
        return -ENOENT;
    }
    if (has_pasid && (!pasid || !idev->max_pasid_log2 ||
                      pasid >= (1u << idev->max_pasid_log2))) {
        return -EINVAL;
    }
    switch (obj->type) {
    case SIM_OBJ_IOAS:
        return attach_ioas(idev, has_pasid, pasid, to_ioas(obj), pt_id);
    case SIM_OBJ_HWPT_PAGING:
    case SIM_OBJ_HWPT_NESTED:
        return attach_hwpt(idev, has_pasid, pasid, to_hwpt(obj));
    default:
        return -EINVAL;
    }
}

void sim_idev_detach(struct sim_idev *idev, bool has_pasid, uint32_t pasid)
{
    struct sim_hwpt *old;

    if (has_pasid) {
        struct sim_attach *a = sim_pasid_table_find(&idev->pasids, pasid);

        if (!a) {
            return;
        }
        old = a->hwpt;
        sim_pasid_table_remove(&idev->pasids, a);
    } else {
        old = idev->rid_hwpt;
        if (!old) {
            return;
        }
        idev->rid_hwpt = NULL;
        if (!idev->mock) {
            sim_ioas_rid_detach(old->ioas);
        }
    }
    /*
     * The RID goes to the blocking domain (device_block_translation()),
     * a PASID's entry is torn down (intel_iommu_remove_dev_pasid()).
     */
    sim_hwpt_flush_domain(old);
    sim_hwpt_put(old);
}
