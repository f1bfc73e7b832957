/*
 * Tests for the VT-d first-stage page-table walk.
 *
 * Page tables are built in a fake guest-physical memory whose pages can be
 * made unmapped (S2_MISS) or read-only (S2_PERM on write) in stage 2.  The
 * entry bits are spelled out here from the x86 paging format rather than
 * taken from the implementation, so the two check each other.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/iommufd.h>

#include "vtd_fs_walk.h"
#include "tap.h"

#define KiB     (1ULL << 10)
#define MiB     (1ULL << 20)
#define GiB     (1ULL << 30)

#define PTE_P   (1ULL << 0)
#define PTE_RW  (1ULL << 1)
#define PTE_US  (1ULL << 2)
#define PTE_A   (1ULL << 5)
#define PTE_D   (1ULL << 6)
#define PTE_PS  (1ULL << 7)
#define PTE_EA  (1ULL << 10)
#define PTE_LARGE_PAT (1ULL << 12)
#define PTE_XD  (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL
#define PTE_TABLE (PTE_P | PTE_RW | PTE_US)

/*
 * Fake guest-physical memory.  It starts above 0 so that a walk that loses
 * the table address reads unmapped memory instead of the root table.
 */
#define MEM_BASE    (1 * MiB)
#define MEM_PAGES   64

enum s2_access { S2_RW, S2_RO, S2_UNMAPPED };

struct guest_mem {
    uint64_t words[MEM_PAGES * 4 * KiB / 8];
    enum s2_access access[MEM_PAGES];
    unsigned next_page;
    unsigned reads, writes;
};

static bool mem_page(uint64_t gpa, unsigned *page)
{
    if (gpa < MEM_BASE || gpa - MEM_BASE >= MEM_PAGES * 4 * KiB) {
        return false;
    }
    *page = (gpa - MEM_BASE) / (4 * KiB);
    return true;
}

static uint64_t *mem_word(struct guest_mem *m, uint64_t gpa)
{
    return &m->words[(gpa - MEM_BASE) / 8];
}

static int mem_read64(void *opaque, uint64_t gpa, uint64_t *val)
{
    struct guest_mem *m = opaque;
    unsigned page;

    m->reads++;
    if (gpa % 8 || !mem_page(gpa, &page) || m->access[page] == S2_UNMAPPED) {
        return SIM_FAULT_S2_MISS;
    }
    *val = *mem_word(m, gpa);
    return 0;
}

static int mem_write64(void *opaque, uint64_t gpa, uint64_t val)
{
    struct guest_mem *m = opaque;
    unsigned page;

    m->writes++;
    if (gpa % 8 || !mem_page(gpa, &page) || m->access[page] == S2_UNMAPPED) {
        return SIM_FAULT_S2_MISS;
    }
    if (m->access[page] == S2_RO) {
        return SIM_FAULT_S2_PERM;
    }
    *mem_word(m, gpa) = val;
    return 0;
}

static struct guest_mem *mem_new(void)
{
    struct guest_mem *m = calloc(1, sizeof(*m));

    if (!m) {
        abort();
    }
    return m;
}

static void mem_set_access(struct guest_mem *m, uint64_t gpa,
                           enum s2_access access)
{
    unsigned page;

    if (!mem_page(gpa, &page)) {
        abort();
    }
    m->access[page] = access;
}

static uint64_t alloc_table(struct guest_mem *m)
{
    if (m->next_page == MEM_PAGES) {
        abort();
    }
    return MEM_BASE + m->next_page++ * 4 * KiB;
}

static unsigned level_shift(unsigned level)
{
    return 12 + 9 * (level - 1);
}

/* The entry that translates iova at level, found by following the tables. */
static uint64_t *pte(struct guest_mem *m, uint64_t root, unsigned levels,
                     uint64_t iova, unsigned level)
{
    uint64_t table = root;

    for (unsigned l = levels;; l--) {
        uint64_t *entry = mem_word(m, table + ((iova >> level_shift(l)) & 511) * 8);

        if (l == level) {
            return entry;
        }
        table = *entry & PTE_ADDR_MASK;
    }
}

/* Maps the page of 4K/2M/1G containing iova, creating tables as needed. */
static void map(struct guest_mem *m, uint64_t root, unsigned levels,
                uint64_t iova, uint64_t gpa, uint64_t page_size,
                uint64_t leaf_flags)
{
    unsigned leaf_level = page_size == GiB ? 3 : page_size == 2 * MiB ? 2 : 1;
    uint64_t table = root;

    for (unsigned l = levels; l > leaf_level; l--) {
        uint64_t *entry = mem_word(m, table + ((iova >> level_shift(l)) & 511) * 8);

        if (!(*entry & PTE_P)) {
            *entry = alloc_table(m) | PTE_TABLE;
        }
        table = *entry & PTE_ADDR_MASK;
    }
    *mem_word(m, table + ((iova >> level_shift(leaf_level)) & 511) * 8) =
        (gpa & ~(page_size - 1)) | leaf_flags |
        (leaf_level > 1 ? PTE_PS : 0);
}

/* A fresh memory with one mapping; most tests start from this. */
struct fixture {
    struct guest_mem *mem;
    struct sim_fs_walk_req req;
    unsigned levels;
};

static struct fixture setup(unsigned levels, uint64_t iova, uint64_t gpa,
                            uint64_t page_size, uint64_t leaf_flags)
{
    struct fixture f = { .mem = mem_new(), .levels = levels };

    f.req.pgtbl_addr = alloc_table(f.mem);
    f.req.addr_width = levels == 5 ? 57 : 48;
    f.req.fs1gp = true;
    f.req.iova = iova;
    map(f.mem, f.req.pgtbl_addr, levels, iova, gpa, page_size, leaf_flags);
    return f;
}

static uint64_t *fixture_pte(struct fixture *f, unsigned level)
{
    return pte(f->mem, f->req.pgtbl_addr, f->levels, f->req.iova, level);
}

static enum sim_fault walk(struct fixture *f, struct sim_fs_walk_result *res)
{
    f->mem->reads = f->mem->writes = 0;
    return sim_fs_walk(&f->req, mem_read64, mem_write64, f->mem, res);
}

static bool check_fault(struct fixture *f, enum sim_fault want_fault,
                        unsigned want_level, const char *what)
{
    struct sim_fs_walk_result res;
    enum sim_fault ret = walk(f, &res);
    bool ok = ret == want_fault && res.fault == want_fault &&
              res.fault_level == want_level;

    if (!tap_ok(ok, "%s", what)) {
        tap_diag("got %s (res.fault %s) at level %llu, want %s at level %u",
                 sim_fault_name(ret), sim_fault_name(res.fault),
                 (unsigned long long)res.fault_level,
                 sim_fault_name(want_fault), want_level);
    }
    return ok;
}

static bool check_translation(struct fixture *f, uint64_t want_gpa,
                              uint64_t want_size, bool want_writable,
                              const char *what)
{
    struct sim_fs_walk_result res;
    enum sim_fault ret = walk(f, &res);
    struct sim_fs_walk_req as_write = f->req;
    bool writable, ok;

    /* whether the same request may write, from the rights of the walk */
    as_write.write = true;
    writable = sim_fs_access_fault(&as_write, res.rw, res.user) ==
               SIM_FAULT_NONE;
    ok = ret == SIM_FAULT_NONE && res.fault == SIM_FAULT_NONE &&
         res.fault_level == 0 && res.gpa == want_gpa &&
         res.page_size == want_size && writable == want_writable;

    if (!tap_ok(ok, "%s", what)) {
        tap_diag("got %s level %llu gpa 0x%llx size 0x%llx writable %d",
                 sim_fault_name(ret), (unsigned long long)res.fault_level,
                 (unsigned long long)res.gpa,
                 (unsigned long long)res.page_size, writable);
        tap_diag("want gpa 0x%llx size 0x%llx writable %d",
                 (unsigned long long)want_gpa,
                 (unsigned long long)want_size, want_writable);
    }
    return ok;
}

static void teardown(struct fixture *f)
{
    free(f->mem);
}

static void test_translations(void)
{
    struct fixture f;

    f = setup(4, 0x7f1234567abcULL, 0xabcde000, 4 * KiB, PTE_TABLE);
    check_translation(&f, 0xabcdeabc, 4 * KiB, true,
                      "4-level walk to a 4K page translates and keeps the offset");
    teardown(&f);

    f = setup(5, 0x00f0123456789abcULL, 0x123456000, 4 * KiB, PTE_TABLE);
    check_translation(&f, 0x123456abc, 4 * KiB, true,
                      "5-level walk to a 4K page above 48 bits translates");
    teardown(&f);

    f = setup(4, 0x40123456, 0x80000000, 2 * MiB, PTE_TABLE);
    check_translation(&f, 0x80123456, 2 * MiB, true,
                      "2M leaf (PS at PDE) keeps the 21-bit offset");
    teardown(&f);

    f = setup(4, 0x123456789ULL, 0x240000000ULL, GiB, PTE_TABLE);
    check_translation(&f, 0x263456789ULL, GiB, true,
                      "1G leaf (PS at PDPE) keeps the 30-bit offset");
    teardown(&f);

    f = setup(5, 0x00ff0000abcdef12ULL, 0x7c0000000ULL, GiB, PTE_TABLE);
    check_translation(&f, 0x7ebcdef12ULL, GiB, true,
                      "5-level walk to a 1G leaf translates");
    teardown(&f);

    f = setup(4, 0xffff800000001234ULL, 0x5000, 4 * KiB, PTE_TABLE);
    check_translation(&f, 0x5234, 4 * KiB, true,
                      "canonical upper-half iova translates via PML4 index 256");
    teardown(&f);

    f = setup(4, 0x2000, 0x9000, 4 * KiB, PTE_TABLE | PTE_XD | (0x7ffULL << 52));
    check_translation(&f, 0x9000, 4 * KiB, true,
                      "XD and ignored bits 62:52 are accepted and not part of the address");
    teardown(&f);

    f = setup(4, 0x3000, 0xa000, 4 * KiB, PTE_TABLE | PTE_PS);
    check_translation(&f, 0xa000, 4 * KiB, true,
                      "bit 7 in a PTE is PAT, not a page size");
    teardown(&f);

    f = setup(4, 0x600000, 0xc00000, 2 * MiB, PTE_TABLE | PTE_LARGE_PAT);
    check_translation(&f, 0xc00000, 2 * MiB, true,
                      "PAT (bit 12) in a 2M leaf is legal and not part of the address");
    teardown(&f);
}

static void test_not_present(void)
{
    for (unsigned levels = 4; levels <= 5; levels++) {
        for (unsigned level = levels; level >= 1; level--) {
            struct fixture f = setup(levels, 0x12345678000ULL, 0x1000,
                                     4 * KiB, PTE_TABLE);
            char what[80];

            *fixture_pte(&f, level) &= ~PTE_P;
            snprintf(what, sizeof(what),
                     "%u-level walk: P=0 at level %u => FS_NOT_PRESENT there",
                     levels, level);
            check_fault(&f, SIM_FAULT_FS_NOT_PRESENT, level, what);
            tap_ok(f.mem->reads == levels - level + 1,
                      "%u-level walk stops reading at not-present level %u",
                      levels, level);
            teardown(&f);
        }
    }
}

static void test_permissions(void)
{
    struct fixture f;

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_P | PTE_US);
    f.req.write = true;
    check_fault(&f, SIM_FAULT_FS_WRITE, 1, "user write to R/W=0 leaf => FS_WRITE at level 1");
    f.req.write = false;
    check_translation(&f, 0x8000, 4 * KiB, false,
                      "user read of R/W=0 leaf succeeds, reported not writable");
    teardown(&f);

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_TABLE);
    *fixture_pte(&f, 3) &= ~PTE_RW;
    f.req.write = true;
    check_fault(&f, SIM_FAULT_FS_WRITE, 3,
                "R/W=0 in a non-leaf PDPE makes the page read-only (FS_WRITE at level 3)");
    teardown(&f);

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_P | PTE_RW);
    check_fault(&f, SIM_FAULT_FS_PRIV, 1, "user read of U/S=0 leaf => FS_PRIV at level 1");
    teardown(&f);

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_TABLE);
    *fixture_pte(&f, 4) &= ~(PTE_US | PTE_RW);
    f.req.write = true;
    check_fault(&f, SIM_FAULT_FS_PRIV, 4,
                "U/S=0 in PML4 => FS_PRIV at level 4, reported before R/W");
    teardown(&f);

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_P | PTE_RW);
    f.req.supervisor = true;
    check_fault(&f, SIM_FAULT_FS_PRIV, 0, "supervisor request without SRE => FS_PRIV");
    tap_ok(f.mem->reads == 0, "supervisor request without SRE reads no table");
    f.req.vtd_flags = IOMMU_VTD_S1_SRE;
    check_translation(&f, 0x8000, 4 * KiB, true,
                      "supervisor request with SRE may access a U/S=0 page");
    teardown(&f);

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_P | PTE_US);
    f.req.supervisor = true;
    f.req.write = true;
    f.req.vtd_flags = IOMMU_VTD_S1_SRE;
    check_translation(&f, 0x8000, 4 * KiB, true,
                      "without WPE a supervisor write to R/W=0 succeeds");
    f.req.vtd_flags = IOMMU_VTD_S1_SRE | IOMMU_VTD_S1_WPE;
    check_fault(&f, SIM_FAULT_FS_WRITE, 1,
                "with WPE a supervisor write to R/W=0 => FS_WRITE");
    f.req.write = false;
    check_translation(&f, 0x8000, 4 * KiB, false,
                      "with WPE a supervisor read of R/W=0 succeeds, not writable");
    teardown(&f);
}

static void test_reserved(void)
{
    struct fixture f;

    f = setup(4, 0x5000, 0x1000, 4 * KiB, PTE_TABLE);
    *fixture_pte(&f, 4) |= PTE_PS;
    check_fault(&f, SIM_FAULT_FS_RSVD, 4, "PS=1 in a PML4E => FS_RSVD at level 4");
    teardown(&f);

    f = setup(5, 0x5000, 0x1000, 4 * KiB, PTE_TABLE);
    *fixture_pte(&f, 5) |= PTE_PS;
    check_fault(&f, SIM_FAULT_FS_RSVD, 5, "PS=1 in a PML5E => FS_RSVD at level 5");
    teardown(&f);

    f = setup(4, 0x400000, 0x800000, 2 * MiB, PTE_TABLE);
    *fixture_pte(&f, 2) |= 1ULL << 13;
    check_fault(&f, SIM_FAULT_FS_RSVD, 2, "bit 13 in a 2M leaf => FS_RSVD at level 2");
    teardown(&f);

    f = setup(4, 0x400000, 0x800000, 2 * MiB, PTE_TABLE);
    *fixture_pte(&f, 2) |= 1ULL << 20;
    check_fault(&f, SIM_FAULT_FS_RSVD, 2, "bit 20 in a 2M leaf => FS_RSVD at level 2");
    teardown(&f);

    f = setup(4, 0x40000000, 0x80000000, GiB, PTE_TABLE);
    *fixture_pte(&f, 3) |= 1ULL << 29;
    check_fault(&f, SIM_FAULT_FS_RSVD, 3, "bit 29 in a 1G leaf => FS_RSVD at level 3");
    teardown(&f);

    f = setup(4, 0x40000000, 0x80000000, GiB, PTE_TABLE);
    f.req.fs1gp = false;
    check_fault(&f, SIM_FAULT_FS_RSVD, 3,
                "PS=1 in a PDPE without CAP.FS1GP => FS_RSVD at level 3");
    teardown(&f);

    f = setup(4, 0x400000, 0x800000, 2 * MiB, PTE_TABLE);
    f.req.fs1gp = false;
    check_translation(&f, 0x800000, 2 * MiB, true,
                      "without CAP.FS1GP a 2M leaf still translates");
    teardown(&f);

    f = setup(4, 0x40000000, 0x80000000, GiB, PTE_TABLE);
    *fixture_pte(&f, 4) &= ~PTE_US;
    *fixture_pte(&f, 3) |= 1ULL << 21;
    check_fault(&f, SIM_FAULT_FS_RSVD, 3,
                "a reserved bit wins over a permission fault found higher up");
    teardown(&f);
}

static void test_non_canonical(void)
{
    static const struct {
        unsigned levels;
        uint64_t iova;
        const char *what;
    } cases[] = {
        { 4, 1ULL << 48, "4-level: iova with bit 48 set => FS_NON_CANONICAL" },
        { 4, 1ULL << 47, "4-level: bit 47 set without sign extension => FS_NON_CANONICAL" },
        { 4, 0xfffe000000000000ULL, "4-level: upper bits set, bit 47 clear => FS_NON_CANONICAL" },
        { 5, 1ULL << 57, "5-level: iova with bit 57 set => FS_NON_CANONICAL" },
        { 5, 1ULL << 56, "5-level: bit 56 set without sign extension => FS_NON_CANONICAL" },
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct fixture f = setup(cases[i].levels, 0, 0x1000, 4 * KiB, PTE_TABLE);

        f.req.iova = cases[i].iova;
        check_fault(&f, SIM_FAULT_FS_NON_CANONICAL, 0, cases[i].what);
        tap_ok(f.mem->reads == 0, "non-canonical iova is rejected before any table read");
        teardown(&f);
    }
}

static void test_stage2(void)
{
    struct fixture f;

    f = setup(4, 0x6000, 0x1000, 4 * KiB, PTE_TABLE);
    mem_set_access(f.mem, f.req.pgtbl_addr, S2_UNMAPPED);
    check_fault(&f, SIM_FAULT_S2_MISS, 4, "root table unmapped in stage 2 => S2_MISS at level 4");
    teardown(&f);

    f = setup(4, 0x6000, 0x1000, 4 * KiB, PTE_TABLE);
    mem_set_access(f.mem, *fixture_pte(&f, 2) & PTE_ADDR_MASK, S2_UNMAPPED);
    check_fault(&f, SIM_FAULT_S2_MISS, 1, "page table unmapped in stage 2 => S2_MISS at level 1");
    teardown(&f);

    f = setup(4, 0x6000, 0x1000, 4 * KiB, PTE_TABLE);
    *fixture_pte(&f, 2) = 0x7ff00000ULL | PTE_TABLE;
    check_fault(&f, SIM_FAULT_S2_MISS, 1,
                "table address outside guest memory => S2_MISS at the level read");
    teardown(&f);
}

static bool level_has(struct fixture *f, unsigned level, uint64_t bits)
{
    return (*fixture_pte(f, level) & bits) == bits;
}

static void test_accessed_dirty(void)
{
    struct fixture f;
    struct sim_fs_walk_result res;
    struct guest_mem *before;
    bool all;

    f = setup(4, 0x7000, 0x1000, 4 * KiB, PTE_TABLE);
    walk(&f, &res);
    all = true;
    for (unsigned l = 4; l >= 1; l--) {
        all = all && level_has(&f, l, PTE_A) && !level_has(&f, l, PTE_D) &&
              !level_has(&f, l, PTE_EA);
    }
    tap_ok(all, "read sets A at every level, D and EA nowhere");

    f.req.write = true;
    walk(&f, &res);
    all = level_has(&f, 1, PTE_D);
    for (unsigned l = 4; l >= 2; l--) {
        all = all && !level_has(&f, l, PTE_D);
    }
    tap_ok(all, "write sets D in the leaf only");
    tap_ok(f.mem->writes == 1, "entries already marked are not rewritten");
    teardown(&f);

    f = setup(4, 0x200000, 0x400000, 2 * MiB, PTE_TABLE);
    f.req.write = true;
    f.req.vtd_flags = IOMMU_VTD_S1_EAFE;
    walk(&f, &res);
    all = level_has(&f, 2, PTE_D);
    for (unsigned l = 4; l >= 2; l--) {
        all = all && level_has(&f, l, PTE_A | PTE_EA);
    }
    tap_ok(all, "with EAFE a write to a 2M leaf sets A and EA everywhere, D in the leaf");
    teardown(&f);

    f = setup(4, 0x7000, 0x1000, 4 * KiB, PTE_TABLE);
    before = mem_new();
    *before = *f.mem;
    f.req.write = true;
    tap_ok(sim_fs_walk(&f.req, mem_read64, NULL, f.mem, &res) == SIM_FAULT_NONE &&
              memcmp(before->words, f.mem->words, sizeof(before->words)) == 0,
              "write64 == NULL translates and leaves the tables unchanged");
    free(before);
    teardown(&f);

    f = setup(4, 0x7000, 0x1000, 4 * KiB, PTE_P | PTE_US);
    f.req.write = true;
    tap_ok(walk(&f, &res) == SIM_FAULT_FS_WRITE && f.mem->writes == 0,
              "a faulting walk writes no A/D bits");
    teardown(&f);

    f = setup(4, 0x7000, 0x1000, 4 * KiB, PTE_TABLE);
    mem_set_access(f.mem, f.req.pgtbl_addr, S2_RO);
    for (unsigned l = 4; l >= 2; l--) {
        mem_set_access(f.mem, *fixture_pte(&f, l) & PTE_ADDR_MASK, S2_RO);
    }
    check_fault(&f, SIM_FAULT_S2_PERM, 4,
                "A update to a stage-2 read-only table => S2_PERM at level 4");
    for (unsigned l = 4; l >= 1; l--) {
        *fixture_pte(&f, l) |= PTE_A;
    }
    check_translation(&f, 0x1000, 4 * KiB, true,
                      "read-only tables with A already set translate without writing");
    teardown(&f);
}

/* Whether pse is what a cache keeps of the level-@level entry of f's walk. */
static bool pse_is(struct fixture *f, const struct sim_fs_pse *pse,
                   unsigned level, unsigned us_denied, unsigned rw_denied)
{
    uint64_t table = *fixture_pte(f, level) & PTE_ADDR_MASK;

    if (pse->level != level || pse->table != table ||
        pse->us_denied_level != us_denied ||
        pse->rw_denied_level != rw_denied) {
        tap_diag("pse level %u table 0x%llx us %u rw %u, want %u 0x%llx %u %u",
                 pse->level, (unsigned long long)pse->table,
                 pse->us_denied_level, pse->rw_denied_level, level,
                 (unsigned long long)table, us_denied, rw_denied);
        return false;
    }
    return true;
}

static void test_pses(void)
{
    struct sim_fs_walk_result res;
    struct fixture f;

    f = setup(4, 0x7f1234567000ULL, 0x1000, 4 * KiB, PTE_TABLE);
    tap_ok(walk(&f, &res) == SIM_FAULT_NONE && res.num_pses == 3 &&
           pse_is(&f, &res.pses[0], 4, 0, 0) &&
           pse_is(&f, &res.pses[1], 3, 0, 0) &&
           pse_is(&f, &res.pses[2], 2, 0, 0),
           "a 4-level walk to a 4K page reports PML4E, PDPTE and PDE");
    teardown(&f);

    f = setup(5, 0x00f0123456600000ULL, 0x200000, 2 * MiB, PTE_TABLE);
    tap_ok(walk(&f, &res) == SIM_FAULT_NONE && res.num_pses == 3 &&
           pse_is(&f, &res.pses[0], 5, 0, 0) &&
           pse_is(&f, &res.pses[1], 4, 0, 0) &&
           pse_is(&f, &res.pses[2], 3, 0, 0),
           "a 5-level walk to a 2M page reports PML5E, PML4E and PDPTE");
    teardown(&f);

    f = setup(4, 0x40000000, 0x80000000, GiB, PTE_TABLE);
    tap_ok(walk(&f, &res) == SIM_FAULT_NONE && res.num_pses == 1 &&
           pse_is(&f, &res.pses[0], 4, 0, 0),
           "a walk to a 1G page reports the PML4E only");
    teardown(&f);

    f = setup(4, 0x7000, 0x1000, 4 * KiB, PTE_TABLE);
    *fixture_pte(&f, 4) &= ~PTE_RW;
    *fixture_pte(&f, 3) &= ~PTE_RW;
    tap_ok(walk(&f, &res) == SIM_FAULT_NONE && res.num_pses == 3 &&
           pse_is(&f, &res.pses[0], 4, 0, 4) &&
           pse_is(&f, &res.pses[1], 3, 0, 4) &&
           pse_is(&f, &res.pses[2], 2, 0, 4),
           "each entry keeps the rights of the walk down to it: R/W=0 "
           "in the PML4E and PDPTE denies from level 4");
    *fixture_pte(&f, 1) &= ~PTE_P;
    tap_ok(walk(&f, &res) == SIM_FAULT_FS_NOT_PRESENT && res.num_pses == 0,
           "a faulting walk reports no entry to cache");
    teardown(&f);
}

static void test_resume(void)
{
    struct sim_fs_walk_result res;
    struct sim_fs_pse pse;
    struct fixture f;
    bool no_upper_a = true;

    f = setup(4, 0x7f1234567abcULL, 0xabcde000, 4 * KiB, PTE_TABLE);
    pse = (struct sim_fs_pse) {
        .level = 2, .table = *fixture_pte(&f, 2) & PTE_ADDR_MASK,
    };
    *fixture_pte(&f, 4) &= ~PTE_P;
    f.req.start = &pse;
    tap_ok(walk(&f, &res) == SIM_FAULT_NONE && res.gpa == 0xabcdeabc &&
           f.mem->reads == 1 && res.num_pses == 0,
           "a walk from a PDE reads the PTE only: a not-present PML4E "
           "goes unseen");
    for (unsigned l = 3; l >= 2; l--) {
        no_upper_a = no_upper_a && !level_has(&f, l, PTE_A);
    }
    tap_ok(level_has(&f, 1, PTE_A) && no_upper_a,
           "... and sets A in the PTE only");
    teardown(&f);

    f = setup(5, 0x00f0123456789abcULL, 0x123456000, 4 * KiB, PTE_TABLE);
    pse = (struct sim_fs_pse) {
        .level = 5, .table = *fixture_pte(&f, 5) & PTE_ADDR_MASK,
    };
    f.req.start = &pse;
    tap_ok(walk(&f, &res) == SIM_FAULT_NONE && res.gpa == 0x123456abc &&
           f.mem->reads == 4 && res.num_pses == 3 &&
           pse_is(&f, &res.pses[0], 4, 0, 0) &&
           pse_is(&f, &res.pses[2], 2, 0, 0),
           "a walk from a PML5E reads the four levels below and reports "
           "their non-leaf entries");
    teardown(&f);

    f = setup(4, 0x4000, 0x8000, 4 * KiB, PTE_TABLE);
    pse = (struct sim_fs_pse) {
        .level = 2, .table = *fixture_pte(&f, 2) & PTE_ADDR_MASK,
        .rw_denied_level = 4,
    };
    f.req.start = &pse;
    f.req.write = true;
    check_fault(&f, SIM_FAULT_FS_WRITE, 4,
                "R/W denied in the cached entry's walk: FS_WRITE at its level, "
                "though the tables allow writes");
    f.req.write = false;
    check_translation(&f, 0x8000, 4 * KiB, false,
                      "... and a read translates, not writable");
    pse.rw_denied_level = 0;
    pse.us_denied_level = 3;
    check_fault(&f, SIM_FAULT_FS_PRIV, 3,
                "U/S denied in the cached entry's walk: FS_PRIV at its level");
    pse.us_denied_level = 0;
    *fixture_pte(&f, 1) &= ~PTE_P;
    check_fault(&f, SIM_FAULT_FS_NOT_PRESENT, 1,
                "a fault below the cached entry names its own level");
    teardown(&f);
}

static void test_fault_names(void)
{
    static const struct {
        enum sim_fault fault;
        const char *name;
    } names[] = {
        { SIM_FAULT_NONE, "NONE" },
        { SIM_FAULT_BLOCKED, "BLOCKED" },
        { SIM_FAULT_FS_NOT_PRESENT, "FS_NOT_PRESENT" },
        { SIM_FAULT_FS_WRITE, "FS_WRITE" },
        { SIM_FAULT_FS_PRIV, "FS_PRIV" },
        { SIM_FAULT_FS_RSVD, "FS_RSVD" },
        { SIM_FAULT_FS_NON_CANONICAL, "FS_NON_CANONICAL" },
        { SIM_FAULT_S2_MISS, "S2_MISS" },
        { SIM_FAULT_S2_PERM, "S2_PERM" },
        { SIM_FAULT_PASID_ENTRY, "PASID_ENTRY" },
    };
    bool ok = true;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(sim_fault_name(names[i].fault), names[i].name) != 0) {
            tap_diag("fault %d named %s, want %s", names[i].fault,
                     sim_fault_name(names[i].fault), names[i].name);
            ok = false;
        }
    }
    tap_ok(ok, "sim_fault_name names every fault");
}

int main(void)
{
    test_translations();
    test_not_present();
    test_permissions();
    test_reserved();
    test_non_canonical();
    test_stage2();
    test_accessed_dirty();
    test_pses();
    test_resume();
    test_fault_names();
    return tap_done();
}
