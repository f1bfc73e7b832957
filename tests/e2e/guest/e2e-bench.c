/*
 * e2e-bench: the guest half of tests/e2e/bench.  Maps and unmaps buffers of
 * several sizes for the simulated device (iommufd-sim's DMA engine), one
 * DMA through each mapping before its unmap, and times the map and unmap
 * calls with clock_gettime.
 *
 * Two ways to give the device a buffer:
 *   vfio  VFIO type1v2 MAP_DMA/UNMAP_DMA (a guest with a vIOMMU); the
 *         device DMAs to the IOVA.
 *   phys  no IOMMU in the guest (Debian's 6.1 has no VFIO no-IOMMU mode):
 *         what a user-space driver does then -- pin (mlock) and look up the
 *         physical addresses (/proc/self/pagemap); unpin (munlock).  The
 *         device DMAs to the guest-physical address.  BAR0 through sysfs.
 *
 * The host simulator logs every call but has no clock, and the driver must
 * attribute host calls to guest operations: before and after each map and
 * unmap the guest sends a marker, a DMA to an IOVA that is never mapped
 * (it faults; the simulator logs it with its IOVA), which encodes the row,
 * the iteration and the step (MARK_* below).
 *
 * Buffers: "contiguous" sizes are the start of one 2 MiB hugetlb page
 * (hugepages= on the guest's command line); "scattered" sizes are 4 KiB
 * pages, no two physically adjacent (faulted in interleaved with a spacer
 * buffer; the output gives the number of physically contiguous runs).
 *
 * Output, over the console, one line per row and operation (ns):
 *   BENCH: row=NAME op=map|unmap n=N first=F min=M median=D runs=R
 * then "BENCH: done failures=N".  A failed DMA, map or unmap is printed as
 * "BENCH: FAIL ..." and ends the program with status 1.
 *
 * usage: e2e-bench BDF vfio|phys ITERATIONS [ROW,ROW...]
 *        (rows by name, in that order; default: all in rows[] order)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "sim-dma.h"

#define PAGE            4096ul
#define HUGE            (2ul << 20)
/* 2 MiB aligned, so a hugetlb page can be one superpage in the IOMMU. */
#define MAP_IOVA        0x100000000ull
/* Markers: MARK_IOVA + ((row << 16 | iteration << 2 | step) << 12), row
 * counted in the order the rows run (and print). */
#define MARK_IOVA       0x300000000ull
#define MARK_MAP        0 /* before the map */
#define MARK_MAPPED     1 /* after the map, before the DMA */
#define MARK_UNMAP      2 /* before the unmap */
#define MARK_UNMAPPED   3 /* after the unmap */
#define MAX_ITERS       (1 << 14)
#define XFER            64

struct row {
    const char *name;
    size_t size;
    int scattered;
    uint64_t iova_offset; /* from MAP_IOVA */
};

/*
 * 1M@64K: an IOVA aligned to 64 KiB only, as IOVA allocators hand out.
 * Its unmap's page-selective invalidation is not size-aligned, which a
 * first-stage (x-flts) guest driver handles differently (README.rst).
 */
static const struct row rows[] = {
    { "4K", 4 << 10, 0, 0 },
    { "64K", 64 << 10, 0, 0 },
    { "64K-scattered", 64 << 10, 1, 0 },
    { "1M", 1 << 20, 0, 0 },
    { "1M@64K", 1 << 20, 0, 64 << 10 },
    { "1M-scattered", 1 << 20, 1, 0 },
    { "2M", 2 << 20, 0, 0 },
    { "2M-scattered", 2 << 20, 1, 0 },
};

static int phys_mode;
static int container = -1, devfd = -1;
static uint64_t bar0_off;
static volatile uint32_t *bar0;      /* phys mode: BAR0 mmapped from sysfs */
static uint8_t pattern[XFER];

static void fail(const char *what)
{
    printf("BENCH: FAIL %s: %s\n", what, errno ? strerror(errno) : "");
    fflush(stdout);
    exit(1);
}

static uint32_t rd32(uint32_t reg)
{
    uint32_t v = ~0u;

    if (bar0) {
        return bar0[reg / 4];
    }
    if (pread(devfd, &v, 4, bar0_off + reg) != 4) {
        fail("BAR0 read");
    }
    return v;
}

static void wr32(uint32_t reg, uint32_t v)
{
    if (bar0) {
        bar0[reg / 4] = v;
    } else if (pwrite(devfd, &v, 4, bar0_off + reg) != 4) {
        fail("BAR0 write");
    }
}

/* One transfer from the device's DATA window to @addr; returns STATUS. */
static uint32_t dma(uint64_t addr, uint32_t len)
{
    wr32(REG_PASID, 0);
    wr32(REG_IOVA_LO, (uint32_t)addr);
    wr32(REG_IOVA_HI, (uint32_t)(addr >> 32));
    wr32(REG_LEN, len);
    wr32(REG_DIR, DIR_FROM_DEVICE);
    wr32(REG_MSIX_VECTOR, ~0u);
    wr32(REG_DOORBELL, 1);
    return rd32(REG_STATUS);
}

static void mark(unsigned row, unsigned iter, unsigned step)
{
    dma(MARK_IOVA + ((uint64_t)(row << 16 | iter << 2 | step) << 12), XFER);
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void open_vfio(const char *bdf)
{
    char path[PATH_MAX], link[PATH_MAX];
    struct vfio_region_info ri = { .argsz = sizeof(ri) };
    uint16_t cmd;
    uint64_t cfg;
    ssize_t n;
    int group;

    container = open("/dev/vfio/vfio", O_RDWR);
    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
    n = readlink(path, link, sizeof(link) - 1);
    if (container < 0 || n < 0) {
        fail("VFIO container or IOMMU group");
    }
    link[n] = 0;
    snprintf(path, sizeof(path), "/dev/vfio/%s", strrchr(link, '/') + 1);
    group = open(path, O_RDWR);
    if (group < 0 || ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
        ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
        fail("VFIO group/type1v2");
    }
    devfd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
    ri.index = VFIO_PCI_BAR0_REGION_INDEX;
    if (devfd < 0 || ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &ri)) {
        fail("VFIO device BAR0");
    }
    bar0_off = ri.offset;
    ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
    if (ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &ri)) {
        fail("VFIO device config");
    }
    cfg = ri.offset;
    /* Memory decode and bus mastering. */
    if (pread(devfd, &cmd, 2, cfg + 4) != 2) {
        fail("config read");
    }
    cmd |= 0x6;
    if (pwrite(devfd, &cmd, 2, cfg + 4) != 2) {
        fail("config write");
    }
}

/* No driver bound: config space and BAR0 through sysfs. */
static void open_phys(const char *bdf)
{
    char path[PATH_MAX];
    uint16_t cmd;
    int fd;

    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
    fd = open(path, O_RDWR);
    if (fd < 0 || pread(fd, &cmd, 2, 4) != 2) {
        fail("sysfs config read");
    }
    cmd |= 0x6;
    if (pwrite(fd, &cmd, 2, 4) != 2) {
        fail("sysfs config write");
    }
    close(fd);
    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
    fd = open(path, O_RDWR | O_SYNC);
    bar0 = fd < 0 ? MAP_FAILED :
        mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (bar0 == MAP_FAILED) {
        fail("sysfs resource0 mmap");
    }
}

static int pagemap_fd = -1;

/* Guest-physical addresses of the @n pages at @p (one pread, as a driver
 * without an IOMMU does); returns that of the last. */
static uint64_t lookup_phys(const uint8_t *p, size_t n)
{
    static uint64_t ent[HUGE / PAGE];
    size_t i;

    if (pread(pagemap_fd, ent, n * 8, (uintptr_t)p / PAGE * 8) !=
        (ssize_t)(n * 8)) {
        fail("pagemap");
    }
    for (i = 0; i < n; i++) {
        if (!(ent[i] & (1ull << 63))) {
            errno = EFAULT;
            fail("pagemap: page not present");
        }
    }
    return (ent[n - 1] & ((1ull << 55) - 1)) * PAGE;
}

/* Physically contiguous runs in @n pages at @p. */
static unsigned runs(const uint8_t *p, size_t n)
{
    uint64_t prev = 0, pa;
    unsigned r = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        pa = lookup_phys(p + i * PAGE, 1);
        r += !i || pa != prev + PAGE;
        prev = pa;
    }
    return r;
}

/* Gives the device @buf; returns the address to DMA to for its last XFER
 * bytes. */
static uint64_t do_map(uint8_t *buf, size_t size, uint64_t iova)
{
    struct vfio_iommu_type1_dma_map map = {
        .argsz = sizeof(map), .vaddr = (uintptr_t)buf, .iova = iova,
        .size = size,
        .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
    };

    if (phys_mode) {
        if (mlock(buf, size)) {
            fail("mlock");
        }
        return lookup_phys(buf, size / PAGE) + PAGE - XFER;
    }
    if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
        fail("VFIO_IOMMU_MAP_DMA");
    }
    return iova + size - XFER;
}

static void do_unmap(uint8_t *buf, size_t size, uint64_t iova)
{
    struct vfio_iommu_type1_dma_unmap unmap = {
        .argsz = sizeof(unmap), .iova = iova, .size = size,
    };

    if (phys_mode) {
        if (munlock(buf, size)) {
            fail("munlock");
        }
    } else if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ||
               unmap.size != size) {
        fail("VFIO_IOMMU_UNMAP_DMA");
    }
}

/* The rows to run, in order: indexes into rows[]. */
static unsigned select_rows(const char *list, unsigned *order)
{
    unsigned n = 0, r;
    char buf[256], *tok, *save;

    if (!list) {
        for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
            order[n++] = r;
        }
        return n;
    }
    snprintf(buf, sizeof(buf), "%s", list);
    for (tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        for (r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
            if (!strcmp(tok, rows[r].name)) {
                break;
            }
        }
        if (r == sizeof(rows) / sizeof(rows[0]) || n == sizeof(rows) / sizeof(rows[0])) {
            errno = EINVAL;
            fail(tok);
        }
        order[n++] = r;
    }
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static void report(const struct row *r, const char *op, uint64_t *t,
                   unsigned n, unsigned nruns)
{
    uint64_t first = t[0];

    qsort(t, n, sizeof(*t), cmp_u64);
    printf("BENCH: row=%s op=%s n=%u first=%" PRIu64 " min=%" PRIu64
           " median=%" PRIu64 " runs=%u\n", r->name, op, n, first, t[0],
           t[n / 2], nruns);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static uint64_t t_map[MAX_ITERS], t_unmap[MAX_ITERS];
    uint8_t *contig, *scat, *spacer, *buf;
    unsigned order[sizeof(rows) / sizeof(rows[0])];
    unsigned iters, i, r, k, nrows, nruns;
    uint64_t t0, addr, iova;
    uint32_t st;

    if (argc < 4 || argc > 5 ||
        (strcmp(argv[2], "vfio") && strcmp(argv[2], "phys")) ||
        !(iters = atoi(argv[3])) || iters > MAX_ITERS) {
        fprintf(stderr, "usage: %s BDF vfio|phys ITERATIONS [ROWS]\n",
                argv[0]);
        return 2;
    }
    phys_mode = !strcmp(argv[2], "phys");
    if (phys_mode) {
        open_phys(argv[1]);
    } else {
        open_vfio(argv[1]);
    }
    if (rd32(REG_ID) != SIM_ID) {
        errno = ENODEV;
        fail("BAR0 ID");
    }
    pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
    if (pagemap_fd < 0) {
        fail("/proc/self/pagemap");
    }
    for (i = 0; i < XFER; i++) {
        pattern[i] = (uint8_t)(0x5a + i * 7);
    }
    for (i = 0; i < XFER; i += 4) {
        wr32(REG_DATA + i, *(uint32_t *)(pattern + i));
    }

    contig = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE,
                  -1, 0);
    if (contig == MAP_FAILED) {
        fail("hugetlb mmap (hugepages= on the command line?)");
    }
    /*
     * Scattered pages: no transparent huge page, and each page faulted in
     * between two pages of a spacer, so neighbours are rarely adjacent.
     */
    scat = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    spacer = mmap(NULL, HUGE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (scat == MAP_FAILED || spacer == MAP_FAILED ||
        madvise(scat, HUGE, MADV_NOHUGEPAGE) ||
        madvise(spacer, HUGE, MADV_NOHUGEPAGE)) {
        fail("mmap");
    }
    for (i = 0; i < HUGE / PAGE; i++) {
        scat[i * PAGE] = 1;
        spacer[i * PAGE] = 1;
    }
    memset(contig, 0, HUGE);

    nrows = select_rows(argc > 4 ? argv[4] : NULL, order);
    for (k = 0; k < nrows; k++) {
        r = order[k];
        buf = rows[r].scattered ? scat : contig;
        iova = MAP_IOVA + rows[r].iova_offset;
        nruns = runs(buf, rows[r].size / PAGE);
        for (i = 0; i < iters; i++) {
            uint8_t *last = buf + rows[r].size - XFER;

            mark(k, i, MARK_MAP);
            t0 = now_ns();
            addr = do_map(buf, rows[r].size, iova);
            t_map[i] = now_ns() - t0;
            mark(k, i, MARK_MAPPED);

            memset(last, 0, XFER);
            st = dma(addr, XFER);
            if (st != STATUS_DONE || memcmp(last, pattern, XFER)) {
                printf("BENCH: FAIL dma row=%s iteration=%u addr=0x%" PRIx64
                       " status=0x%x\n", rows[r].name, i, addr, st);
                return 1;
            }

            mark(k, i, MARK_UNMAP);
            t0 = now_ns();
            do_unmap(buf, rows[r].size, iova);
            t_unmap[i] = now_ns() - t0;
            mark(k, i, MARK_UNMAPPED);
        }
        report(&rows[r], "map", t_map, iters, nruns);
        report(&rows[r], "unmap", t_unmap, iters, nruns);
    }
    printf("BENCH: done failures=0\n");
    fflush(stdout);
    return 0;
}
