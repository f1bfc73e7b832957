/*
 * iommufd-sim: per-HWPT first-stage paging-structure caches
 *
 * The four caches of VT-d spec 6.2.5 share one chained hash table keyed
 * by (level, address of the region the entry translates), as the IOTLB's
 * is by page (iotlb.c): a lookup probes once per level, deepest first.
 *
 * The simulator caches as much as the architecture allows, so that a
 * guest or VMM relying on a cache being smaller than that fails here as
 * it might on hardware:
 *  - every non-leaf entry a successful walk reads is cached (6.2.5: a
 *    present entry without reserved bits set may be cached).  A faulting
 *    walk caches nothing: the walker sets accessed flags only when a walk
 *    succeeds, and an entry is only cached with its accessed flag set, as
 *    in x86 paging (Intel SDM vol. 3, 4.10.3.1);
 *  - nothing is ever dropped except by invalidation, however many entries
 *    there are, and an entry keeps being used after software changed the
 *    paging entry in memory (6.2.5), until an invalidation drops it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <assert.h>
#include <stdlib.h>

#include "psc.h"

#define PSC_PAGE_SHIFT      12
#define PSC_LEVEL_BITS      9
#define PSC_MIN_LEVEL       2       /* PDE */
#define PSC_MIN_BUCKETS     64

struct sim_psc_entry {
    struct sim_psc_entry *next;
    uint64_t iova;              /* aligned to the region of pse.level */
    struct sim_fs_pse pse;
};

struct sim_psc {
    struct sim_psc_entry **buckets;
    size_t nbuckets;            /* power of two, or 0 before any entry */
    size_t count;
};

/* log2 of the region an entry of @level translates: 2M, 1G, 512G, 256T. */
static unsigned level_shift(unsigned level)
{
    return PSC_PAGE_SHIFT + (level - 1) * PSC_LEVEL_BITS;
}

static uint64_t region_mask(unsigned level)
{
    return (1ULL << level_shift(level)) - 1;
}

static size_t psc_bucket(const struct sim_psc *psc, uint64_t iova,
                         unsigned level)
{
    /* iova is aligned to at least 2 MiB: its low bits can hold the level. */
    uint64_t h = iova | level;

    /* MurmurHash3 finaliser, as in iotlb.c. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h & (psc->nbuckets - 1);
}

static struct sim_psc_entry **psc_find(struct sim_psc *psc, uint64_t iova,
                                       unsigned level)
{
    struct sim_psc_entry **link =
        &psc->buckets[psc_bucket(psc, iova, level)];

    while (*link && ((*link)->iova != iova || (*link)->pse.level != level)) {
        link = &(*link)->next;
    }
    return link;
}

static void psc_unlink(struct sim_psc *psc, struct sim_psc_entry **link)
{
    struct sim_psc_entry *e = *link;

    *link = e->next;
    free(e);
    psc->count--;
}

/* The buckets come with the first entry, as the IOTLB's do. */
struct sim_psc *sim_psc_new(void)
{
    return calloc(1, sizeof(struct sim_psc));
}

static void psc_clear(struct sim_psc *psc)
{
    for (size_t i = 0; i < psc->nbuckets; i++) {
        while (psc->buckets[i]) {
            psc_unlink(psc, &psc->buckets[i]);
        }
    }
}

void sim_psc_free(struct sim_psc *psc)
{
    if (!psc) {
        return;
    }
    psc_clear(psc);
    free(psc->buckets);
    free(psc);
}

bool sim_psc_lookup(struct sim_psc *psc, uint64_t iova, struct sim_fs_pse *pse)
{
    for (unsigned level = PSC_MIN_LEVEL;
         psc->count && level <= SIM_FS_MAX_LEVELS; level++) {
        struct sim_psc_entry *e =
            *psc_find(psc, iova & ~region_mask(level), level);

        if (e) {
            *pse = e->pse;
            return true;
        }
    }
    return false;
}

/* Doubles the bucket array; on allocation failure keeps the longer chains. */
static void psc_grow(struct sim_psc *psc)
{
    size_t old_nbuckets = psc->nbuckets;
    struct sim_psc_entry **old_buckets = psc->buckets;
    struct sim_psc_entry **buckets = calloc(old_nbuckets * 2,
                                            sizeof(*buckets));

    if (!buckets) {
        return;
    }
    psc->buckets = buckets;
    psc->nbuckets = old_nbuckets * 2;
    for (size_t i = 0; i < old_nbuckets; i++) {
        while (old_buckets[i]) {
            struct sim_psc_entry *e = old_buckets[i];
            size_t b = psc_bucket(psc, e->iova, e->pse.level);

            old_buckets[i] = e->next;
            e->next = buckets[b];
            buckets[b] = e;
        }
    }
    free(old_buckets);
}

void sim_psc_insert(struct sim_psc *psc, uint64_t iova,
                    const struct sim_fs_pse *pse)
{
    struct sim_psc_entry **link, *e;

    assert(pse->level >= PSC_MIN_LEVEL && pse->level <= SIM_FS_MAX_LEVELS);
    if (!psc->buckets) {
        /* A cache may always decline to cache: no error on ENOMEM. */
        psc->buckets = calloc(PSC_MIN_BUCKETS, sizeof(*psc->buckets));
        if (!psc->buckets) {
            return;
        }
        psc->nbuckets = PSC_MIN_BUCKETS;
    }
    iova &= ~region_mask(pse->level);
    link = psc_find(psc, iova, pse->level);
    e = *link;
    if (!e) {
        /* A cache may always decline to cache: no error on ENOMEM. */
        e = malloc(sizeof(*e));
        if (!e) {
            return;
        }
        e->next = NULL;
        e->iova = iova;
        *link = e;
        psc->count++;
    }
    e->pse = *pse;

    /* Keep the load factor at most 1 so chains stay short. */
    if (psc->count > psc->nbuckets) {
        psc_grow(psc);
    }
}

/* Drops entries whose region overlaps [first, last], visiting every bucket. */
static void psc_invalidate_scan(struct sim_psc *psc, uint64_t first,
                                uint64_t last)
{
    for (size_t i = 0; i < psc->nbuckets; i++) {
        struct sim_psc_entry **link = &psc->buckets[i];

        while (*link) {
            struct sim_psc_entry *e = *link;

            if (e->iova <= last &&
                first <= e->iova + region_mask(e->pse.level)) {
                psc_unlink(psc, link);
            } else {
                link = &e->next;
            }
        }
    }
}

/* How many regions of each level [first, last] meets, summed. */
static uint64_t psc_regions(uint64_t first, uint64_t last)
{
    uint64_t n = 0;

    for (unsigned level = PSC_MIN_LEVEL; level <= SIM_FS_MAX_LEVELS; level++) {
        n += (last >> level_shift(level)) - (first >> level_shift(level)) + 1;
    }
    return n;
}

/* Drops entries whose region overlaps [first, last], probing each region. */
static void psc_invalidate_regions(struct sim_psc *psc, uint64_t first,
                                   uint64_t last)
{
    for (unsigned level = PSC_MIN_LEVEL; level <= SIM_FS_MAX_LEVELS; level++) {
        unsigned shift = level_shift(level);

        /* Region numbers, not addresses, so the loop cannot wrap. */
        for (uint64_t n = first >> shift; n <= last >> shift; n++) {
            struct sim_psc_entry **link = psc_find(psc, n << shift, level);

            if (*link) {
                psc_unlink(psc, link);
            }
        }
    }
}

/*
 * The kernel turns one VTD_S1 entry into a PASID-based-IOTLB invalidation
 * of the domain-id and PASID (intel_nested_cache_invalidate_user() calls
 * cache_tag_flush_range() with ih = IOMMU_VTD_INV_FLAGS_LEAF).  Its effect
 * on the paging-structure caches (VT-d spec 6.5.2.4, "PASID-based-IOTLB
 * Invalidate Descriptor"):
 *  - PASID-selective drops every entry, whatever the hint: npages
 *    U64_MAX, where the kernel's address mask covers the whole address
 *    space (cache_tag_flush_iotlb() then issues a PASID-selective
 *    descriptor), and, as in the IOTLB, any range that wraps;
 *  - page-selective-within-PASID with IH=0 drops the entries that
 *    translate addresses in the range, i.e. whose region overlaps it;
 *  - with IH=1 software promises it changed no non-leaf entry, and
 *    hardware "may preserve" them: they all stay, however stale.
 * The range is taken as given: hardware invalidates the naturally aligned
 * superset the kernel's address mask describes, which drops more.
 */
void sim_psc_invalidate(struct sim_psc *psc, uint64_t addr, uint64_t npages,
                        bool leaf)
{
    uint64_t len, last;

    if (npages == 0 || psc->count == 0) {
        return;
    }
    /* A range whose end does not fit in 64 bits is all, as in the IOTLB. */
    if (npages > UINT64_MAX >> PSC_PAGE_SHIFT) {
        psc_clear(psc);
        return;
    }
    len = npages << PSC_PAGE_SHIFT;
    if (addr > UINT64_MAX - len) {
        psc_clear(psc);
        return;
    }
    if (leaf) {
        return;
    }
    last = addr + len - 1;

    /* Probe when that visits fewer chains than a scan of every bucket. */
    if (psc_regions(addr, last) <= psc->nbuckets) {
        psc_invalidate_regions(psc, addr, last);
    } else {
        psc_invalidate_scan(psc, addr, last);
    }
}

size_t sim_psc_count(const struct sim_psc *psc)
{
    return psc->count;
}
