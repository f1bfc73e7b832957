/*
 * Tests for a device's PASID attachment table: after every operation of
 * a seeded random walk of adds, replaces and removes, the table holds
 * exactly what a plain array says, found by lookup and by iteration.  The
 * PASIDs are random 20-bit values, so that home slots collide, probe runs
 * wrap around the end and removal has to move entries back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pasid_table.h"
#include "tap.h"

#define POOL            4096u       /* distinct PASIDs the walk uses */
#define PASID_BITS      20
#define STEPS           200000u
#define SEED            12u

/* Stand-ins for HWPTs: the table only stores and compares the pointers. */
static char hwpts[4];

static struct sim_hwpt *hwpt(unsigned i)
{
    return (struct sim_hwpt *)&hwpts[i % 4];
}

static uint32_t pool[POOL];
static uint16_t index_in_pool[1u << PASID_BITS];    /* 1 + index, or 0 */

/* Distinct random PASIDs, none 0 (the RID is not in the table). */
static void fill_pool(void)
{
    for (unsigned i = 0; i < POOL; i++) {
        uint32_t pasid;

        do {
            pasid = 1 + rand() % ((1u << PASID_BITS) - 1);
        } while (index_in_pool[pasid]);
        index_in_pool[pasid] = i + 1;
        pool[i] = pasid;
    }
}

/* The index of @pasid in the pool, POOL if it is not one of them. */
static unsigned pool_index(uint32_t pasid)
{
    if (pasid >= (1u << PASID_BITS) || !index_in_pool[pasid]) {
        return POOL;
    }
    return index_in_pool[pasid] - 1;
}

/* Every PASID of the pool: found with the oracle's HWPT, or absent. */
static bool lookups_agree(const struct sim_pasid_table *t,
                          struct sim_hwpt *const *oracle)
{
    for (unsigned i = 0; i < POOL; i++) {
        uint32_t pasid = pool[i];
        struct sim_attach *a = sim_pasid_table_find(t, pasid);

        if ((a ? a->hwpt : NULL) != oracle[i] || (a && a->pasid != pasid)) {
            tap_diag("PASID %u: table %p, want %p", pasid,
                     (void *)(a ? a->hwpt : NULL), (void *)oracle[i]);
            return false;
        }
    }
    return true;
}

/* Iteration visits each attachment once and nothing else. */
static bool iteration_agrees(const struct sim_pasid_table *t,
                             struct sim_hwpt *const *oracle, unsigned count)
{
    static unsigned char seen[POOL + 1];
    struct sim_attach *a;
    unsigned pos = 0, visited = 0;
    bool ok = true;

    for (unsigned i = 0; i <= POOL; i++) {
        seen[i] = 0;
    }
    while ((a = sim_pasid_table_next(t, &pos))) {
        unsigned i = pool_index(a->pasid);

        if (i == POOL || seen[i]++ || oracle[i] != a->hwpt) {
            tap_diag("iteration: PASID %u unexpected", a->pasid);
            ok = false;
        }
        visited++;
    }
    if (visited != count || t->count != count) {
        tap_diag("iteration: %u visited, count %u, want %u", visited,
                 t->count, count);
        ok = false;
    }
    return ok;
}

struct walk_stats {
    unsigned steps, adds, replaces, removes, max_count, grows, failures;
};

/*
 * A walk of @steps over the @keys PASIDs of the pool from @first, @window
 * of them at a time (the window moves by 37 every 500 steps), filling
 * for @phase_len steps and draining for as many: the table grows,
 * empties and refills.
 */
static void walk(unsigned first, unsigned keys, unsigned window,
                 unsigned phase_len, unsigned steps, struct walk_stats *st)
{
    static struct sim_hwpt *oracle[POOL];
    struct sim_pasid_table t = { 0 };
    unsigned count = 0, step, i;

    for (i = 0; i < POOL; i++) {
        oracle[i] = NULL;
    }
    for (step = 0; step < steps && !st->failures; step++) {
        bool draining = (step / phase_len) % 2;
        uint32_t pasid;
        struct sim_attach *a;
        unsigned cap = t.capacity;

        i = first + (rand() % window + (step / 500) * 37) % keys;
        pasid = pool[i];
        a = sim_pasid_table_find(&t, pasid);
        if (a && (draining || rand() % 4 == 0)) {
            sim_pasid_table_remove(&t, a);
            oracle[i] = NULL;
            count--;
            st->removes++;
        } else if (a) {
            a->hwpt = hwpt(rand());
            oracle[i] = a->hwpt;
            st->replaces++;
        } else if (!draining || rand() % 8 == 0) {
            struct sim_hwpt *h = hwpt(rand());

            if (sim_pasid_table_add(&t, pasid, h)) {
                tap_diag("add of PASID %u failed", pasid);
                st->failures++;
                break;
            }
            oracle[i] = h;
            count++;
            st->adds++;
        }
        st->grows += t.capacity != cap;
        st->max_count = count > st->max_count ? count : st->max_count;
        if (step % 97 == 0 || step == steps - 1) {
            st->failures += !lookups_agree(&t, oracle);
            st->failures += !iteration_agrees(&t, oracle, count);
        }
        st->failures += 2 * t.count > t.capacity;
    }
    st->steps += step;
    sim_pasid_table_destroy(&t);
    st->failures += t.count || sim_pasid_table_find(&t, pool[first]);
}

static void report(const char *what, const struct walk_stats *st,
                   unsigned min_count)
{
    tap_ok(!st->failures, "%s: %u steps (seed %u): %u adds, %u replaces, "
           "%u removes, up to %u entries, %u grows; lookups and iteration "
           "agree with the oracle, never over half full, empty once "
           "destroyed", what, st->steps, SEED, st->adds, st->replaces,
           st->removes, st->max_count, st->grows);
    tap_ok(st->removes > 1000 && st->adds > 1000 &&
           st->max_count >= min_count,
           "%s: the walk exercised removal and growth", what);
}

int main(void)
{
    struct sim_pasid_table empty = { 0 };
    struct walk_stats large = { 0 }, small = { 0 };

    srand(SEED);
    fill_pool();
    tap_ok(!sim_pasid_table_find(&empty, 1), "an empty table finds nothing");
    /* Thousands of entries: many grows, long-lived collisions. */
    walk(0, POOL, 64, 20000, 200000, &large);
    report("large", &large, 1024);
    /*
     * Sixteen PASIDs, at most half of a small table: with this many sets
     * of them, probe runs that wrap around the table's end are certain.
     */
    for (unsigned first = 0; first < POOL && !small.failures; first += 16) {
        walk(first, 16, 16, 200, 2000, &small);
    }
    report("small", &small, 16);
    return tap_done();
}
