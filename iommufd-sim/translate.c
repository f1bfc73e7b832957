/*
 * iommufd-sim: DMA address translation through a HWPT
 *
 * A paging HWPT translates IOVA to process memory through its IOAS.  A
 * nested VTD_S1 HWPT first translates IOVA to a guest-physical address,
 * from its IOTLB or by walking the guest's first-stage table (read through
 * the parent's IOAS, so a table outside guest RAM faults as stage 2 would)
 * from the deepest paging-structure cache entry for the IOVA if there is
 * one, then translates that through the parent's IOAS.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "config.h"
#include "iotlb.h"
#include "psc.h"
#include "translate.h"
#include "vtd_pasid_entry.h"
#include "vtd_regs.h"

/* Stage-2 accesses of the first-stage walk; @opaque is the nest parent. */
static int s2_read64(void *opaque, uint64_t gpa, uint64_t *val)
{
    struct sim_hwpt *parent = opaque;
    struct sim_host_range r;
    enum sim_fault f = sim_ioas_translate(parent->ioas, &parent->geo, gpa,
                                          false, &r);

    if (f) {
        return f;
    }
    if (r.len < sizeof(*val) || !sim_host_read(&r, val, sizeof(*val))) {
        return SIM_FAULT_S2_MISS;
    }
    return 0;
}

static int s2_write64(void *opaque, uint64_t gpa, uint64_t val)
{
    struct sim_hwpt *parent = opaque;
    struct sim_host_range r;
    enum sim_fault f = sim_ioas_translate(parent->ioas, &parent->geo, gpa,
                                          true, &r);

    if (f) {
        return f;
    }
    if (r.len < sizeof(val) || !sim_host_write(&r, &val, sizeof(val))) {
        return SIM_FAULT_S2_MISS;
    }
    return 0;
}

static enum sim_fault stage1(struct sim_hwpt *hwpt, uint64_t iova, bool write,
                             bool supervisor, uint64_t *gpa,
                             uint64_t *page_size)
{
    struct sim_vtd_fs_entry pe;
    struct sim_fs_walk_req req;
    struct sim_fs_walk_result res;
    struct sim_fs_pse cached;
    bool rw, user;

    /*
     * The walk follows the PASID entry the kernel wrote, not the HWPT's
     * data: an entry hardware cannot use faults every request, and
     * caches nothing.
     */
    sim_vtd_nested_fs_entry(&hwpt->s1, sim_config.vtd_cap,
                            sim_config.vtd_ecap, &pe);
    if (!pe.valid) {
        return SIM_FAULT_PASID_ENTRY;
    }
    req = (struct sim_fs_walk_req) {
        .pgtbl_addr = pe.fsptptr,
        .addr_width = pe.addr_width,
        .vtd_flags = pe.vtd_flags,
        .iova = iova,
        .write = write,
        .supervisor = supervisor,
        .fs1gp = sim_config.vtd_cap & VTD_CAP_FS1GP,
    };
    /*
     * A hit is checked against the rights cached with it, for this
     * request (VT-d 6.2.3): a cached read-only or supervisor translation
     * faults a write or a user request, as hardware does; SRE comes from
     * the PASID entry, before any cache.
     */
    if (supervisor && !(pe.vtd_flags & IOMMU_VTD_S1_SRE)) {
        return SIM_FAULT_FS_PRIV;
    }
    if (sim_iotlb_lookup(hwpt->iotlb, iova, gpa, page_size, &rw, &user)) {
        return sim_fs_access_fault(&req, rw, user);
    }
    if (hwpt->psc && sim_psc_lookup(hwpt->psc, iova, &cached)) {
        req.start = &cached;
    }
    if (sim_fs_walk(&req, s2_read64, s2_write64, hwpt->parent, &res)) {
        return res.fault;
    }
    sim_iotlb_insert(hwpt->iotlb, iova, res.gpa, res.page_size, res.rw,
                     res.user);
    for (unsigned i = 0; hwpt->psc && i < res.num_pses; i++) {
        sim_psc_insert(hwpt->psc, iova, &res.pses[i]);
    }
    *gpa = res.gpa;
    *page_size = res.page_size;
    return SIM_FAULT_NONE;
}

enum sim_fault sim_translate(struct sim_hwpt *hwpt, uint64_t iova, bool write,
                             bool supervisor, struct sim_host_range *out)
{
    uint64_t gpa, page_size, in_page;
    enum sim_fault f;

    if (!hwpt) {
        return SIM_FAULT_BLOCKED;
    }
    if (hwpt->obj.type == SIM_OBJ_HWPT_PAGING) {
        return sim_ioas_translate(hwpt->ioas, &hwpt->geo, iova, write, out);
    }
    f = stage1(hwpt, iova, write, supervisor, &gpa, &page_size);
    if (f) {
        return f;
    }
    f = sim_ioas_translate(hwpt->ioas, &hwpt->parent->geo, gpa, write, out);
    if (f) {
        return f;
    }
    in_page = page_size - (iova & (page_size - 1));
    if (out->len > in_page) {
        out->len = in_page;
    }
    return SIM_FAULT_NONE;
}
