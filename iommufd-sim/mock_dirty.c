/*
 * iommufd-sim: dirty bits of the selftest's mock IOMMU driver
 *
 * The mock driver keeps a dirty bit in each 2 KiB entry of its page table,
 * set only by IOMMU_TEST_OP_DIRTY, read and cleared through
 * IOMMU_HWPT_GET_DIRTY_BITMAP.  An entry exists while its IOVA is mapped;
 * the simulator keeps the dirty bits in a bitmap over the mock aperture
 * and drops them when their IOVA is unmapped, as xa_erase() drops the
 * entry.  Functions mirror drivers/iommu/iommufd/selftest.c (Linux 6.12).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ioas.h"
#include "mock_iommu.h"

/* Entries below 2^31: the end of the mock aperture. */
#define MOCK_ENTRIES ((1ULL << 31) / SIM_MOCK_IO_PAGE_SIZE)
#define BITS 64

/* Whether the mock page table has an entry at index (xa_load()). */
static bool has_entry(const struct sim_hwpt *hwpt, uint64_t index)
{
    return index < MOCK_ENTRIES &&
           sim_iova_map_find(&hwpt->ioas->map, index * SIM_MOCK_IO_PAGE_SIZE);
}

static bool test_dirty(const struct sim_mock_domain *mock, uint64_t index)
{
    return mock->dirty && (mock->dirty[index / BITS] >> (index % BITS)) & 1;
}

static void clear_dirty(struct sim_mock_domain *mock, uint64_t index)
{
    if (mock->dirty) {
        mock->dirty[index / BITS] &= ~(1ULL << (index % BITS));
    }
}

static int set_dirty(struct sim_mock_domain *mock, uint64_t index)
{
    if (!mock->dirty) {
        mock->dirty = calloc(MOCK_ENTRIES / BITS, sizeof(uint64_t));
        if (!mock->dirty) {
            return -ENOMEM;
        }
    }
    mock->dirty[index / BITS] |= 1ULL << (index % BITS);
    return 0;
}

/*
 * iommufd_test_dirty(): marks the entries the caller's bitmap names.  The
 * kernel looks each one up at iova / page_size, not iova / 2 KiB; so does
 * the simulator.
 */
int sim_mock_dirty_cmd(struct sim_ucmd *u, struct sim_test_cmd *cmd)
{
    uint64_t iova = cmd->dirty.iova, len = cmd->dirty.length;
    uint64_t page_size = cmd->dirty.page_size, max;
    const unsigned char *bits = (const void *)(uintptr_t)cmd->dirty.uptr;
    struct sim_obj *obj;
    struct sim_hwpt *hwpt;
    uint64_t count = 0;

    if (!page_size || !len || iova % page_size || len % page_size || !bits) {
        return -EINVAL;
    }
    max = len / page_size;
    if (max > (16ULL << 20) * 8) {
        return -EOVERFLOW;
    }
    obj = sim_obj_find(u->ictx, cmd->id, SIM_OBJ_HWPT_PAGING);
    if (!obj) {
        return -ENOENT;
    }
    hwpt = to_hwpt(obj);
    if (!hwpt->mock || !hwpt->mock_domain->dirty_tracking) {
        return -EINVAL;
    }
    for (uint64_t i = 0; i < max; i++) {
        uint64_t index = (iova + i * page_size) / page_size;

        if (!((bits[i / 8] >> (i % 8)) & 1) || !has_entry(hwpt, index)) {
            continue;
        }
        if (set_dirty(hwpt->mock_domain, index)) {
            return -ENOMEM;
        }
        count++;
    }
    cmd->dirty.out_nr_dirty = count;
    u->respond = true;
    return 0;
}

/*
 * iopt_set_dirty_tracking(): enabling starts from a clean snapshot
 * (iopt_clear_dirty_data()); mock_domain_set_dirty_tracking().
 */
void sim_mock_set_dirty_tracking(struct sim_hwpt *hwpt, bool enable)
{
    struct sim_mock_domain *mock = hwpt->mock_domain;

    if (enable && mock->dirty) {
        memset(mock->dirty, 0, MOCK_ENTRIES / BITS * sizeof(uint64_t));
    }
    mock->dirty_tracking = enable;
}

/* iommu_dirty_bitmap_record(): sets the bits of [iova, iova + len). */
static void record(const struct iommu_hwpt_get_dirty_bitmap *cmd,
                   uint64_t iova, uint64_t len)
{
    unsigned char *bits = (void *)(uintptr_t)cmd->data;
    uint64_t first = (iova - cmd->iova) / cmd->page_size;
    uint64_t last = (iova + len - 1 - cmd->iova) / cmd->page_size;

    for (uint64_t i = first; i <= last; i++) {
        bits[i / 8] |= 1u << (i % 8);
    }
}

/*
 * iommu_read_and_clear_dirty() over each area of the range, then
 * mock_domain_read_and_clear_dirty(): a dirty entry sets its 2 KiB in the
 * caller's bitmap and loses its dirty bit unless NO_CLEAR.
 */
int sim_mock_read_dirty(struct sim_hwpt *hwpt,
                        const struct iommu_hwpt_get_dirty_bitmap *cmd)
{
    struct sim_mock_domain *mock = hwpt->mock_domain;
    uint64_t last = cmd->iova + cmd->length - 1;
    const struct sim_area *a;

    if (!mock->dirty_tracking) {
        return -EINVAL;
    }
    for (a = sim_iova_map_first_in(&hwpt->ioas->map, cmd->iova, last); a;
         a = a->last < last ?
             sim_iova_map_first_in(&hwpt->ioas->map, a->last + 1, last) :
             NULL) {
        uint64_t first = a->iova > cmd->iova ? a->iova : cmd->iova;
        uint64_t end = a->last < last ? a->last : last;

        for (uint64_t iova = first; iova <= end;
             iova += SIM_MOCK_IO_PAGE_SIZE) {
            uint64_t index = iova / SIM_MOCK_IO_PAGE_SIZE;

            if (!test_dirty(mock, index)) {
                continue;
            }
            if (!(cmd->flags & IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR)) {
                clear_dirty(mock, index);
            }
            record(cmd, iova, SIM_MOCK_IO_PAGE_SIZE);
        }
        if (a->last == UINT64_MAX) {
            break;
        }
    }
    return 0;
}

/* xa_erase() of the unmapped entries: their dirty bits go with them. */
void sim_mock_unmapped(struct sim_ictx *ictx, const struct sim_ioas *ioas,
                       uint64_t first, uint64_t last)
{
    for (uint32_t id = 1; id < ictx->objects.next; id++) {
        struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);
        struct sim_hwpt *hwpt;

        if (!obj || obj->type != SIM_OBJ_HWPT_PAGING) {
            continue;
        }
        hwpt = to_hwpt(obj);
        if (!hwpt->mock || hwpt->ioas != ioas || !hwpt->mock_domain->dirty) {
            continue;
        }
        for (uint64_t iova = first & ~(SIM_MOCK_IO_PAGE_SIZE - 1);
             iova <= last && iova / SIM_MOCK_IO_PAGE_SIZE < MOCK_ENTRIES;
             iova += SIM_MOCK_IO_PAGE_SIZE) {
            clear_dirty(hwpt->mock_domain, iova / SIM_MOCK_IO_PAGE_SIZE);
        }
    }
}
