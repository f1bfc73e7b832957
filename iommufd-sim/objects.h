/*
 * iommufd-sim: the objects of an iommufd context
 *
 * Mirrors the kernel's object model: every object has an id in its
 * context and a user count that starts at 1 for the id itself; each holder
 * (a HWPT on its IOAS, a nested HWPT on its parent, an attachment on its
 * HWPT, the binding driver on its device) adds one.  IOMMU_DESTROY only
 * succeeds while the count is 1, otherwise EBUSY.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_OBJECTS_H
#define IOMMUFD_SIM_OBJECTS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/iommufd.h>

#include "id_table.h"
#include "iova_map.h"
#include "pasid_table.h"

struct sim_iotlb;
struct sim_psc;
struct sim_ioas;
struct sim_mock_domain;
struct sim_access;

enum sim_obj_type {
    SIM_OBJ_ANY,
    SIM_OBJ_DEVICE,
    SIM_OBJ_IOAS,
    SIM_OBJ_HWPT_PAGING,
    SIM_OBJ_HWPT_NESTED,
    SIM_OBJ_SELFTEST,           /* IOMMU_TEST_CMD's mock device */
    SIM_OBJ_ACCESS,             /* IOMMU_TEST_CMD's access (access.h) */
};

struct sim_obj {
    enum sim_obj_type type;
    uint32_t id;
    unsigned users;
};

struct sim_ictx {
    /* Names the context in the log: ids are only unique within one. */
    uint64_t serial;
    struct sim_id_table objects;
    unsigned refs;              /* the open fd plus each bound device */
    bool account_mode_mm;       /* IOMMU_OPTION_RLIMIT_MODE */
    struct sim_ioas *vfio_ioas; /* IOMMU_VFIO_IOAS: the compat IOAS */
    struct sim_ictx *next;      /* all live contexts, for the exit report */
};

/* An IOVA range [first, last]. */
struct sim_iova_range {
    uint64_t first, last;
};

/* What a paging domain imposes on its IOAS (iommu_domain geometry). */
struct sim_domain_geometry {
    uint64_t aperture_first, aperture_last;
    uint64_t min_page;          /* smallest page size: the IOVA alignment */
    uint64_t pgsize_bitmap;     /* every page size it maps with */
    /* VT-d nest parent: read-only mappings fail, or map writeable */
    bool refuses_read_only;
    bool forces_writeable;
};

struct sim_ioas {
    struct sim_obj obj;
    struct sim_iova_map map;
    /* The geometry of each paging HWPT built on this IOAS. */
    struct sim_domain_geometry *domains;
    size_t num_domains;
    unsigned num_rid_attached;  /* devices whose RID uses this IOAS */
    bool huge_pages_disabled;   /* IOMMU_OPTION_HUGE_PAGES = 0 */
    /* IOMMU_TEST_OP_ADD_RESERVED ranges (iopt_reserve_iova() with no owner) */
    struct sim_iova_range *test_reserved;
    size_t num_test_reserved;
    /* IOMMU_IOAS_ALLOW_IOVAS ranges, ascending (none: no restriction) */
    struct sim_iova_range *allowed;
    size_t num_allowed;
    /* Access objects attached (iopt->access_list) */
    struct sim_access **accesses;
    size_t num_accesses;
};

struct sim_hwpt {
    struct sim_obj obj;         /* SIM_OBJ_HWPT_PAGING or _NESTED */
    struct sim_ictx *ictx;
    uint32_t flags;             /* IOMMU_HWPT_ALLOC_* */
    bool auto_domain;           /* made by attaching a device to an IOAS */
    bool pasid_compat;          /* allocated with IOMMU_HWPT_ALLOC_PASID */
    bool dirty_tracking;        /* IOMMU_HWPT_SET_DIRTY_TRACKING state */
    struct sim_ioas *ioas;      /* paging: own IOAS; nested: parent's */
    struct sim_domain_geometry geo; /* paging only */
    struct sim_hwpt *parent;    /* nested only */
    struct iommu_hwpt_vtd_s1 s1;    /* nested only */
    struct sim_iotlb *iotlb;    /* nested only */
    struct sim_psc *psc;        /* nested only; NULL if the cache is minimal */
    /* Built by the selftest's mock IOMMU driver (mock_iommu.c), not VT-d. */
    bool mock;
    struct sim_mock_domain *mock_domain;   /* mock paging and nested */
};

/* A device bound to a context: the device object of the kernel. */
struct sim_idev {
    struct sim_obj obj;
    struct sim_ictx *ictx;
    struct sim_hwpt *rid_hwpt;  /* attachment without PASID */
    struct sim_pasid_table pasids;  /* PASID attachments */
    unsigned max_pasid_log2;    /* 0: PASID unsupported or not enabled */
    bool pasid_exec;            /* PCI PASID control: Execute enabled */
    bool pasid_priv;            /* PCI PASID control: Privileged enabled */
    /* A mock device of IOMMU_TEST_CMD: the mock IOMMU driver's, no PCI. */
    bool mock;
    uint32_t mock_flags;        /* MOCK_FLAGS_DEVICE_* */
};

struct sim_obj_counts {
    unsigned long ioas, hwpt_paging, hwpt_nested, devices, attached;
};

struct sim_ictx *sim_ictx_new(void);
void sim_ictx_get(struct sim_ictx *ictx);
/* Drops a reference; the last one destroys every object left (kernel
 * release of the file).  Logged as IOMMUFD_RELEASE. */
void sim_ictx_put(struct sim_ictx *ictx);

/* Gives obj an id; 0 or -errno. */
int sim_obj_add(struct sim_ictx *ictx, struct sim_obj *obj,
                enum sim_obj_type type);
/* Looks up id; type SIM_OBJ_ANY matches every type.  NULL if absent. */
struct sim_obj *sim_obj_find(struct sim_ictx *ictx, uint32_t id,
                             enum sim_obj_type type);
/* Releases the id and frees the object (refs must be gone). */
void sim_obj_remove(struct sim_ictx *ictx, struct sim_obj *obj);
/* IOMMU_DESTROY of one object: -ENOENT, -EBUSY or 0. */
int sim_obj_destroy_user(struct sim_ictx *ictx, uint32_t id);

/*
 * The context's first nesting parent (IOMMU_HWPT_ALLOC_NEST_PARENT), or
 * NULL: what a test's witness reads guest-physical memory through.
 */
struct sim_hwpt *sim_ictx_nest_parent(struct sim_ictx *ictx);

/* Every live context, linked through ->next. */
struct sim_ictx *sim_ictx_all(void);

/* Adds the objects alive in every context to *c. */
void sim_objects_count_all(struct sim_obj_counts *c);

static inline struct sim_ioas *to_ioas(struct sim_obj *obj)
{
    return (struct sim_ioas *)obj;
}

static inline struct sim_hwpt *to_hwpt(struct sim_obj *obj)
{
    return (struct sim_hwpt *)obj;
}

static inline struct sim_idev *to_idev(struct sim_obj *obj)
{
    return (struct sim_idev *)obj;
}

#endif /* IOMMUFD_SIM_OBJECTS_H */
