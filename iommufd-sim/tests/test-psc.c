/*
 * Tests for the per-HWPT paging-structure caches.
 *
 * Each entry's table address names the entry, so a lookup shows which one
 * was used.  Region sizes are spelled out here (2M, 1G, 512G, 256T for
 * levels 2..5) rather than taken from the implementation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "psc.h"
#include "tap.h"

#define KiB     (1ULL << 10)
#define MiB     (1ULL << 20)
#define GiB     (1ULL << 30)
#define TiB     (1ULL << 40)

static const uint64_t region_size[] = { 0, 0, 2 * MiB, GiB, 512 * GiB,
                                        256 * TiB };

static struct sim_psc *new_psc(void)
{
    struct sim_psc *psc = sim_psc_new();

    if (!psc) {
        abort();
    }
    return psc;
}

static void insert(struct sim_psc *psc, uint64_t iova, unsigned level,
                   uint64_t table)
{
    struct sim_fs_pse pse = { .level = level, .table = table };

    sim_psc_insert(psc, iova, &pse);
}

/* The entry lookup finds for iova is the one named table, at level. */
static bool finds(struct sim_psc *psc, uint64_t iova, unsigned level,
                  uint64_t table)
{
    struct sim_fs_pse pse;

    if (!sim_psc_lookup(psc, iova, &pse)) {
        tap_diag("iova 0x%llx: miss, want level %u table 0x%llx",
                 (unsigned long long)iova, level, (unsigned long long)table);
        return false;
    }
    if (pse.level != level || pse.table != table) {
        tap_diag("iova 0x%llx: level %u table 0x%llx, want %u 0x%llx",
                 (unsigned long long)iova, pse.level,
                 (unsigned long long)pse.table, level,
                 (unsigned long long)table);
        return false;
    }
    return true;
}

static bool misses(struct sim_psc *psc, uint64_t iova)
{
    struct sim_fs_pse pse;

    if (sim_psc_lookup(psc, iova, &pse)) {
        tap_diag("iova 0x%llx: unexpected level %u table 0x%llx",
                 (unsigned long long)iova, pse.level,
                 (unsigned long long)pse.table);
        return false;
    }
    return true;
}

static void test_lookup(void)
{
    struct sim_psc *psc = new_psc();
    uint64_t x = 0x7f1234400000ULL;     /* 2M aligned */
    struct sim_fs_pse pse = {
        .level = 3, .table = 0x3000, .us_denied_level = 4,
        .rw_denied_level = 3,
    }, got;

    tap_ok(sim_psc_count(psc) == 0 && misses(psc, x),
           "a new cache is empty and misses");

    insert(psc, x + 0x1234, 2, 0x2000);
    tap_ok(finds(psc, x, 2, 0x2000) && finds(psc, x + 2 * MiB - 1, 2, 0x2000) &&
           misses(psc, x + 2 * MiB) && misses(psc, x - 1),
           "a PDE serves its whole 2M region and nothing else");

    sim_psc_insert(psc, x, &pse);
    tap_ok(finds(psc, x, 2, 0x2000),
           "the PDE is preferred over the PDPTE above it");
    tap_ok(sim_psc_lookup(psc, x + 2 * MiB, &got) && got.level == 3 &&
           got.table == 0x3000 && got.us_denied_level == 4 &&
           got.rw_denied_level == 3,
           "the PDPTE serves the rest of its 1G region, rights kept");
    tap_ok(misses(psc, (x & ~(GiB - 1)) + GiB),
           "... and not the next 1G region");

    insert(psc, x, 4, 0x4000);
    insert(psc, x, 5, 0x5000);
    tap_ok(finds(psc, (x & ~(GiB - 1)) + GiB, 4, 0x4000) &&
           finds(psc, (x & ~(512 * GiB - 1)) + 512 * GiB, 5, 0x5000) &&
           misses(psc, (x & ~(256 * TiB - 1)) + 256 * TiB),
           "PML4E for its 512G, PML5E for its 256T, deepest first");

    insert(psc, x + 5 * 4 * KiB, 2, 0x2100);
    tap_ok(finds(psc, x, 2, 0x2100) && sim_psc_count(psc) == 4,
           "re-inserting an entry of the same region replaces it (count 4)");

    sim_psc_free(psc);

    psc = new_psc();
    insert(psc, 0xffff800000000000ULL, 4, 0x4400);
    tap_ok(finds(psc, 0xffff80003fe00000ULL, 4, 0x4400) &&
           misses(psc, 0x0000800000000000ULL),
           "upper-half addresses keep their sign bits in the key");
    sim_psc_free(psc);
}

/* One entry of each level for iova, tables named 0xL000. */
static void insert_path(struct sim_psc *psc, uint64_t iova)
{
    for (unsigned level = 2; level <= 5; level++) {
        insert(psc, iova, level, level * 0x1000);
    }
}

static void test_invalidate(void)
{
    struct sim_psc *psc = new_psc();
    uint64_t x = 0x40000000, y = x + 2 * MiB;

    insert_path(psc, x);
    insert(psc, y, 2, 0x2200);
    sim_psc_invalidate(psc, x, 1, true);
    tap_ok(sim_psc_count(psc) == 5,
           "page-selective with the leaf hint keeps every entry");
    sim_psc_invalidate(psc, x, 0, false);
    tap_ok(sim_psc_count(psc) == 5, "zero pages drop nothing");

    sim_psc_invalidate(psc, x - 4 * KiB, 1, false);
    tap_ok(finds(psc, x, 2, 0x2000) && finds(psc, x + 4 * MiB, 3, 0x3000) &&
           misses(psc, x + GiB) && sim_psc_count(psc) == 3,
           "the page below x drops the PML4E and PML5E whose regions hold "
           "it, not the PDPTE and PDE of x's regions");
    sim_psc_invalidate(psc, x + 2 * MiB - 4 * KiB, 1, false);
    tap_ok(misses(psc, x) && finds(psc, y, 2, 0x2200) &&
           sim_psc_count(psc) == 1,
           "the last page of x's 2M region drops its PDE and PDPTE, not "
           "the PDE of the next 2M region");

    insert_path(psc, x);
    sim_psc_invalidate(psc, y + 2 * MiB, 1, false);
    tap_ok(finds(psc, x, 2, 0x2000) && finds(psc, y, 2, 0x2200) &&
           misses(psc, x + 4 * MiB) && sim_psc_count(psc) == 2,
           "a page under neither PDE drops the PDPTE, PML4E and PML5E "
           "above it, and neither PDE");

    insert_path(psc, x);
    sim_psc_invalidate(psc, 0, UINT64_MAX, true);
    tap_ok(sim_psc_count(psc) == 0,
           "npages U64_MAX is PASID-selective: drops all despite the hint");

    insert_path(psc, x);
    sim_psc_invalidate(psc, 0xfffffffffffff000ULL, 2, true);
    tap_ok(sim_psc_count(psc) == 0,
           "a range that wraps is PASID-selective: drops all");
    sim_psc_free(psc);
}

/* An entry of test_invalidate_many(), and whether it should be cached. */
struct model_entry {
    uint64_t iova;
    unsigned level;
    bool present;
};

/* What a lookup of iova should find: the deepest present entry over it. */
static const struct model_entry *model_lookup(const struct model_entry *m,
                                              size_t n, uint64_t iova)
{
    const struct model_entry *best = NULL;

    for (size_t i = 0; i < n; i++) {
        uint64_t start = m[i].iova & ~(region_size[m[i].level] - 1);

        if (m[i].present && start <= iova &&
            iova <= start + region_size[m[i].level] - 1 &&
            (!best || m[i].level < best->level)) {
            best = &m[i];
        }
    }
    return best;
}

/*
 * Entries of every level, then ranges small enough to be probed region by
 * region and large enough to be handled by a scan of every bucket.  What
 * survives is computed here, entry by entry, and every entry's address is
 * looked up after each range.
 */
static void test_invalidate_many(void)
{
    static const struct {
        uint64_t addr, npages;
    } ranges[] = {
        { GiB + 17 * 2 * MiB - 4 * KiB, 2 },            /* two PDEs */
        { GiB + 100 * 2 * MiB, 1 },
        { GiB + 300 * 2 * MiB + 4 * KiB, 2100 * 512 },  /* into 5G */
        { 12 * GiB - 4 * KiB, 2 },
        { 513 * GiB, 1ULL << 20 },                      /* 4G, in 512G #1 */
        { 512 * TiB - 4 * KiB, 1 },                     /* 256T #1 */
    };
    enum { N_PDE = 1024, N_PDPTE = 8, N_PML4E = 3, N_PML5E = 2,
           N = N_PDE + N_PDPTE + N_PML4E + N_PML5E };
    static struct model_entry m[N];
    struct sim_psc *psc = new_psc();
    size_t n = 0, want = N, left;
    bool ok = true;

    for (unsigned i = 0; i < N_PDE; i++) {
        m[n++] = (struct model_entry) { GiB + i * 2 * MiB, 2, true };
    }
    for (unsigned i = 0; i < N_PDPTE; i++) {
        m[n++] = (struct model_entry) { (4 + i) * GiB, 3, true };
    }
    for (unsigned i = 0; i < N_PML4E; i++) {
        m[n++] = (struct model_entry) { (1 + i) * 512 * GiB, 4, true };
    }
    for (unsigned i = 0; i < N_PML5E; i++) {
        m[n++] = (struct model_entry) { (1 + i) * 256 * TiB, 5, true };
    }
    for (size_t i = 0; i < n; i++) {
        insert(psc, m[i].iova, m[i].level, 0x100000 + i * 0x1000);
    }
    for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
        uint64_t first = ranges[r].addr;
        uint64_t last = first + ranges[r].npages * 4 * KiB - 1;

        sim_psc_invalidate(psc, ranges[r].addr, ranges[r].npages, false);
        for (size_t i = 0; i < n; i++) {
            uint64_t start = m[i].iova;

            if (m[i].present && start <= last &&
                first <= start + region_size[m[i].level] - 1) {
                m[i].present = false;
                want--;
            }
        }
        for (size_t i = 0; i < n; i++) {
            const struct model_entry *e = model_lookup(m, n, m[i].iova);

            ok = ok && (e ? finds(psc, m[i].iova, e->level,
                                  0x100000 + (e - m) * 0x1000)
                          : misses(psc, m[i].iova));
        }
        ok = ok && sim_psc_count(psc) == want;
    }
    left = 0;
    for (unsigned level = 2; level <= 5; level++) {
        size_t k = 0;

        for (size_t i = 0; i < n; i++) {
            k += m[i].level == level && m[i].present;
        }
        left += k > 0;
    }
    tap_ok(ok && left == 4 && want < N - 700,
           "small and large ranges drop exactly the entries whose region "
           "they overlap (%zu of %u left, of every level)", want, N);
    sim_psc_free(psc);
}

int main(void)
{
    test_lookup();
    test_invalidate();
    test_invalidate_many();
    return tap_done();
}
