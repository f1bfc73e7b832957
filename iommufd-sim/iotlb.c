/*
 * iommufd-sim: per-HWPT translation cache, keyed by page
 *
 * A chained hash table keyed by (page-aligned iova, page size).  A lookup
 * probes once per supported page size, so it costs O(1) on average however
 * many entries are cached.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <assert.h>
#include <stdlib.h>

#include "iotlb.h"

#define IOTLB_PAGE_SHIFT        12
#define IOTLB_MIN_BUCKETS       64

/* Smallest first: lookups prefer the most specific translation. */
static const unsigned iotlb_page_shifts[] = { 12, 21, 30 };
#define IOTLB_NR_PAGE_SIZES \
    (sizeof(iotlb_page_shifts) / sizeof(iotlb_page_shifts[0]))

struct sim_iotlb_entry {
    struct sim_iotlb_entry *next;
    uint64_t iova;              /* page aligned */
    uint64_t gpa;               /* page aligned */
    unsigned page_shift;
    bool rw, user;              /* R/W=1, U/S=1 at every level */
};

struct sim_iotlb {
    struct sim_iotlb_entry **buckets;
    size_t nbuckets;            /* power of two, or 0 before any entry */
    size_t count;
};

static uint64_t page_mask(unsigned page_shift)
{
    return (1ULL << page_shift) - 1;
}

static size_t iotlb_bucket(const struct sim_iotlb *tlb, uint64_t iova,
                           unsigned page_shift)
{
    /* iova is page aligned, so its low bits are free to hold the size. */
    uint64_t h = iova | page_shift;

    /* MurmurHash3 finaliser: page numbers differ only in a few bits. */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h & (tlb->nbuckets - 1);
}

static struct sim_iotlb_entry **iotlb_find(struct sim_iotlb *tlb,
                                           uint64_t iova, unsigned page_shift)
{
    struct sim_iotlb_entry **link =
        &tlb->buckets[iotlb_bucket(tlb, iova, page_shift)];

    while (*link && ((*link)->iova != iova ||
                     (*link)->page_shift != page_shift)) {
        link = &(*link)->next;
    }
    return link;
}

static void iotlb_unlink(struct sim_iotlb *tlb, struct sim_iotlb_entry **link)
{
    struct sim_iotlb_entry *e = *link;

    *link = e->next;
    free(e);
    tlb->count--;
}

/*
 * The buckets come with the first entry: a guest may keep tens of
 * thousands of PASIDs bound whose devices never DMA, and an empty IOTLB
 * should cost them no memory to allocate, clear or free.
 */
struct sim_iotlb *sim_iotlb_new(void)
{
    return calloc(1, sizeof(struct sim_iotlb));
}

static void iotlb_clear(struct sim_iotlb *tlb)
{
    for (size_t i = 0; i < tlb->nbuckets; i++) {
        while (tlb->buckets[i]) {
            iotlb_unlink(tlb, &tlb->buckets[i]);
        }
    }
}

void sim_iotlb_free(struct sim_iotlb *tlb)
{
    if (!tlb) {
        return;
    }
    iotlb_clear(tlb);
    free(tlb->buckets);
    free(tlb);
}

bool sim_iotlb_lookup(struct sim_iotlb *tlb, uint64_t iova, uint64_t *gpa,
                      uint64_t *page_size, bool *rw, bool *user)
{
    for (size_t i = 0; tlb->count && i < IOTLB_NR_PAGE_SIZES; i++) {
        unsigned shift = iotlb_page_shifts[i];
        struct sim_iotlb_entry *e =
            *iotlb_find(tlb, iova & ~page_mask(shift), shift);

        if (e) {
            *gpa = e->gpa | (iova & page_mask(shift));
            *page_size = 1ULL << shift;
            *rw = e->rw;
            *user = e->user;
            return true;
        }
    }
    return false;
}

/* Doubles the bucket array; on allocation failure keeps the longer chains. */
static void iotlb_grow(struct sim_iotlb *tlb)
{
    size_t old_nbuckets = tlb->nbuckets;
    struct sim_iotlb_entry **old_buckets = tlb->buckets;
    struct sim_iotlb_entry **buckets = calloc(old_nbuckets * 2,
                                              sizeof(*buckets));

    if (!buckets) {
        return;
    }
    tlb->buckets = buckets;
    tlb->nbuckets = old_nbuckets * 2;
    for (size_t i = 0; i < old_nbuckets; i++) {
        while (old_buckets[i]) {
            struct sim_iotlb_entry *e = old_buckets[i];
            size_t b = iotlb_bucket(tlb, e->iova, e->page_shift);

            old_buckets[i] = e->next;
            e->next = buckets[b];
            buckets[b] = e;
        }
    }
    free(old_buckets);
}

void sim_iotlb_insert(struct sim_iotlb *tlb, uint64_t iova, uint64_t gpa,
                      uint64_t page_size, bool rw, bool user)
{
    unsigned shift = __builtin_ctzll(page_size);
    struct sim_iotlb_entry **link, *e;

    assert(page_size == 1ULL << 12 || page_size == 1ULL << 21 ||
           page_size == 1ULL << 30);
    if (!tlb->buckets) {
        /* A cache may always decline to cache: no error on ENOMEM. */
        tlb->buckets = calloc(IOTLB_MIN_BUCKETS, sizeof(*tlb->buckets));
        if (!tlb->buckets) {
            return;
        }
        tlb->nbuckets = IOTLB_MIN_BUCKETS;
    }
    iova &= ~page_mask(shift);
    link = iotlb_find(tlb, iova, shift);
    e = *link;
    if (!e) {
        /* A cache may always decline to cache: no error on ENOMEM. */
        e = malloc(sizeof(*e));
        if (!e) {
            return;
        }
        e->next = NULL;
        e->iova = iova;
        e->page_shift = shift;
        *link = e;
        tlb->count++;
    }
    e->gpa = gpa & ~page_mask(shift);
    e->rw = rw;
    e->user = user;

    /* Keep the load factor at most 1 so chains stay short. */
    if (tlb->count > tlb->nbuckets) {
        iotlb_grow(tlb);
    }
}

/* Drops entries overlapping [first, last] by visiting every bucket. */
static void iotlb_invalidate_scan(struct sim_iotlb *tlb, uint64_t first,
                                  uint64_t last)
{
    for (size_t i = 0; i < tlb->nbuckets; i++) {
        struct sim_iotlb_entry **link = &tlb->buckets[i];

        while (*link) {
            struct sim_iotlb_entry *e = *link;

            if (e->iova <= last && first <= e->iova + page_mask(e->page_shift)) {
                iotlb_unlink(tlb, link);
            } else {
                link = &e->next;
            }
        }
    }
}

/*
 * Drops entries overlapping [first, last] by probing, for each page size,
 * every page of that size the range touches.
 */
static void iotlb_invalidate_pages(struct sim_iotlb *tlb, uint64_t first,
                                   uint64_t last)
{
    for (size_t i = 0; i < IOTLB_NR_PAGE_SIZES; i++) {
        unsigned shift = iotlb_page_shifts[i];

        /* Page numbers, not addresses, so the loop cannot wrap. */
        for (uint64_t pfn = first >> shift; pfn <= last >> shift; pfn++) {
            struct sim_iotlb_entry **link = iotlb_find(tlb, pfn << shift,
                                                       shift);

            if (*link) {
                iotlb_unlink(tlb, link);
            }
        }
    }
}

void sim_iotlb_invalidate(struct sim_iotlb *tlb, uint64_t addr,
                          uint64_t npages)
{
    uint64_t len;

    if (npages == 0 || tlb->count == 0) {
        return;
    }
    /*
     * A range whose end does not fit in 64 bits wraps; the contract treats
     * that as a global invalidation, which over-invalidates at worst.
     */
    if (npages > UINT64_MAX >> IOTLB_PAGE_SHIFT) {
        iotlb_clear(tlb);
        return;
    }
    len = npages << IOTLB_PAGE_SHIFT;
    if (addr > UINT64_MAX - len) {
        iotlb_clear(tlb);
        return;
    }

    /*
     * Probing costs about npages lookups, a scan about nbuckets + count,
     * i.e. at most twice nbuckets: take whichever visits less.
     */
    if (npages <= tlb->nbuckets) {
        iotlb_invalidate_pages(tlb, addr, addr + len - 1);
    } else {
        iotlb_invalidate_scan(tlb, addr, addr + len - 1);
    }
}

size_t sim_iotlb_count(const struct sim_iotlb *tlb)
{
    return tlb->count;
}
