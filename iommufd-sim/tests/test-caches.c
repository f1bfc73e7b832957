/*
 * iommufd-sim tests: the first-stage caches as a device sees them
 *
 * A guest changes non-leaf first-stage entries and invalidates (or not);
 * DMA through a nested HWPT shows which table the simulated IOMMU walked.
 * Every data page holds its own byte, so the byte read names the page.
 *
 * Run twice (meson.build): with the default caches, where a cached
 * paging-structure entry outlives a leaf-only invalidation as VT-d allows,
 * and with IOMMUFD_SIM_CACHE=minimal, where only the IOTLB caches and the
 * new table is always seen.  stale(old, new) gives what each mode must
 * show.  Privileged requests are checked here too, against rights
 * cached by another kind of request.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dma_engine.h"
#include "sim-helpers.h"
#include "tap.h"
#include "vtd_fs_walk.h"

#define RAM_PAGES   256
#define GPA_BASE    0x100000ULL
#define PAGE        4096ULL
#define P_RW_US     0x7ULL          /* present, writable, user */
#define PTE_P       0x1ULL
#define PTE_RW      0x2ULL
#define PTE_US      0x4ULL
#define ADDR_MASK   0x000ffffffffff000ULL
#define LEAF        IOMMU_VTD_INV_FLAGS_LEAF

static uint8_t *ram;
static unsigned next_page;
static int fd, devfd;
static uint32_t dev, parent;
static bool architectural;

/* Data pages: the byte each holds. */
static uint64_t page_a, page_a2, page_b, page_b2, page_c;

static uint64_t alloc_page(void)
{
    if (next_page == RAM_PAGES) {
        abort();
    }
    return GPA_BASE + next_page++ * PAGE;
}

static uint64_t data_page(uint8_t byte)
{
    uint64_t gpa = alloc_page();

    memset(ram + (gpa - GPA_BASE), byte, PAGE);
    return gpa;
}

static uint64_t *table(uint64_t gpa)
{
    return (uint64_t *)(ram + (gpa - GPA_BASE));
}

/* log2 of what one entry of @level translates: 4K, 2M, 1G, 512G, 256T. */
static unsigned shift(unsigned level)
{
    return 12 + 9 * (level - 1);
}

static uint64_t *entry(uint64_t tbl, uint64_t iova, unsigned level)
{
    return &table(tbl)[(iova >> shift(level)) & 511];
}

/* The level-@level entry for iova, found by following the tables. */
static uint64_t *entry_of(uint64_t root, unsigned levels, uint64_t iova,
                          unsigned level)
{
    uint64_t tbl = root;

    for (unsigned l = levels; l > level; l--) {
        tbl = *entry(tbl, iova, l) & ADDR_MASK;
    }
    return entry(tbl, iova, level);
}

/* Maps the 4K page at iova below tbl, a table of @level, adding tables. */
static void map(uint64_t tbl, unsigned level, uint64_t iova, uint64_t page)
{
    for (unsigned l = level; l > 1; l--) {
        uint64_t *e = entry(tbl, iova, l);

        if (!(*e & PTE_P)) {
            *e = alloc_page() | P_RW_US;
        }
        tbl = *e & ADDR_MASK;
    }
    *entry(tbl, iova, 1) = page | P_RW_US;
}

/* What the architectural caches must show, and what the minimal ones. */
static int stale(int old_value, int new_value)
{
    return architectural ? old_value : new_value;
}

/*
 * The byte a 16-byte read at iova sees, or minus the fault; @pasid 0 is
 * a request without PASID.
 */
static int seen(uint32_t pasid, uint64_t iova)
{
    uint32_t f = h_dma(devfd, pasid != 0, pasid, iova, 16,
                       SIM_DMA_DIR_TO_DEVICE);

    return f ? -(int)f : (int)(h_bar_read32(devfd, SIM_DMA_DATA_OFFSET) & 0xff);
}

static void expect_pasid(uint32_t pasid, uint64_t iova, int want,
                         const char *what)
{
    int got = seen(pasid, iova);

    if (!tap_ok(got == want, "%s", what)) {
        tap_diag("iova 0x%llx: got %d, want %d (bytes; a fault negated)",
                 (unsigned long long)iova, got, want);
    }
}

static void expect(uint64_t iova, int want, const char *what)
{
    expect_pasid(0, iova, want, what);
}

static void inv(uint32_t hwpt, uint64_t addr, uint64_t npages, uint32_t flags)
{
    if (h_invalidate_flags(fd, hwpt, addr, npages, flags)) {
        abort();
    }
}

/* A nested HWPT on a fresh table (so with empty caches), attached. */
static uint32_t nested_new(uint64_t *root, unsigned levels)
{
    uint32_t hwpt;

    *root = alloc_page();
    if (h_hwpt_nested(fd, dev, parent, 0, *root, levels == 5 ? 57 : 48,
                      &hwpt) || h_attach(devfd, hwpt, false, 0, NULL)) {
        abort();
    }
    return hwpt;
}

static void nested_free(uint32_t hwpt)
{
    h_detach(devfd, false, 0);
    h_destroy(fd, hwpt);
}

/*
 * The PDE of a cached walk is repointed to another page table; the old
 * one stays in memory and is changed too, so what the device reads tells
 * a stale IOTLB entry (0xaa) from a walk of the old table (0xcc) and from
 * a walk of the new one (0xbb).
 */
static void test_pde_repointed(void)
{
    uint64_t root, x = 0x40000000, old_pt, *pde;
    uint32_t hwpt = nested_new(&root, 4);

    map(root, 4, x, page_a);
    expect(x, 0xaa, "DMA through a 4-level table");
    pde = entry_of(root, 4, x, 2);
    old_pt = *pde & ADDR_MASK;
    *pde = alloc_page() | P_RW_US;
    map(*pde & ADDR_MASK, 1, x, page_b);
    *entry(old_pt, x, 1) = page_c | P_RW_US;
    expect(x, 0xaa, "no invalidation: the IOTLB entry is used");

    inv(hwpt, x, 1, LEAF);
    expect(x, stale(0xcc, 0xbb),
           "PDE repointed, leaf-only invalidation: the IOTLB entry is gone "
           "and the walk goes on from the cached PDE into the old table "
           "(minimal: the new table)");
    inv(hwpt, x, 1, 0);
    expect(x, 0xbb, "invalidation without the leaf hint: the new table");
    nested_free(hwpt);
}

/*
 * A walk to x caches the entries of each level; y shares x's entry of
 * @level but not the one below, so the deepest cached entry for y is
 * that one.  Repointing it, without any invalidation (y was never
 * translated), shows whether it was cached.
 */
static void test_level_cached(unsigned levels, unsigned level)
{
    uint64_t root, x = levels == 5 ? 1ULL << 48 : 1ULL << 39;
    uint64_t y = x + (1ULL << shift(level - 1)), *e;
    uint32_t hwpt = nested_new(&root, levels);
    char what[160];

    map(root, levels, x, page_a);
    map(root, levels, y, page_a2);
    expect(x, 0xaa, "DMA to x");
    e = entry_of(root, levels, x, level);
    *e = alloc_page() | P_RW_US;
    map(*e & ADDR_MASK, level - 1, y, page_b2);

    snprintf(what, sizeof(what), "%u-level: the level-%u entry of x's walk "
             "is cached and serves y after it is repointed (minimal: the "
             "new table)", levels, level);
    expect(y, stale(0xa2, 0xb2), what);
    inv(hwpt, y, 1, LEAF);
    snprintf(what, sizeof(what), "%u-level: ... and survives a leaf-only "
             "invalidation of y", levels);
    expect(y, stale(0xa2, 0xb2), what);
    inv(hwpt, y, 1, 0);
    snprintf(what, sizeof(what), "%u-level: ... not one without the hint",
             levels);
    expect(y, 0xb2, what);
    nested_free(hwpt);
}

/*
 * Page-selective invalidation without the hint drops the cached entries
 * whose region overlaps the range, and only those: the PDE of another
 * 2M region survives.  Each check first drops y's IOTLB entry with a
 * leaf-only invalidation, so the walk, not the IOTLB, is what is seen.
 */
static void test_page_selective(void)
{
    uint64_t root, x = 0x40000000, y = x + 0x200000, *pde_y;
    uint32_t hwpt = nested_new(&root, 4);

    map(root, 4, x, page_a);
    map(root, 4, y, page_a2);
    expect(x, 0xaa, "DMA to x");
    expect(y, 0xa2, "DMA to y, in the next 2M region");
    pde_y = entry_of(root, 4, y, 2);
    *pde_y = alloc_page() | P_RW_US;
    map(*pde_y & ADDR_MASK, 1, y, page_b2);

    inv(hwpt, y, 1, LEAF);
    inv(hwpt, x, 1, 0);
    expect(y, stale(0xa2, 0xb2),
           "invalidating x without the hint keeps the PDE of y's region");
    inv(hwpt, y, 1, LEAF);
    inv(hwpt, y - PAGE, 1, 0);
    inv(hwpt, y + 0x200000, 1, 0);
    expect(y, stale(0xa2, 0xb2),
           "... so do the last page before y's region and the first after");
    inv(hwpt, y - PAGE, 2, 0);
    expect(y, 0xb2, "a range reaching into y's region drops its PDE");
    nested_free(hwpt);
}

/* npages U64_MAX, or a range that wraps, drops every cached entry. */
static void test_pasid_selective(void)
{
    static const struct {
        uint64_t addr, npages;
        uint32_t flags;
        const char *what;
    } cases[] = {
        { 0, UINT64_MAX, 0, "PASID-selective (npages U64_MAX) drops the "
          "cached PDE" },
        { 0, UINT64_MAX, LEAF, "PASID-selective drops it with the leaf "
          "hint too" },
        { 0xfffffffffffff000ULL, 2, 0, "a range that wraps drops it" },
    };
    uint64_t root, x = 0x40000000, pts[2], *pde;
    uint32_t hwpt = nested_new(&root, 4);

    map(root, 4, x, page_a);
    pde = entry_of(root, 4, x, 2);
    pts[0] = *pde & ADDR_MASK;
    pts[1] = alloc_page();
    map(pts[1], 1, x, page_b);
    expect(x, 0xaa, "DMA through the first page table");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t pt = pts[(i + 1) % 2];

        *pde = pt | P_RW_US;
        inv(hwpt, cases[i].addr, cases[i].npages, cases[i].flags);
        expect(x, pt == pts[0] ? 0xaa : 0xbb, cases[i].what);
    }
    nested_free(hwpt);
}

/*
 * A cached entry keeps the access rights of the walk down to it: changing
 * R/W or U/S in a non-leaf entry takes an invalidation without the hint.
 */
static void test_rights_cached(void)
{
    uint64_t root, x = 0x40000000;
    uint32_t hwpt = nested_new(&root, 4);

    map(root, 4, x, page_a);
    *entry_of(root, 4, x, 2) &= ~PTE_RW;
    expect(x, 0xaa, "read through a read-only PDE");
    *entry_of(root, 4, x, 2) |= PTE_RW;
    inv(hwpt, x, 1, LEAF);
    h_bar_write32(devfd, SIM_DMA_DATA_OFFSET, 0xaaaaaaaa);    /* as it was */
    tap_ok(h_dma(devfd, false, 0, x, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           (architectural ? SIM_FAULT_FS_WRITE : SIM_FAULT_NONE),
           "PDE made writable, leaf-only invalidation: a write still "
           "faults on the cached rights (minimal: succeeds)");
    inv(hwpt, x, 1, 0);
    tap_ok(h_dma(devfd, false, 0, x, 4, SIM_DMA_DIR_FROM_DEVICE) ==
           SIM_FAULT_NONE, "... and succeeds after a full invalidation");

    *entry_of(root, 4, x, 3) &= ~PTE_US;
    inv(hwpt, x, 1, LEAF);
    expect(x, stale(0xaa, -SIM_FAULT_FS_PRIV),
           "PDPTE made supervisor-only, leaf-only invalidation: the cached "
           "user right still reads (minimal: FS_PRIV)");
    inv(hwpt, x, 1, 0);
    expect(x, -SIM_FAULT_FS_PRIV, "... FS_PRIV after a full invalidation");
    nested_free(hwpt);
}

#define PRIV_PASID  1

/* A nested HWPT for PASIDs with the PASID entry's @s1_flags, attached */
static uint32_t nested_pasid_new(uint64_t root, uint32_t s1_flags)
{
    struct iommu_hwpt_vtd_s1 s1 = {
        .flags = s1_flags, .pgtbl_addr = root, .addr_width = 48,
    };
    struct iommu_hwpt_alloc cmd = {
        .size = sizeof(cmd), .flags = IOMMU_HWPT_ALLOC_PASID, .dev_id = dev,
        .pt_id = parent, .data_type = IOMMU_HWPT_DATA_VTD_S1,
        .data_len = sizeof(s1), .data_uptr = (uintptr_t)&s1,
    };

    if (ioctl(fd, IOMMU_HWPT_ALLOC, &cmd) ||
        h_attach(devfd, cmd.out_hwpt_id, true, PRIV_PASID, NULL)) {
        abort();
    }
    return cmd.out_hwpt_id;
}

/* A 4-byte DMA of PRIV_PASID, privileged or not: its fault */
static uint32_t pasid_dma(bool priv, uint64_t iova, uint32_t dir)
{
    h_bar_write32(devfd, SIM_DMA_REG_PASID, SIM_DMA_PASID_VALID | PRIV_PASID |
                  (priv ? SIM_DMA_PASID_PRIV : 0));
    h_bar_write32(devfd, SIM_DMA_REG_IOVA_LO, (uint32_t)iova);
    h_bar_write32(devfd, SIM_DMA_REG_IOVA_HI, iova >> 32);
    h_bar_write32(devfd, SIM_DMA_REG_LEN, 4);
    h_bar_write32(devfd, SIM_DMA_REG_DIR, dir);
    h_bar_write32(devfd, SIM_DMA_REG_DOORBELL, 1);
    return h_bar_read32(devfd, SIM_DMA_REG_FAULT_REASON);
}

/*
 * Privileged requests (a PASID with Privileged Mode): with SRE they
 * reach supervisor pages and, without WPE, write read-only ones.  A user
 * request that hits the IOTLB entry a privileged one left is checked
 * against the rights cached with it (VT-d 6.2.3), never inherits the
 * privileged request's.
 */
static void test_privileged(void)
{
    uint64_t root = alloc_page(), x = 0x40000000;
    uint32_t hwpt = nested_pasid_new(root, IOMMU_VTD_S1_SRE);
    uint32_t rd = SIM_DMA_DIR_TO_DEVICE, wr = SIM_DMA_DIR_FROM_DEVICE;

    map(root, 4, x, page_a);
    *entry_of(root, 4, x, 1) &= ~(PTE_US | PTE_RW);
    tap_ok(pasid_dma(true, x, rd) == SIM_FAULT_NONE &&
           h_bar_read32(devfd, SIM_DMA_DATA_OFFSET) == 0xaaaaaaaa,
           "SRE: a privileged read of a supervisor read-only page");
    tap_ok(pasid_dma(false, x, rd) == SIM_FAULT_FS_PRIV,
           "... a user read hitting its IOTLB entry faults FS_PRIV");
    h_bar_write32(devfd, SIM_DMA_DATA_OFFSET, 0xaaaaaaaa);     /* as it was */
    tap_ok(pasid_dma(true, x, wr) == SIM_FAULT_NONE,
           "without WPE a privileged write to the read-only page succeeds");
    tap_ok(pasid_dma(false, x, wr) == SIM_FAULT_FS_PRIV,
           "... a user write does not");
    *entry_of(root, 4, x, 1) |= PTE_US;
    inv(hwpt, x, 1, 0);
    tap_ok(pasid_dma(true, x, rd) == SIM_FAULT_NONE &&
           pasid_dma(false, x, wr) == SIM_FAULT_FS_WRITE,
           "user page, read-only: after a privileged read is cached, a "
           "user write faults FS_WRITE");
    h_detach(devfd, true, PRIV_PASID);
    h_destroy(fd, hwpt);

    hwpt = nested_pasid_new(root, IOMMU_VTD_S1_SRE | IOMMU_VTD_S1_WPE);
    tap_ok(pasid_dma(true, x, wr) == SIM_FAULT_FS_WRITE,
           "with WPE a privileged write to a read-only page faults");
    h_detach(devfd, true, PRIV_PASID);
    h_destroy(fd, hwpt);

    hwpt = nested_pasid_new(root, 0);
    tap_ok(pasid_dma(true, x, rd) == SIM_FAULT_FS_PRIV,
           "without SRE every privileged request faults FS_PRIV");
    h_detach(devfd, true, PRIV_PASID);
    h_destroy(fd, hwpt);
}

/*
 * Points the PDE of iova below root at a new page table mapping it to
 * @page, and maps it to page_c in the old one: a stale IOTLB entry shows
 * the page before, a walk from a stale PDE 0xcc, a fresh walk @page.
 */
static void repoint(uint64_t root, uint64_t iova, uint64_t page)
{
    uint64_t *pde = entry_of(root, 4, iova, 2);

    *entry(*pde & ADDR_MASK, iova, 1) = page_c | P_RW_US;
    *pde = alloc_page() | P_RW_US;
    map(*pde & ADDR_MASK, 1, iova, page);
}

/*
 * A nested HWPT leaving a RID or a PASID has its domain flushed
 * (intel_pasid_tear_down_entry(): a domain-selective IOTLB flush), so
 * attached again it walks the tables as they are.
 */
static void test_flush_on_detach(uint32_t ioas)
{
    uint64_t root, x = 0x40000000;
    uint32_t hwpt = nested_new(&root, 4), pasid_parent, bad, other;

    map(root, 4, x, page_a);
    expect(x, 0xaa, "DMA through a nested HWPT");
    repoint(root, x, page_b);
    h_attach(devfd, parent, false, 0, NULL);
    h_attach(devfd, hwpt, false, 0, NULL);
    expect(x, 0xbb, "device_block_translation(): the RID replaced away and "
           "back walks the new table");
    repoint(root, x, page_a);
    h_detach(devfd, false, 0);
    h_attach(devfd, hwpt, false, 0, NULL);
    expect(x, 0xaa, "... so does the RID detached and attached again");
    repoint(root, x, page_b);
    h_hwpt_nested(fd, dev, parent, 0, root, 39, &bad);
    TAP_ERRNO(h_attach(devfd, bad, false, 0, NULL), EINVAL,
              "replace into a nested HWPT the driver refuses");
    expect(x, 0xbb, "intel_nested_attach_dev(): it blocked, flushing the "
           "old domain, before refusing");
    h_destroy(fd, bad);
    nested_free(hwpt);

    /* The same through PASID 5, on HWPTs allocated for PASIDs. */
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT |
                 IOMMU_HWPT_ALLOC_PASID, &pasid_parent);
    h_attach(devfd, pasid_parent, false, 0, NULL);
    root = alloc_page();
    map(root, 4, x, page_a);
    h_hwpt_nested(fd, dev, pasid_parent, IOMMU_HWPT_ALLOC_PASID, root, 48,
                  &hwpt);
    h_hwpt_nested(fd, dev, pasid_parent, IOMMU_HWPT_ALLOC_PASID, root, 48,
                  &other);
    h_attach(devfd, hwpt, true, 5, NULL);
    expect_pasid(5, x, 0xaa, "DMA with PASID 5");
    repoint(root, x, page_b);
    h_detach(devfd, true, 5);
    h_attach(devfd, hwpt, true, 5, NULL);
    expect_pasid(5, x, 0xbb, "intel_iommu_remove_dev_pasid(): PASID 5 "
                 "detached and attached again walks the new table");
    repoint(root, x, page_a);
    h_attach(devfd, other, true, 5, NULL);
    h_attach(devfd, hwpt, true, 5, NULL);
    expect_pasid(5, x, 0xaa, "... so does PASID 5 replaced away and back");

    h_attach(devfd, hwpt, false, 0, NULL);
    expect(x, 0xaa, "the same HWPT on the RID too");
    repoint(root, x, page_b);
    h_detach(devfd, true, 5);
    expect(x, 0xbb, "leaving PASID 5 flushes its domain id: the RID, still "
           "attached, walks the new table");

    h_attach(devfd, pasid_parent, false, 0, NULL);
    h_attach(devfd, hwpt, true, 5, NULL);
    expect_pasid(5, x, 0xbb, "PASID 5 again");
    repoint(root, x, page_a);
    close(devfd);
    devfd = h_open_dev(0);
    if (devfd < 0 || h_bind(devfd, fd, &dev) || h_enable_device(devfd) ||
        h_attach(devfd, hwpt, false, 0, NULL)) {
        abort();
    }
    expect(x, 0xaa, "closing the device detached PASID 5, flushing the "
           "domain: bound again, the RID walks the new table");
    h_detach(devfd, false, 0);
    h_destroy(fd, other);
    h_destroy(fd, hwpt);
    h_destroy(fd, pasid_parent);
}

int main(void)
{
    const char *mode = getenv("IOMMUFD_SIM_CACHE");
    uint32_t ioas;

    architectural = !mode || strcmp(mode, "architectural") == 0;
    tap_diag("IOMMUFD_SIM_CACHE=%s", architectural ? "architectural" :
             "minimal");
    fd = h_open_iommufd();
    devfd = h_open_dev(0);
    ram = mmap(NULL, RAM_PAGES * PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fd < 0 || devfd < 0 || ram == MAP_FAILED ||
        h_bind(devfd, fd, &dev) || h_ioas_alloc(fd, &ioas) ||
        h_map(fd, ioas, ram, RAM_PAGES * PAGE, GPA_BASE, RW_FLAGS) ||
        h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent) ||
        h_enable_device(devfd)) {
        abort();
    }
    page_a = data_page(0xaa);
    page_a2 = data_page(0xa2);
    page_b = data_page(0xbb);
    page_b2 = data_page(0xb2);
    page_c = data_page(0xcc);

    test_pde_repointed();
    for (unsigned level = 2; level <= 4; level++) {
        test_level_cached(4, level);
    }
    for (unsigned level = 2; level <= 5; level++) {
        test_level_cached(5, level);
    }
    test_page_selective();
    test_pasid_selective();
    test_rights_cached();
    test_privileged();
    test_flush_on_detach(ioas);

    h_destroy(fd, parent);
    close(devfd);
    close(fd);
    munmap(ram, RAM_PAGES * PAGE);
    return tap_done();
}
