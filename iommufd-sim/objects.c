/*
 * iommufd-sim: the objects of an iommufd context
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>

#include "hwpt.h"
#include "ioas.h"
#include "log.h"
#include "mock_iommu.h"
#include "objects.h"

static struct sim_ictx *live_contexts;
static uint64_t last_ictx_serial;

struct sim_ictx *sim_ictx_new(void)
{
    struct sim_ictx *ictx = calloc(1, sizeof(*ictx));

    if (!ictx) {
        return NULL;
    }
    ictx->serial = ++last_ictx_serial;
    sim_id_table_init(&ictx->objects);
    ictx->refs = 1;
    ictx->next = live_contexts;
    live_contexts = ictx;
    return ictx;
}

void sim_ictx_get(struct sim_ictx *ictx)
{
    ictx->refs++;
}

static void count_object(struct sim_obj *obj, struct sim_obj_counts *c)
{
    switch (obj->type) {
    case SIM_OBJ_IOAS:
        c->ioas++;
        break;
    case SIM_OBJ_HWPT_PAGING:
        c->hwpt_paging++;
        break;
    case SIM_OBJ_HWPT_NESTED:
        c->hwpt_nested++;
        break;
    case SIM_OBJ_DEVICE:
        c->devices++;
        c->attached += (to_idev(obj)->rid_hwpt != NULL) +
                       to_idev(obj)->pasids.count;
        break;
    case SIM_OBJ_SELFTEST:
    case SIM_OBJ_ACCESS:
    case SIM_OBJ_ANY:
        break;
    }
}

static void count_context(struct sim_ictx *ictx, struct sim_obj_counts *c)
{
    for (uint32_t id = 1; id < ictx->objects.next; id++) {
        struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);

        if (obj) {
            count_object(obj, c);
        }
    }
}

/*
 * Like the kernel's release of the file: destroy whatever has no other
 * user, again and again, so children go before the objects they hold.
 * Devices cannot be left: each bound device holds a context reference.
 */
static void release_objects(struct sim_ictx *ictx)
{
    bool progress = true;

    while (ictx->objects.count && progress) {
        progress = false;
        for (uint32_t id = 1; id < ictx->objects.next; id++) {
            struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);

            if (obj && obj->users == 1) {
                sim_obj_remove(ictx, obj);
                progress = true;
            }
        }
    }
}

void sim_ictx_put(struct sim_ictx *ictx)
{
    struct sim_obj_counts c = { 0 };
    struct sim_log_rec rec;
    struct sim_ictx **p;

    if (--ictx->refs) {
        return;
    }
    count_context(ictx, &c);
    release_objects(ictx);
    sim_log_begin(&rec, "IOMMUFD_RELEASE");
    sim_log_u64(&rec, "ctx", ictx->serial);
    sim_log_u64(&rec, "freed", c.ioas + c.hwpt_paging + c.hwpt_nested);
    sim_log_u64(&rec, "ioas", c.ioas);
    sim_log_u64(&rec, "hwpt_paging", c.hwpt_paging);
    sim_log_u64(&rec, "hwpt_nested", c.hwpt_nested);
    sim_log_u64(&rec, "leftover", ictx->objects.count);
    sim_log_emit(&rec);
    for (p = &live_contexts; *p != ictx; p = &(*p)->next) {
        continue;
    }
    *p = ictx->next;
    sim_id_table_destroy(&ictx->objects);
    free(ictx);
}

struct sim_hwpt *sim_ictx_nest_parent(struct sim_ictx *ictx)
{
    for (uint32_t id = 1; id < ictx->objects.next; id++) {
        struct sim_obj *obj = sim_obj_find(ictx, id, SIM_OBJ_HWPT_PAGING);

        if (obj && (to_hwpt(obj)->flags & IOMMU_HWPT_ALLOC_NEST_PARENT)) {
            return to_hwpt(obj);
        }
    }
    return NULL;
}

int sim_obj_add(struct sim_ictx *ictx, struct sim_obj *obj,
                enum sim_obj_type type)
{
    obj->type = type;
    obj->users = 1;
    return sim_id_alloc(&ictx->objects, obj, &obj->id);
}

struct sim_obj *sim_obj_find(struct sim_ictx *ictx, uint32_t id,
                             enum sim_obj_type type)
{
    struct sim_obj *obj = sim_id_lookup(&ictx->objects, id);

    if (!obj || (type != SIM_OBJ_ANY && obj->type != type)) {
        return NULL;
    }
    return obj;
}

void sim_obj_remove(struct sim_ictx *ictx, struct sim_obj *obj)
{
    sim_id_free(&ictx->objects, obj->id);
    switch (obj->type) {
    case SIM_OBJ_IOAS:
        /* iommufd_destroy(): the compat IOAS is forgotten with it. */
        if (ictx->vfio_ioas == to_ioas(obj)) {
            ictx->vfio_ioas = NULL;
        }
        sim_ioas_free(to_ioas(obj));
        break;
    case SIM_OBJ_HWPT_PAGING:
    case SIM_OBJ_HWPT_NESTED:
        sim_hwpt_free(to_hwpt(obj));
        break;
    case SIM_OBJ_DEVICE:
        sim_pasid_table_destroy(&to_idev(obj)->pasids);
        free(obj);
        break;
    case SIM_OBJ_SELFTEST:
        sim_mock_selftest_free(obj);
        break;
    case SIM_OBJ_ACCESS:
        free(obj);
        break;
    case SIM_OBJ_ANY:
        break;
    }
}

int sim_obj_destroy_user(struct sim_ictx *ictx, uint32_t id)
{
    struct sim_obj *obj = sim_obj_find(ictx, id, SIM_OBJ_ANY);

    if (!obj) {
        return -ENOENT;
    }
    if (obj->users != 1) {
        return -EBUSY;
    }
    sim_obj_remove(ictx, obj);
    return 0;
}

struct sim_ictx *sim_ictx_all(void)
{
    return live_contexts;
}

void sim_objects_count_all(struct sim_obj_counts *c)
{
    for (struct sim_ictx *ictx = live_contexts; ictx; ictx = ictx->next) {
        count_context(ictx, c);
    }
}
