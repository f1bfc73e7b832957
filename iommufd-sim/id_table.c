/*
 * iommufd-sim: object id allocator of one iommufd context
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>

#include "id_table.h"

#define SIM_ID_MAX 0x7fffffffu

void sim_id_table_init(struct sim_id_table *t)
{
    *t = (struct sim_id_table) { .next = 1 };
}

void sim_id_table_destroy(struct sim_id_table *t)
{
    free(t->slots);
    free(t->free_heap);
    sim_id_table_init(t);
}

static uint32_t heap_pop(struct sim_id_table *t)
{
    uint32_t *h = t->free_heap, top = h[0], i = 0;

    h[0] = h[--t->num_free];
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i, tmp;

        if (l < t->num_free && h[l] < h[m]) {
            m = l;
        }
        if (r < t->num_free && h[r] < h[m]) {
            m = r;
        }
        if (m == i) {
            return top;
        }
        tmp = h[i], h[i] = h[m], h[m] = tmp;
        i = m;
    }
}

static int heap_push(struct sim_id_table *t, uint32_t id)
{
    uint32_t i;

    if (t->num_free == t->free_cap) {
        uint32_t cap = t->free_cap ? t->free_cap * 2 : 16;
        uint32_t *h = realloc(t->free_heap, cap * sizeof(*h));

        if (!h) {
            return -ENOMEM;
        }
        t->free_heap = h;
        t->free_cap = cap;
    }
    for (i = t->num_free++; i > 0 && t->free_heap[(i - 1) / 2] > id;
         i = (i - 1) / 2) {
        t->free_heap[i] = t->free_heap[(i - 1) / 2];
    }
    t->free_heap[i] = id;
    return 0;
}

int sim_id_alloc(struct sim_id_table *t, void *obj, uint32_t *id)
{
    uint32_t new_id;

    if (t->num_free) {
        new_id = heap_pop(t);
    } else {
        if (t->next > SIM_ID_MAX) {
            return -ENOSPC;
        }
        if (t->next >= t->num_slots) {
            uint32_t n = t->num_slots ? t->num_slots * 2 : 64;
            void **s = realloc(t->slots, n * sizeof(*s));

            if (!s) {
                return -ENOMEM;
            }
            for (uint32_t i = t->num_slots; i < n; i++) {
                s[i] = NULL;
            }
            t->slots = s;
            t->num_slots = n;
        }
        new_id = t->next++;
    }
    t->slots[new_id] = obj;
    t->count++;
    *id = new_id;
    return 0;
}

void *sim_id_lookup(const struct sim_id_table *t, uint32_t id)
{
    return id && id < t->next ? t->slots[id] : NULL;
}

void sim_id_free(struct sim_id_table *t, uint32_t id)
{
    t->slots[id] = NULL;
    t->count--;
    /*
     * If the heap cannot grow the id is simply never reused: harmless,
     * and the kernel's own allocator may fail in similar ways.
     */
    heap_push(t, id);
}
