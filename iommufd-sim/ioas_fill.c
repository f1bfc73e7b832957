/*
 * iommufd-sim: filling a new paging domain from an IOAS's areas
 *
 * The first domain of an IOAS makes the kernel pin every area's pages
 * (iopt_table_add_domain() -> iopt_fill_domain()); pages some domain or
 * access holds already are copied from there instead
 * (pfn_reader_fill_span()), so only the others must still be pinnable in
 * the process.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>

#include "ioas.h"
#include "ioas_fill.h"
#include "user_pin.h"

#define SIM_PAGE_SIZE 4096ULL

/* Up to how many iopt_pages ids a page can be pinned for in one IOAS. */
#define MAX_PAGE_PINS 64

/*
 * Whether the page at uaddr of the iopt_pages @pages_id is held already,
 * in a domain or by an access, by some IOAS (sim_ioas_page_pins()):
 * pfn_reader_fill_span() takes such pages from there, not from the
 * process.
 */
static bool page_held(uint64_t pages_id, uint64_t uaddr)
{
    for (struct sim_ictx *ictx = sim_ictx_all(); ictx; ictx = ictx->next) {
        for (uint32_t id = 1; id < ictx->objects.next; id++) {
            struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);
            uint64_t ids[MAX_PAGE_PINS];
            size_t n = 0;

            if (!obj || obj->type != SIM_OBJ_IOAS) {
                continue;
            }
            sim_ioas_page_pins(to_ioas(obj), uaddr, ids, &n, MAX_PAGE_PINS);
            for (size_t k = 0; k < n; k++) {
                if (ids[k] == pages_id) {
                    return true;
                }
            }
        }
    }
    return false;
}

/*
 * Whether any of @a's pages could be held elsewhere: an access on @ioas,
 * or another area sharing its iopt_pages (IOAS_COPY).
 */
static bool may_be_held(const struct sim_ioas *ioas, const struct sim_area *a)
{
    if (ioas->num_accesses) {
        return true;
    }
    for (struct sim_ictx *ictx = sim_ictx_all(); ictx; ictx = ictx->next) {
        for (uint32_t id = 1; id < ictx->objects.next; id++) {
            struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);
            const struct sim_iova_map *m;

            if (!obj || obj->type != SIM_OBJ_IOAS) {
                continue;
            }
            m = &to_ioas(obj)->map;
            for (size_t i = 0; i < m->num; i++) {
                if (&m->areas[i] != a && m->areas[i].pages_id == a->pages_id) {
                    return true;
                }
            }
        }
    }
    return false;
}

/*
 * The first domain of an IOAS pins each area's process pages
 * (iopt_area_fill_domain()), for writing if they were mapped writeable
 * (pfn_reader_user_init()), except those held already.  @a is not a file
 * area.
 */
static int pin_area(const struct sim_ioas *ioas, const struct sim_area *a,
                    const struct sim_user_maps *maps)
{
    uint64_t page = a->user_va & ~(SIM_PAGE_SIZE - 1);
    uint64_t end = a->user_va + (a->last - a->iova) + 1;

    if (!may_be_held(ioas, a)) {
        return sim_user_pin_check(maps, a->user_va, end - a->user_va,
                                  a->backing_writable);
    }
    while (page < end) {
        uint64_t run = page;
        int ret;

        while (run < end && !page_held(a->pages_id, run)) {
            run += SIM_PAGE_SIZE;
        }
        if (run > page) {
            ret = sim_user_pin_check(maps, page, run - page,
                                     a->backing_writable);
            if (ret) {
                return ret;
            }
        }
        page = run + SIM_PAGE_SIZE;
    }
    return 0;
}

int sim_ioas_fill_domain(const struct sim_ioas *ioas,
                         const struct sim_domain_geometry *geo)
{
    struct sim_user_maps *maps = NULL;
    int ret = 0;

    for (size_t i = 0; i < ioas->map.num; i++) {
        const struct sim_area *a = &ioas->map.areas[i];

        if (!ioas->num_domains && a->file_fd < 0) {
            if (!maps) {
                ret = sim_user_maps_read(&maps);
                if (ret) {
                    break;
                }
            }
            ret = pin_area(ioas, a, maps);
            if (ret) {
                break;
            }
        }
        if (geo->refuses_read_only && !(a->prot & IOMMU_IOAS_MAP_WRITEABLE)) {
            ret = -EINVAL;
            break;
        }
    }
    sim_user_maps_free(maps);
    return ret;
}

