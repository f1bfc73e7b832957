/*
 * iommufd-sim: the PASID attachments of one device
 *
 * Linear probing, at most half full, with backward-shift deletion so that
 * no tombstones accumulate as PASIDs come and go.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "pasid_table.h"

#define PASID_TABLE_MIN_CAPACITY 16u

/*
 * Fibonacci hashing: the top bits of the product spread consecutive
 * PASIDs (the usual case) as well as ones that differ only high up.
 */
static unsigned home_slot(const struct sim_pasid_table *t, uint32_t pasid)
{
    return (uint32_t)(pasid * 2654435769u) >>
           (32 - __builtin_ctz(t->capacity));
}

struct sim_attach *sim_pasid_table_find(const struct sim_pasid_table *t,
                                        uint32_t pasid)
{
    unsigned mask = t->capacity - 1;

    if (!t->count) {
        return NULL;
    }
    for (unsigned i = home_slot(t, pasid);; i = (i + 1) & mask) {
        if (!t->slots[i].hwpt) {
            return NULL;
        }
        if (t->slots[i].pasid == pasid) {
            return &t->slots[i];
        }
    }
}

static void insert(struct sim_pasid_table *t, uint32_t pasid,
                   struct sim_hwpt *hwpt)
{
    unsigned mask = t->capacity - 1, i = home_slot(t, pasid);

    while (t->slots[i].hwpt) {
        i = (i + 1) & mask;
    }
    t->slots[i] = (struct sim_attach) { pasid, hwpt };
    t->count++;
}

static int grow(struct sim_pasid_table *t)
{
    struct sim_pasid_table bigger = {
        .capacity = t->capacity ? t->capacity * 2 : PASID_TABLE_MIN_CAPACITY,
    };

    bigger.slots = calloc(bigger.capacity, sizeof(*bigger.slots));
    if (!bigger.slots) {
        return -ENOMEM;
    }
    for (unsigned i = 0; i < t->capacity; i++) {
        if (t->slots[i].hwpt) {
            insert(&bigger, t->slots[i].pasid, t->slots[i].hwpt);
        }
    }
    free(t->slots);
    *t = bigger;
    return 0;
}

int sim_pasid_table_add(struct sim_pasid_table *t, uint32_t pasid,
                        struct sim_hwpt *hwpt)
{
    if (2 * (t->count + 1) > t->capacity) {
        int ret = grow(t);

        if (ret) {
            return ret;
        }
    }
    insert(t, pasid, hwpt);
    return 0;
}

/* Whether slot @k lies cyclically in (@from, @to]. */
static bool cyclic_between(unsigned from, unsigned k, unsigned to)
{
    return from <= to ? from < k && k <= to : from < k || k <= to;
}

void sim_pasid_table_remove(struct sim_pasid_table *t, struct sim_attach *a)
{
    unsigned mask = t->capacity - 1, hole = a - t->slots, j = hole;

    /*
     * Move back every later entry of the probe run that could not be
     * found past the hole, so that lookups never stop at it.
     */
    for (;;) {
        j = (j + 1) & mask;
        if (!t->slots[j].hwpt) {
            break;
        }
        if (!cyclic_between(hole, home_slot(t, t->slots[j].pasid), j)) {
            t->slots[hole] = t->slots[j];
            hole = j;
        }
    }
    t->slots[hole].hwpt = NULL;
    t->count--;
}

struct sim_attach *sim_pasid_table_next(const struct sim_pasid_table *t,
                                        unsigned *pos)
{
    while (*pos < t->capacity) {
        struct sim_attach *a = &t->slots[(*pos)++];

        if (a->hwpt) {
            return a;
        }
    }
    return NULL;
}

void sim_pasid_table_destroy(struct sim_pasid_table *t)
{
    free(t->slots);
    *t = (struct sim_pasid_table) { 0 };
}
