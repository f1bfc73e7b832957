/*
 * iommufd-sim: the PASID attachments of one device
 *
 * The kernel keeps a device's PASID domains in an xarray indexed by PASID
 * (the group's pasid_array, iommu_attach_device_pasid()), so a lookup
 * does not grow with the number of attached PASIDs.  A device here can
 * hold up to 2^20 of them, and every DMA with a PASID and every attach
 * looks one up: an open-addressing hash table keeps that O(1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_PASID_TABLE_H
#define IOMMUFD_SIM_PASID_TABLE_H

#include <stdint.h>

struct sim_hwpt;

struct sim_attach {
    uint32_t pasid;
    struct sim_hwpt *hwpt;      /* NULL: a free slot */
};

struct sim_pasid_table {
    struct sim_attach *slots;
    unsigned capacity;          /* 0 or a power of two */
    unsigned count;
};

struct sim_attach *sim_pasid_table_find(const struct sim_pasid_table *t,
                                        uint32_t pasid);
/* Adds @pasid, which is not in @t: 0 or -ENOMEM. */
int sim_pasid_table_add(struct sim_pasid_table *t, uint32_t pasid,
                        struct sim_hwpt *hwpt);
/* Removes @a, a pointer sim_pasid_table_find() or _any() returned. */
void sim_pasid_table_remove(struct sim_pasid_table *t, struct sim_attach *a);
/*
 * Iteration: the first attachment at or after slot *@pos, or NULL; *@pos
 * moves past it.  Start with *@pos = 0; do not add or remove meanwhile.
 */
struct sim_attach *sim_pasid_table_next(const struct sim_pasid_table *t,
                                        unsigned *pos);
/* Forgets every attachment (the caller drops their references). */
void sim_pasid_table_destroy(struct sim_pasid_table *t);

#endif /* IOMMUFD_SIM_PASID_TABLE_H */
