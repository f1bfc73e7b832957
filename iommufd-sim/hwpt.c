/*
 * iommufd-sim: hardware page tables (HWPTs)
 *
 * A paging HWPT mirrors its IOAS (stage 2); a nested HWPT of type VTD_S1
 * points at a guest first-stage page table that is walked through its
 * parent's IOAS; it caches translations in an IOTLB, and non-leaf entries
 * in paging-structure caches, that only IOMMU_HWPT_INVALIDATE and the
 * kernel's flush when the HWPT leaves a RID or PASID clear, as on
 * hardware.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "hwpt.h"
#include "ioas.h"
#include "iotlb.h"
#include "mock_iommu.h"
#include "psc.h"
#include "ucmd.h"
#include "user_data.h"
#include "vtd_regs.h"

#define SIM_PAGE_SIZE 4096u
/* IOMMU_HWPT_INVALIDATE_ENTRY_NUM_MAX of iommufd/hw_pagetable.c */
#define SIM_INVALIDATE_ENTRY_NUM_MAX (1u << 19)

/*
 * The domain's guest address width as the Intel driver computes it: the
 * IOMMU's agaw is the widest of 39/48/57 bits, at most 57
 * (DEFAULT_DOMAIN_ADDRESS_WIDTH), in the SAGAW the stages share
 * (__iommu_calculate_sagaw(): first stage 48, and 57 with FS5LP, ANDed
 * with the second stage's SAGAW when the host has both), capped by MGAW
 * (paging_domain_alloc()).
 */
static unsigned domain_gaw(void)
{
    uint64_t cap = sim_config.vtd_cap, ecap = sim_config.vtd_ecap;
    unsigned sl_sagaw = (cap >> 8) & 0x1f;
    unsigned fl_sagaw = (1u << 2) | (cap & VTD_CAP_FS5LP ? 1u << 3 : 0);
    unsigned sagaw, mgaw = VTD_CAP_MGAW_OF(cap), width = 0;

    if (!(ecap & VTD_ECAP_SMTS) || !(ecap & VTD_ECAP_FSTS)) {
        sagaw = sl_sagaw;
    } else if (!(ecap & VTD_ECAP_SSTS)) {
        sagaw = fl_sagaw;
    } else {
        sagaw = fl_sagaw & sl_sagaw;
    }
    for (int agaw = 3; agaw >= 0; agaw--) {
        if (sagaw & (1u << agaw)) {
            width = 30 + 9 * agaw;
            break;
        }
    }
    /* No usable width: the kernel would not have probed the IOMMU. */
    if (!width) {
        width = 48;
    }
    return width < mgaw ? width : mgaw;
}

/*
 * Input width of the paging domain: its aperture ends at 2^bits - 1.
 * paging_domain_alloc() ends a first-stage domain at 2^(gaw-1) - 1 (the
 * canonical lower half), a second-stage one at 2^gaw - 1.  Linux 6.12's
 * intel_iommu_domain_alloc_user() makes every user domain second stage;
 * later kernels make a plain paging domain first stage when the IOMMU has
 * one, and keep nesting parents and dirty tracking on the second stage.
 */
static unsigned paging_aperture_bits(uint32_t flags)
{
    bool first_stage = sim_config.profile->paging_first_stage &&
                       (sim_config.vtd_ecap & VTD_ECAP_FSTS) &&
                       !(flags & (IOMMU_HWPT_ALLOC_NEST_PARENT |
                                  IOMMU_HWPT_ALLOC_DIRTY_TRACKING));

    return first_stage ? domain_gaw() - 1 : domain_gaw();
}

/*
 * The superpage sizes of a paging domain (domain_super_pgsize_bitmap(),
 * iommu_superpage_capability()): 2M, and 1G with FS1GP, on the first
 * stage; what SLLPS offers on the second.
 */
static uint64_t superpages(uint32_t flags)
{
    uint64_t cap = sim_config.vtd_cap;
    unsigned levels;

    if (paging_aperture_bits(flags) != domain_gaw()) {   /* first stage */
        levels = cap & VTD_CAP_FS1GP ? 2 : 1;
    } else {
        levels = cap & VTD_CAP_SLLPS_1G ? 2 : cap & VTD_CAP_SLLPS_2M ? 1 : 0;
    }
    return (levels >= 1 ? 2ULL << 20 : 0) | (levels >= 2 ? 1ULL << 30 : 0);
}

/* The Intel driver's part of a paging domain (intel_iommu_domain_alloc_user()). */
static int vtd_paging_new(uint32_t flags, struct sim_hwpt *hwpt)
{
    uint64_t ecap = sim_config.vtd_ecap;

    if ((flags & IOMMU_HWPT_ALLOC_NEST_PARENT) &&
        !((ecap & VTD_ECAP_NEST) && (ecap & VTD_ECAP_SMTS))) {
        return -EOPNOTSUPP;
    }
    /*
     * IOMMU_HWPT_ALLOC_PASID only asks for a domain usable with PASIDs:
     * the Intel driver accepts it whatever ECAP.PASID says (the attach of
     * a PASID is where a host without PASIDs refuses).
     */
    hwpt->geo = (struct sim_domain_geometry) {
        .aperture_first = 0,
        .aperture_last = (1ULL << paging_aperture_bits(flags)) - 1,
        .min_page = SIM_PAGE_SIZE,
        .pgsize_bitmap = SIM_PAGE_SIZE | superpages(flags),
    };
    if (flags & IOMMU_HWPT_ALLOC_NEST_PARENT) {
        enum sim_nest_parent_ro ro = sim_config.profile->nest_parent_ro;

        hwpt->geo.refuses_read_only = ro == SIM_NEST_PARENT_RO_REFUSED;
        hwpt->geo.forces_writeable = ro == SIM_NEST_PARENT_RO_FORCE_WRITEABLE;
    }
    return 0;
}

/* Whether the device's IOMMU can track dirty pages (IOMMU_CAP_DIRTY_TRACKING). */
static bool dirty_capable(const struct sim_idev *idev)
{
    if (idev->mock) {
        return !(idev->mock_flags & SIM_MOCK_DEVICE_NO_DIRTY);
    }
    return vtd_ssads_supported(sim_config.vtd_ecap);
}

int sim_hwpt_paging_new(const struct sim_idev *idev, struct sim_ioas *ioas,
                        uint32_t flags, bool auto_domain,
                        struct sim_hwpt **out)
{
    const struct sim_profile *prof = sim_config.profile;
    uint32_t valid = IOMMU_HWPT_ALLOC_NEST_PARENT |
                     IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
    struct sim_ictx *ictx = idev->ictx;
    struct sim_hwpt *hwpt;
    int ret;

    /*
     * iommufd_hwpt_paging_alloc(): Linux 6.12 knows NEST_PARENT and
     * DIRTY_TRACKING only; later kernels PASID and a fault queue too.
     */
    if (prof->hwpt_alloc_pasid) {
        valid |= IOMMU_HWPT_ALLOC_PASID | IOMMU_HWPT_FAULT_ID_VALID;
    }
    if (flags & ~valid) {
        return -EOPNOTSUPP;
    }
    if ((flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) && !dirty_capable(idev)) {
        return -EOPNOTSUPP;
    }
    if ((flags & IOMMU_HWPT_FAULT_ID_VALID) &&
        (flags & IOMMU_HWPT_ALLOC_NEST_PARENT)) {
        return -EOPNOTSUPP;
    }
    hwpt = calloc(1, sizeof(*hwpt));
    if (!hwpt) {
        return -ENOMEM;
    }
    ret = idev->mock ?
          sim_mock_paging_new(idev, flags & ~(IOMMU_HWPT_FAULT_ID_VALID |
                                              IOMMU_HWPT_ALLOC_PASID), hwpt) :
          vtd_paging_new(flags, hwpt);
    if (ret) {
        free(hwpt);
        return ret;
    }
    hwpt->ictx = ictx;
    hwpt->flags = flags;
    hwpt->auto_domain = auto_domain;
    hwpt->pasid_compat = flags & IOMMU_HWPT_ALLOC_PASID;
    hwpt->ioas = ioas;
    ret = sim_ioas_add_domain(ioas, &hwpt->geo);
    if (ret) {
        sim_mock_domain_free(hwpt);
        free(hwpt);
        return ret;
    }
    ret = sim_obj_add(ictx, &hwpt->obj, SIM_OBJ_HWPT_PAGING);
    if (ret) {
        sim_ioas_remove_domain(ioas, &hwpt->geo);
        sim_mock_domain_free(hwpt);
        free(hwpt);
        return ret;
    }
    ioas->obj.users++;
    *out = hwpt;
    return 0;
}

/* The Intel driver's nested domain (intel_nested_domain_alloc()). */
static int vtd_nested_new(struct sim_ucmd *u,
                          const struct iommu_hwpt_alloc *cmd,
                          struct sim_hwpt *hwpt)
{
    uint64_t ecap = sim_config.vtd_ecap;
    struct iommu_hwpt_vtd_s1 s1;
    int ret;

    if (!((ecap & VTD_ECAP_NEST) && (ecap & VTD_ECAP_SMTS)) ||
        cmd->data_type != IOMMU_HWPT_DATA_VTD_S1) {
        return -EOPNOTSUPP;
    }
    ret = sim_copy_user_data(&s1, sizeof(s1),
                             offsetof(struct iommu_hwpt_vtd_s1, __reserved) +
                             sizeof(s1.__reserved),
                             (const void *)(uintptr_t)cmd->data_uptr,
                             cmd->data_len);
    if (ret) {
        return ret;
    }
    sim_log_u64(u->log, "vtd_flags", s1.flags);
    sim_log_u64(u->log, "pgtbl_addr", s1.pgtbl_addr);
    sim_log_u64(u->log, "addr_width", s1.addr_width);
    /*
     * Unknown flags, __reserved and a pgtbl_addr not 4 KiB aligned are
     * accepted: the kernel never looks at them.  pasid_set_flptr() ORs
     * pgtbl_addr into the PASID entry unmasked, so its low 12 bits land
     * in the entry's controls and reserved bits, and bits beyond the
     * host address width stay in the table pointer: DMA walks that entry
     * (vtd_pasid_entry.h).  addr_width, SRE and EAFE of the flags are
     * checked at attach.
     */
    hwpt->iotlb = sim_iotlb_new();
    if (!hwpt->iotlb) {
        return -ENOMEM;
    }
    if (sim_config.cache == SIM_CACHE_ARCHITECTURAL) {
        hwpt->psc = sim_psc_new();
        if (!hwpt->psc) {
            sim_iotlb_free(hwpt->iotlb);
            return -ENOMEM;
        }
    }
    hwpt->s1 = s1;
    return 0;
}

/* iommufd_hwpt_nested_alloc() */
static int nested_new(struct sim_ucmd *u, const struct sim_idev *idev,
                      struct sim_hwpt *parent,
                      const struct iommu_hwpt_alloc *cmd,
                      struct sim_hwpt **out)
{
    uint32_t valid = IOMMU_HWPT_FAULT_ID_VALID;
    struct sim_hwpt *hwpt;
    int ret;

    if (sim_config.profile->hwpt_alloc_pasid) {
        valid |= IOMMU_HWPT_ALLOC_PASID;
    }
    if ((cmd->flags & ~valid) || !cmd->data_len) {
        return -EOPNOTSUPP;
    }
    /* The parent must be a nesting parent of the device's own driver. */
    if (parent->auto_domain ||
        !(parent->flags & IOMMU_HWPT_ALLOC_NEST_PARENT) ||
        parent->mock != idev->mock) {
        return -EINVAL;
    }
    hwpt = calloc(1, sizeof(*hwpt));
    if (!hwpt) {
        return -ENOMEM;
    }
    ret = idev->mock ? sim_mock_nested_new(cmd, hwpt) :
                       vtd_nested_new(u, cmd, hwpt);
    if (ret) {
        free(hwpt);
        return ret;
    }
    hwpt->ictx = u->ictx;
    hwpt->flags = cmd->flags;
    hwpt->pasid_compat = cmd->flags & IOMMU_HWPT_ALLOC_PASID;
    hwpt->parent = parent;
    hwpt->ioas = parent->ioas;
    ret = sim_obj_add(u->ictx, &hwpt->obj, SIM_OBJ_HWPT_NESTED);
    if (ret) {
        sim_iotlb_free(hwpt->iotlb);
        sim_psc_free(hwpt->psc);
        sim_mock_domain_free(hwpt);
        free(hwpt);
        return ret;
    }
    parent->obj.users++;
    *out = hwpt;
    return 0;
}

int sim_hwpt_check_nested_attach(const struct sim_hwpt *hwpt)
{
    const struct iommu_hwpt_vtd_s1 *s1 = &hwpt->s1;

    switch (s1->addr_width) {
    case 48:
        break;
    case 57:
        if (!(sim_config.vtd_cap & VTD_CAP_FS5LP)) {
            return -EINVAL;
        }
        break;
    default:
        return -EINVAL;
    }
    if ((s1->flags & IOMMU_VTD_S1_SRE) &&
        !(sim_config.vtd_ecap & VTD_ECAP_SRS)) {
        return -EINVAL;
    }
    if ((s1->flags & IOMMU_VTD_S1_EAFE) &&
        !(sim_config.vtd_ecap & VTD_ECAP_EAFS)) {
        return -EINVAL;
    }
    return 0;
}

int sim_hwpt_alloc_ioctl(struct sim_ucmd *u)
{
    struct iommu_hwpt_alloc *cmd = u->cmd;
    struct sim_hwpt *hwpt = NULL;
    struct sim_obj *dev, *pt;
    int ret;

    sim_log_u64(u->log, "flags", cmd->flags);
    sim_log_u64(u->log, "dev_id", cmd->dev_id);
    sim_log_u64(u->log, "pt_id", cmd->pt_id);
    sim_log_u64(u->log, "data_type", cmd->data_type);
    sim_log_u64(u->log, "data_len", cmd->data_len);
    /* iommufd_hwpt_alloc() checks __reserved, never __reserved2. */
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    if ((cmd->data_type == IOMMU_HWPT_DATA_NONE) != !cmd->data_len) {
        return -EINVAL;
    }
    dev = sim_obj_find(u->ictx, cmd->dev_id, SIM_OBJ_DEVICE);
    if (!dev) {
        return -ENOENT;
    }
    /* iommufd_hwpt_alloc(): an unknown pt_id is EINVAL, not ENOENT. */
    pt = sim_obj_find(u->ictx, cmd->pt_id, SIM_OBJ_ANY);
    if (!pt) {
        return -EINVAL;
    }
    if (pt->type == SIM_OBJ_IOAS) {
        /* Driver data describes a user-managed table: not for paging. */
        if (cmd->data_type != IOMMU_HWPT_DATA_NONE) {
            return -EOPNOTSUPP;
        }
        ret = sim_hwpt_paging_new(to_idev(dev), to_ioas(pt), cmd->flags,
                                  false, &hwpt);
    } else if (pt->type == SIM_OBJ_HWPT_PAGING) {
        ret = nested_new(u, to_idev(dev), to_hwpt(pt), cmd, &hwpt);
    } else {
        return -EINVAL;
    }
    if (ret) {
        return ret;
    }
    /* There are no fault queue objects, so no fault_id can be valid. */
    if (cmd->flags & IOMMU_HWPT_FAULT_ID_VALID) {
        sim_obj_remove(u->ictx, &hwpt->obj);
        return -ENOENT;
    }
    cmd->out_hwpt_id = hwpt->obj.id;
    u->respond = true;
    sim_log_u64(u->log, "id", hwpt->obj.id);
    return 0;
}

void sim_hwpt_free(struct sim_hwpt *hwpt)
{
    sim_mock_domain_free(hwpt);
    if (hwpt->obj.type == SIM_OBJ_HWPT_NESTED) {
        hwpt->parent->obj.users--;
        sim_iotlb_free(hwpt->iotlb);
        sim_psc_free(hwpt->psc);
    } else {
        sim_ioas_remove_domain(hwpt->ioas, &hwpt->geo);
        hwpt->ioas->obj.users--;
    }
    free(hwpt);
}

void sim_hwpt_put(struct sim_hwpt *hwpt)
{
    hwpt->obj.users--;
    if (hwpt->auto_domain && hwpt->obj.users == 1) {
        sim_obj_remove(hwpt->ictx, &hwpt->obj);
    }
}

void sim_hwpt_flush_domain(struct sim_hwpt *hwpt)
{
    /*
     * A nested PASID entry goes with a domain-selective IOTLB flush of its
     * domain id (DMA_TLB_DSI_FLUSH), which takes the nested translations
     * and their paging-structure entries of every PASID tagged with it.
     * A nested HWPT has one domain id on the IOMMU wherever it is
     * attached, so everything it cached goes, even if it still
     * translates for another RID or PASID.  Paging HWPTs cache nothing
     * here, and the mock driver's nested domains flush nothing.
     */
    if (hwpt->obj.type != SIM_OBJ_HWPT_NESTED || hwpt->mock) {
        return;
    }
    sim_iotlb_invalidate(hwpt->iotlb, 0, UINT64_MAX);
    if (hwpt->psc) {
        sim_psc_invalidate(hwpt->psc, 0, UINT64_MAX, false);
    }
}

static int invalidate_vtd_s1(struct sim_hwpt *hwpt,
                             const struct iommu_hwpt_invalidate *cmd,
                             uint32_t *done)
{
    const char *base = (const char *)(uintptr_t)cmd->data_uptr;
    size_t min_len = offsetof(struct iommu_hwpt_vtd_s1_invalidate, __reserved)
                     + sizeof(uint32_t);

    *done = 0;
    if (cmd->data_type != IOMMU_HWPT_INVALIDATE_DATA_VTD_S1) {
        return -EINVAL;
    }
    for (uint32_t i = 0; i < cmd->entry_num; i++) {
        struct iommu_hwpt_vtd_s1_invalidate inv;
        int ret;

        /* intel_nested_cache_invalidate_user() */
        ret = sim_copy_user_data(&inv, sizeof(inv), min_len,
                               base + (size_t)i * cmd->entry_len,
                               cmd->entry_len);
        if (ret) {
            return ret;
        }
        if ((inv.flags & ~IOMMU_VTD_INV_FLAGS_LEAF) || inv.__reserved) {
            return -EOPNOTSUPP;
        }
        if ((inv.addr & 0xfff) || (inv.npages == UINT64_MAX && inv.addr)) {
            return -EINVAL;
        }
        /*
         * IOMMU_VTD_INV_FLAGS_LEAF is the descriptor's invalidation hint:
         * it may spare paging-structure entries (psc.c), never the IOTLB
         * entries in the range.
         */
        if (inv.npages) {
            sim_iotlb_invalidate(hwpt->iotlb, inv.addr, inv.npages);
            if (hwpt->psc) {
                sim_psc_invalidate(hwpt->psc, inv.addr, inv.npages,
                                   inv.flags & IOMMU_VTD_INV_FLAGS_LEAF);
            }
        }
        (*done)++;
    }
    return 0;
}

int sim_hwpt_invalidate_ioctl(struct sim_ucmd *u)
{
    struct iommu_hwpt_invalidate *cmd = u->cmd;
    uint32_t done = 0;
    struct sim_obj *obj;
    int ret;

    sim_log_u64(u->log, "hwpt_id", cmd->hwpt_id);
    sim_log_u64(u->log, "data_type", cmd->data_type);
    sim_log_u64(u->log, "entry_len", cmd->entry_len);
    sim_log_u64(u->log, "entry_num", cmd->entry_num);
    /*
     * iommufd_hwpt_invalidate(): entry_len and entry_num are bounded so one
     * call cannot pin the CPU.  Linux 6.12 looks the id up as a nested HWPT
     * only (ENOENT for anything else); kernels with vIOMMU objects (6.13)
     * look up any object and refuse other types with EINVAL.
     */
    if (cmd->__reserved) {
        ret = -EOPNOTSUPP;
    } else if (cmd->entry_num &&
               (!cmd->data_uptr || !cmd->entry_len ||
                cmd->entry_len > SIM_PAGE_SIZE ||
                cmd->entry_num > SIM_INVALIDATE_ENTRY_NUM_MAX)) {
        ret = -EINVAL;
    } else if (!(obj = sim_obj_find(u->ictx, cmd->hwpt_id, SIM_OBJ_ANY)) ||
               (obj->type != SIM_OBJ_HWPT_NESTED &&
                !sim_config.profile->viommu)) {
        ret = -ENOENT;
    } else if (obj->type != SIM_OBJ_HWPT_NESTED) {
        ret = -EINVAL;
    } else {
        ret = to_hwpt(obj)->mock ?
              sim_mock_invalidate(to_hwpt(obj), cmd, &done) :
              invalidate_vtd_s1(to_hwpt(obj), cmd, &done);
    }
    /* entry_num always reports how many entries were handled. */
    cmd->entry_num = done;
    u->respond = true;
    sim_log_u64(u->log, "done_num", done);
    return ret;
}

static struct sim_hwpt *find_paging(struct sim_ucmd *u, uint32_t id)
{
    struct sim_obj *obj = sim_obj_find(u->ictx, id, SIM_OBJ_HWPT_PAGING);

    return obj ? to_hwpt(obj) : NULL;
}

int sim_hwpt_set_dirty_tracking_ioctl(struct sim_ucmd *u)
{
    struct iommu_hwpt_set_dirty_tracking *cmd = u->cmd;
    struct sim_hwpt *hwpt;

    sim_log_u64(u->log, "hwpt_id", cmd->hwpt_id);
    sim_log_u64(u->log, "flags", cmd->flags);
    /* iommufd_hwpt_set_dirty_tracking() never looks at __reserved. */
    if (cmd->flags & ~IOMMU_HWPT_DIRTY_TRACKING_ENABLE) {
        return -EOPNOTSUPP;
    }
    hwpt = find_paging(u, cmd->hwpt_id);
    if (!hwpt) {
        return -ENOENT;
    }
    /* iopt_set_dirty_tracking(): a domain without dirty ops. */
    if (!(hwpt->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING)) {
        return -EOPNOTSUPP;
    }
    hwpt->dirty_tracking = cmd->flags & IOMMU_HWPT_DIRTY_TRACKING_ENABLE;
    if (hwpt->mock) {
        sim_mock_set_dirty_tracking(hwpt, hwpt->dirty_tracking);
    }
    return 0;
}

/* DMA does not record dirty pages: a VT-d domain reports none. */
int sim_hwpt_get_dirty_bitmap_ioctl(struct sim_ucmd *u)
{
    struct iommu_hwpt_get_dirty_bitmap *cmd = u->cmd;
    struct sim_hwpt *hwpt;
    uint64_t align;

    sim_log_u64(u->log, "hwpt_id", cmd->hwpt_id);
    sim_log_u64(u->log, "iova", cmd->iova);
    sim_log_u64(u->log, "length", cmd->length);
    if ((cmd->flags & ~IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) ||
        cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    hwpt = find_paging(u, cmd->hwpt_id);
    if (!hwpt) {
        return -ENOENT;
    }
    /*
     * iommufd_check_iova_range(): a zero length is EINVAL (Linux 6.12.y
     * took "iommufd: Reject a zero-length dirty bitmap request"), the
     * range must not wrap, and both ends must be aligned to the IOAS and
     * to page_size.
     */
    if (!cmd->length) {
        return -EINVAL;
    }
    if (cmd->iova + (cmd->length - 1) < cmd->iova) {
        return -EOVERFLOW;
    }
    align = sim_ioas_iova_alignment(hwpt->ioas);
    if (((cmd->iova | (cmd->iova + cmd->length)) & (align - 1)) ||
        !cmd->page_size || (cmd->iova & (cmd->page_size - 1)) ||
        ((cmd->iova + cmd->length) & (cmd->page_size - 1))) {
        return -EINVAL;
    }
    if (!(hwpt->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING)) {
        return -EOPNOTSUPP;
    }
    if (!cmd->data) {
        return -EFAULT;
    }
    /*
     * The kernel only sets bits (iova_bitmap): a VT-d domain here never
     * sees a DMA write, so nothing is set; a mock domain has the bits the
     * test marked.
     */
    return hwpt->mock ? sim_mock_read_dirty(hwpt, cmd) : 0;
}

/* The Intel driver has no vIOMMU objects. */
int sim_viommu_alloc_ioctl(struct sim_ucmd *u)
{
    struct iommu_viommu_alloc *cmd = u->cmd;

    sim_log_u64(u->log, "dev_id", cmd->dev_id);
    sim_log_u64(u->log, "hwpt_id", cmd->hwpt_id);
    if (cmd->flags || cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    if (!sim_obj_find(u->ictx, cmd->dev_id, SIM_OBJ_DEVICE) ||
        !sim_obj_find(u->ictx, cmd->hwpt_id, SIM_OBJ_HWPT_PAGING)) {
        return -ENOENT;
    }
    return -EOPNOTSUPP;
}
