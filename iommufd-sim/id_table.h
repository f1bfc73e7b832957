/*
 * iommufd-sim: object id allocator of one iommufd context
 *
 * The kernel keeps objects in an allocating xarray starting at 1 and takes
 * the lowest free index (ids are reused, not cyclic), limited to 31 bits.
 * Lookup is O(1); allocation and free are O(log n) through a min-heap of
 * freed ids below the high-water mark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_ID_TABLE_H
#define IOMMUFD_SIM_ID_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct sim_id_table {
    void **slots;           /* slots[id], id 0 unused */
    uint32_t num_slots;
    uint32_t next;          /* lowest id never handed out */
    uint32_t *free_heap;    /* min-heap of freed ids < next */
    uint32_t num_free;
    uint32_t free_cap;
    size_t count;           /* ids in use */
};

void sim_id_table_init(struct sim_id_table *t);
void sim_id_table_destroy(struct sim_id_table *t);
/* 0 or -ENOMEM / -ENOSPC. */
int sim_id_alloc(struct sim_id_table *t, void *obj, uint32_t *id);
void *sim_id_lookup(const struct sim_id_table *t, uint32_t id);
void sim_id_free(struct sim_id_table *t, uint32_t id);

#endif /* IOMMUFD_SIM_ID_TABLE_H */
