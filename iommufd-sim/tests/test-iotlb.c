/*
 * Tests for the per-HWPT IOTLB.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "iotlb.h"
#include "tap.h"

#define KiB     (1ULL << 10)
#define MiB     (1ULL << 20)
#define GiB     (1ULL << 30)

static struct sim_iotlb *new_tlb(void)
{
    struct sim_iotlb *tlb = sim_iotlb_new();

    if (!tlb) {
        abort();
    }
    return tlb;
}

static bool hit(struct sim_iotlb *tlb, uint64_t iova, uint64_t want_gpa,
                uint64_t want_size, bool want_writable)
{
    uint64_t gpa, size;
    bool writable, user;

    /* each entry here is inserted with U/S the opposite of R/W */
    if (!sim_iotlb_lookup(tlb, iova, &gpa, &size, &writable, &user)) {
        tap_diag("iova 0x%llx: miss, want gpa 0x%llx",
                 (unsigned long long)iova, (unsigned long long)want_gpa);
        return false;
    }
    if (gpa != want_gpa || size != want_size || writable != want_writable ||
        user == want_writable) {
        tap_diag("iova 0x%llx: gpa 0x%llx size 0x%llx writable %d, "
                 "want 0x%llx 0x%llx %d", (unsigned long long)iova,
                 (unsigned long long)gpa, (unsigned long long)size, writable,
                 (unsigned long long)want_gpa, (unsigned long long)want_size,
                 want_writable);
        return false;
    }
    return true;
}

static bool miss(struct sim_iotlb *tlb, uint64_t iova)
{
    uint64_t gpa, size;
    bool writable, user;

    if (sim_iotlb_lookup(tlb, iova, &gpa, &size, &writable, &user)) {
        tap_diag("iova 0x%llx: unexpected hit, gpa 0x%llx",
                 (unsigned long long)iova, (unsigned long long)gpa);
        return false;
    }
    return true;
}

static void test_lookup(void)
{
    struct sim_iotlb *tlb = new_tlb();

    tap_ok(sim_iotlb_count(tlb) == 0 && miss(tlb, 0),
              "a new IOTLB is empty and misses");

    sim_iotlb_insert(tlb, 0x1234000, 0xabc000, 4 * KiB, true, false);
    tap_ok(hit(tlb, 0x1234000, 0xabc000, 4 * KiB, true) &&
              hit(tlb, 0x1234fff, 0xabcfff, 4 * KiB, true),
              "4K entry hits anywhere in its page with the offset applied");
    tap_ok(miss(tlb, 0x1235000) && miss(tlb, 0x1233fff),
              "4K entry does not cover its neighbours");

    sim_iotlb_insert(tlb, 0x40000000, 0x80000000, 2 * MiB, false, true);
    tap_ok(hit(tlb, 0x401abcde, 0x801abcde, 2 * MiB, false) &&
              miss(tlb, 0x40200000),
              "2M entry hits with the 21-bit offset, read-only preserved");

    sim_iotlb_insert(tlb, 0x7fc0000000ULL, 0x100000000ULL, GiB, true, false);
    tap_ok(hit(tlb, 0x7fc0000000ULL, 0x100000000ULL, GiB, true) &&
              hit(tlb, 0x7fffffffffULL, 0x13fffffffULL, GiB, true) &&
              miss(tlb, 0x8000000000ULL),
              "1G entry hits with the 30-bit offset");

    sim_iotlb_insert(tlb, 0x5000123, 0x9000456, 4 * KiB, true, false);
    tap_ok(hit(tlb, 0x5000010, 0x9000010, 4 * KiB, true),
              "insert ignores the offsets of iova and gpa within the page");

    sim_iotlb_insert(tlb, 0x1234000, 0xdef000, 4 * KiB, false, true);
    tap_ok(hit(tlb, 0x1234008, 0xdef008, 4 * KiB, false) &&
              sim_iotlb_count(tlb) == 4,
              "re-inserting a page replaces its entry (count 4)");

    sim_iotlb_insert(tlb, 0x40005000, 0x66000, 4 * KiB, true, false);
    tap_ok(hit(tlb, 0x40005008, 0x66008, 4 * KiB, true) &&
              hit(tlb, 0x40006008, 0x80006008, 2 * MiB, false),
              "a 4K entry is preferred over the 2M entry covering it");
    sim_iotlb_free(tlb);
}

static void test_invalidate(void)
{
    struct sim_iotlb *tlb = new_tlb();

    sim_iotlb_insert(tlb, 0x10000, 0x20000, 4 * KiB, true, false);
    sim_iotlb_insert(tlb, 0x11000, 0x21000, 4 * KiB, true, false);
    sim_iotlb_invalidate(tlb, 0x10000, 1);
    tap_ok(miss(tlb, 0x10000) && hit(tlb, 0x11000, 0x21000, 4 * KiB, true) &&
              sim_iotlb_count(tlb) == 1,
              "invalidating one 4K page drops it and keeps its neighbour");

    sim_iotlb_invalidate(tlb, 0x11000, 0);
    tap_ok(sim_iotlb_count(tlb) == 1, "invalidating zero pages drops nothing");

    sim_iotlb_insert(tlb, 0x200000, 0x400000, 2 * MiB, true, false);
    sim_iotlb_invalidate(tlb, 0x1ff000, 1);
    sim_iotlb_invalidate(tlb, 0x400000, 16);
    tap_ok(hit(tlb, 0x200000, 0x400000, 2 * MiB, true),
              "ranges ending at or starting after a 2M entry keep it");
    sim_iotlb_invalidate(tlb, 0x345000, 1);
    tap_ok(miss(tlb, 0x300000), "one 4K page inside a 2M entry drops it");

    sim_iotlb_insert(tlb, 0xc0000000, 0x40000000, GiB, true, false);
    sim_iotlb_invalidate(tlb, 0xbffff000, 2);
    tap_ok(miss(tlb, 0xc0000000) && hit(tlb, 0x11000, 0x21000, 4 * KiB, true),
              "a range straddling the start of a 1G entry drops only that entry");

    sim_iotlb_insert(tlb, 0, 0x1000, 4 * KiB, true, false);
    sim_iotlb_insert(tlb, 0xfffffffffffff000ULL, 0x2000, 4 * KiB, true, false);
    sim_iotlb_insert(tlb, 0x600000, 0x800000, 2 * MiB, true, false);
    sim_iotlb_invalidate(tlb, 0, UINT64_MAX);
    tap_ok(sim_iotlb_count(tlb) == 0 && miss(tlb, 0) && miss(tlb, 0x600000),
              "npages == UINT64_MAX invalidates everything");

    sim_iotlb_insert(tlb, 0, 0x1000, 4 * KiB, true, false);
    sim_iotlb_insert(tlb, 0x600000, 0x800000, 2 * MiB, true, false);
    sim_iotlb_invalidate(tlb, 0xfffffffffffff000ULL, 2);
    tap_ok(sim_iotlb_count(tlb) == 0, "a range that wraps invalidates everything");

    sim_iotlb_insert(tlb, 0xfffffffffffff000ULL, 0x2000, 4 * KiB, true, false);
    sim_iotlb_insert(tlb, 0xffffffffc0000000ULL, 0x40000000, GiB, true, false);
    sim_iotlb_insert(tlb, 0x1000, 0x2000, 4 * KiB, true, false);
    sim_iotlb_invalidate(tlb, 0xffffffffffffe000ULL, 1);
    tap_ok(sim_iotlb_count(tlb) == 2 && miss(tlb, 0xffffffffc0000000ULL) &&
              hit(tlb, 0xfffffffffffff000ULL, 0x2000, 4 * KiB, true),
              "a range just below the top of the address space drops the 1G entry there");
    sim_iotlb_free(tlb);
}

/* Bigger than the table, so invalidation scans instead of probing pages. */
static void test_invalidate_large_range(void)
{
    struct sim_iotlb *tlb = new_tlb();
    bool ok = true;

    for (uint64_t i = 0; i < 16; i++) {
        sim_iotlb_insert(tlb, i * GiB, i * 4 * KiB, 4 * KiB, true, false);
        sim_iotlb_insert(tlb, i * GiB + 2 * MiB, i * 2 * MiB, 2 * MiB, true,
                         false);
    }
    sim_iotlb_insert(tlb, 16 * GiB, 0, GiB, true, false);
    /* [1G + 4K, 9G + 4K): keeps page 0 of 1G and 9G, everything else in 1..8 goes */
    sim_iotlb_invalidate(tlb, GiB + 4 * KiB, 8 * (GiB / (4 * KiB)));
    for (uint64_t i = 0; i < 16; i++) {
        bool inside_4k = i >= 2 && i <= 9;
        bool inside_2m = i >= 1 && i <= 8;

        ok &= inside_4k ? miss(tlb, i * GiB) : hit(tlb, i * GiB, i * 4 * KiB, 4 * KiB, true);
        ok &= inside_2m ? miss(tlb, i * GiB + 2 * MiB)
                        : hit(tlb, i * GiB + 2 * MiB, i * 2 * MiB, 2 * MiB, true);
    }
    ok &= hit(tlb, 16 * GiB, 0, GiB, true);
    tap_ok(ok && sim_iotlb_count(tlb) == 33 - 16,
              "a range larger than the table drops exactly the overlapping entries");

    sim_iotlb_insert(tlb, 20 * GiB, 0, GiB, true, false);
    sim_iotlb_invalidate(tlb, 20 * GiB + 4 * KiB, 1024);
    tap_ok(miss(tlb, 20 * GiB) && hit(tlb, 16 * GiB, 0, GiB, true),
              "a large range starting inside a 1G entry drops it");

    /* Probing 2^40 pages one by one would never finish. */
    sim_iotlb_insert(tlb, 0xffff800000000000ULL, 0x1000, 4 * KiB, true, false);
    sim_iotlb_invalidate(tlb, 0, 1ULL << 40);
    tap_ok(sim_iotlb_count(tlb) == 1 &&
              hit(tlb, 0xffff800000000000ULL, 0x1000, 4 * KiB, true),
              "a huge range [0, 2^52) is invalidated quickly and keeps entries above it");
    sim_iotlb_free(tlb);
}

/* The IOTLB never looks at page tables: a changed PTE needs invalidation. */
static void test_stale_until_invalidated(void)
{
    struct sim_iotlb *tlb = new_tlb();

    /* A walk found iova 0x7000 -> gpa 0x3000 and cached it ... */
    sim_iotlb_insert(tlb, 0x7000, 0x3000, 4 * KiB, true, false);
    /* ... then the guest rewrites the PTE to point at 0x9000, read-only. */
    tap_ok(hit(tlb, 0x7010, 0x3010, 4 * KiB, true),
              "after the PTE changes the stale translation is still returned");
    sim_iotlb_invalidate(tlb, 0x7000, 1);
    tap_ok(miss(tlb, 0x7010), "invalidation removes the stale translation");
    sim_iotlb_insert(tlb, 0x7000, 0x9000, 4 * KiB, false, true);
    tap_ok(hit(tlb, 0x7010, 0x9010, 4 * KiB, false),
              "the next walk caches the new translation");
    sim_iotlb_free(tlb);
}

#define MANY 100000

static void test_many(void)
{
    struct sim_iotlb *tlb = new_tlb();
    bool ok = true;

    /* Scattered iovas so the hash, not the insertion order, is exercised. */
    for (uint64_t i = 0; i < MANY; i++) {
        sim_iotlb_insert(tlb, i * 0x10001000ULL, i * 4 * KiB, 4 * KiB, i & 1,
                         !(i & 1));
    }
    ok = sim_iotlb_count(tlb) == MANY;
    tap_ok(ok, "%d inserts give %d entries", MANY, MANY);

    ok = true;
    for (uint64_t i = 0; i < MANY && ok; i++) {
        ok = hit(tlb, i * 0x10001000ULL + 0x123, i * 4 * KiB + 0x123, 4 * KiB, i & 1);
    }
    tap_ok(ok, "all %d entries are found with the right translation", MANY);

    for (uint64_t i = 0; i < MANY; i += 2) {
        sim_iotlb_invalidate(tlb, i * 0x10001000ULL, 1);
    }
    ok = sim_iotlb_count(tlb) == MANY / 2;
    for (uint64_t i = 0; i < MANY && ok; i++) {
        ok = (i & 1) ? hit(tlb, i * 0x10001000ULL, i * 4 * KiB, 4 * KiB, true)
                     : miss(tlb, i * 0x10001000ULL);
    }
    tap_ok(ok, "invalidating every other page leaves exactly the rest");
    sim_iotlb_free(tlb);
}

static void test_free_with_entries(void)
{
    struct sim_iotlb *tlb = new_tlb();

    for (uint64_t i = 0; i < 1000; i++) {
        sim_iotlb_insert(tlb, i << 21, i << 21, 2 * MiB, true, false);
    }
    sim_iotlb_free(tlb);
    sim_iotlb_free(NULL);
    tap_ok(true, "freeing a populated IOTLB (leaks are reported by ASan at exit)");
}

int main(void)
{
    test_lookup();
    test_invalidate();
    test_invalidate_large_range();
    test_stale_until_invalidated();
    test_many();
    test_free_with_entries();
    return tap_done();
}
