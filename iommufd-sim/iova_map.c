/*
 * iommufd-sim: the mappings of one IOAS
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "iova_map.h"

void sim_iova_map_init(struct sim_iova_map *m)
{
    *m = (struct sim_iova_map) { 0 };
}

void sim_iova_map_destroy(struct sim_iova_map *m)
{
    free(m->areas);
    sim_iova_map_init(m);
}

size_t sim_iova_map_lower_bound(const struct sim_iova_map *m, uint64_t addr)
{
    size_t lo = 0, hi = m->num;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (m->areas[mid].last < addr) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

struct sim_area *sim_iova_map_find(const struct sim_iova_map *m, uint64_t addr)
{
    return sim_iova_map_first_in(m, addr, addr);
}

struct sim_area *sim_iova_map_first_in(const struct sim_iova_map *m,
                                       uint64_t first, uint64_t last)
{
    size_t i = sim_iova_map_lower_bound(m, first);

    if (i < m->num && m->areas[i].iova <= last) {
        return &m->areas[i];
    }
    return NULL;
}

int sim_iova_map_insert(struct sim_iova_map *m, const struct sim_area *area)
{
    size_t i;

    if (m->num == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        struct sim_area *a = realloc(m->areas, cap * sizeof(*a));

        if (!a) {
            return -ENOMEM;
        }
        m->areas = a;
        m->cap = cap;
    }
    i = sim_iova_map_lower_bound(m, area->iova);
    memmove(&m->areas[i + 1], &m->areas[i], (m->num - i) * sizeof(*area));
    m->areas[i] = *area;
    m->num++;
    return 0;
}

void sim_iova_map_remove(struct sim_iova_map *m, size_t i)
{
    memmove(&m->areas[i], &m->areas[i + 1],
            (m->num - i - 1) * sizeof(m->areas[0]));
    m->num--;
}
