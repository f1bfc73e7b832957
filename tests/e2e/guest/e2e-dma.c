/*
 * e2e-dma: runs inside the test guest, as a VFIO user of the simulated
 * device (iommufd-sim's DMA engine, docs/iommufd-sim.rst).
 *
 * Linux 6.1 (Debian 12's guest kernel) has no VFIO device cdev, so this uses
 * the group/container API with the type1v2 IOMMU: the guest kernel programs
 * its VT-d page tables, and QEMU's vIOMMU turns them into host mappings
 * (shadowed IOAS_MAPs with caching-mode, nested HWPTs with x-flts).
 *
 * It prints one "E2E: <name> ok|FAIL <detail>" line per check, read by
 * tests/e2e/run.  Exit status: 0 when every check held.
 *
 * usage: e2e-dma BDF            (e.g. 0000:00:03.0)
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "sim-dma.h"

/*
 * IOVAs: well inside a 39-bit guest address width, away from the MSI window
 * (0xfee00000) that type1 reserves.  UNMAPPED_IOVA is never mapped.
 * tests/e2e/run looks for these values in the simulator log.
 */
#define MAPPED_IOVA     0x100000000ull
#define UNMAPPED_IOVA   0x200000000ull
#define READONLY_IOVA   0x300000000ull
#define STREAM_IOVA     0x400000000ull  /* unmapped under the stream */
#define MARKER_IOVA     0x500000000ull  /* the guest's "unmap returned" */
#define STREAM_PATTERN  0x76767676u
#define MARKER_BEFORE   0x4d4d4d4du
#define MARKER_AFTER    0x4e4e4e4eu
#define XFER            2048 /* the engine's maximum, the DATA window */

/* The guest-physical address of the (present, locked) page at @p */
static uint64_t phys_addr(const void *p)
{
    uint64_t ent = 0, vpn = (uintptr_t)p / 4096;
    int fd = open("/proc/self/pagemap", O_RDONLY);

    if (fd < 0 || pread(fd, &ent, 8, vpn * 8) != 8 ||
        !(ent & (1ull << 63)) || !(ent & ((1ull << 55) - 1))) {
        fprintf(stderr, "e2e-dma: no physical address for %p\n", p);
        exit(1);
    }
    close(fd);
    return (ent & ((1ull << 55) - 1)) * 4096;
}

static int devfd;
static uint64_t bar0_off, cfg_off;
static int failures;

static void result(int ok, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void result(int ok, const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("E2E: %s %s", name, ok ? "ok" : "FAIL");
    if (fmt && *fmt) {
        putchar(' ');
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
    }
    putchar('\n');
    fflush(stdout);
    failures += !ok;
}

static void die(const char *name, const char *what)
{
    result(0, name, "%s: %s", what, strerror(errno));
    exit(1);
}

static uint32_t rd32(uint32_t reg)
{
    uint32_t v = ~0u;

    if (pread(devfd, &v, 4, bar0_off + reg) != 4) {
        die("bar0", "pread");
    }
    return v;
}

static void wr32(uint32_t reg, uint32_t v)
{
    if (pwrite(devfd, &v, 4, bar0_off + reg) != 4) {
        die("bar0", "pwrite");
    }
}

/* Run one transfer; returns STATUS. */
static uint32_t dma(uint64_t iova, uint32_t len, uint32_t dir)
{
    wr32(REG_PASID, 0); /* no PASID: the RID's attachment */
    wr32(REG_IOVA_LO, (uint32_t)iova);
    wr32(REG_IOVA_HI, (uint32_t)(iova >> 32));
    wr32(REG_LEN, len);
    wr32(REG_DIR, dir);
    wr32(REG_MSIX_VECTOR, ~0u);
    wr32(REG_DOORBELL, 1);
    return rd32(REG_STATUS);
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7);
    }
}

static int vfio_open(const char *bdf)
{
    char path[PATH_MAX], link[PATH_MAX];
    struct vfio_group_status gs = { .argsz = sizeof(gs) };
    ssize_t n;
    int container, group;
    const char *g;

    container = open("/dev/vfio/vfio", O_RDWR);
    if (container < 0) {
        die("vfio-open", "/dev/vfio/vfio");
    }
    if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
        ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1) {
        die("vfio-open", "no VFIO API / type1v2");
    }
    snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
    n = readlink(path, link, sizeof(link) - 1);
    if (n < 0) {
        die("vfio-open", path);
    }
    link[n] = 0;
    g = strrchr(link, '/') + 1;
    snprintf(path, sizeof(path), "/dev/vfio/%s", g);
    group = open(path, O_RDWR);
    if (group < 0) {
        die("vfio-open", path);
    }
    if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs) ||
        !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
        errno = EBUSY;
        die("vfio-open", "group not viable");
    }
    if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
        ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)) {
        die("vfio-open", "SET_CONTAINER/SET_IOMMU");
    }
    devfd = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
    if (devfd < 0) {
        die("vfio-open", "GET_DEVICE_FD");
    }
    result(1, "vfio-open", "group %s type1v2", g);
    return container;
}

/* Let the device's free-running stream do @n more reads (bounded) */
static int stream_reads(uint32_t n)
{
    uint32_t from = rd32(REG_STREAM_SEQ);

    for (int i = 0; i < 2000; i++) {
        if (rd32(REG_STREAM_SEQ) - from >= n) {
            return 1;
        }
        usleep(1000);
    }
    return 0;
}

static void stream_slot(uint32_t slot, uint64_t iova)
{
    wr32(REG_STREAM_SLOT, slot);
    wr32(REG_STREAM_PASID, 0);
    wr32(REG_STREAM_IOVA_LO, (uint32_t)iova);
    wr32(REG_STREAM_IOVA_HI, (uint32_t)(iova >> 32));
}

/*
 * The device reads, on its own, a marker page and a page the guest then
 * unmaps.  Once the unmap has returned the guest changes the marker: a
 * device that sees the new marker must not reach the unmapped page any
 * more.  tests/e2e/run checks that in the simulator's DMA_STREAM
 * records; here only that the stream ran.
 */
static void dma_stream_unmap(int container)
{
    struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
    struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
    volatile uint32_t *victim, *marker;
    int ok;

    victim = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    marker = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (victim == MAP_FAILED || marker == MAP_FAILED) {
        die("dma-stream-unmap", "mmap");
    }
    victim[0] = STREAM_PATTERN;
    marker[0] = MARKER_BEFORE;
    map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
    map.size = 4096;
    map.vaddr = (uintptr_t)victim;
    map.iova = STREAM_IOVA;
    if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
        die("dma-stream-unmap", "VFIO_IOMMU_MAP_DMA");
    }
    map.vaddr = (uintptr_t)marker;
    map.iova = MARKER_IOVA;
    if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
        die("dma-stream-unmap", "VFIO_IOMMU_MAP_DMA marker");
    }
    stream_slot(0, MARKER_IOVA);
    stream_slot(1, STREAM_IOVA);
    wr32(REG_STREAM_CTL, 2 << 4 | 1);
    ok = stream_reads(100);
    unmap.iova = STREAM_IOVA;
    unmap.size = 4096;
    if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
        die("dma-stream-unmap", "VFIO_IOMMU_UNMAP_DMA");
    }
    marker[0] = MARKER_AFTER;
    ok &= stream_reads(100);
    wr32(REG_STREAM_CTL, 0);
    unmap.iova = MARKER_IOVA;
    if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
        die("dma-stream-unmap", "VFIO_IOMMU_UNMAP_DMA marker");
    }
    result(ok, "dma-stream-unmap", "stream at read %u",
           rd32(REG_STREAM_SEQ));
}

static uint64_t region_offset(uint32_t index, const char *name)
{
    struct vfio_region_info ri = { .argsz = sizeof(ri), .index = index };

    if (ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &ri) || !ri.size) {
        die("vfio-open", name);
    }
    return ri.offset;
}

int main(int argc, char **argv)
{
    struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
    struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
    uint8_t expect[XFER], got[XFER];
    uint16_t cmd;
    uint32_t st, reason;
    uint64_t faddr, trap_gpa;
    uint8_t *buf, *rbuf, *trap;
    int container;

    if (argc != 2) {
        fprintf(stderr, "usage: %s BDF\n", argv[0]);
        return 2;
    }
    container = vfio_open(argv[1]);
    bar0_off = region_offset(VFIO_PCI_BAR0_REGION_INDEX, "BAR0");
    cfg_off = region_offset(VFIO_PCI_CONFIG_REGION_INDEX, "config");

    /* Memory decode (BAR0 access) and bus mastering (DMA) on. */
    if (pread(devfd, &cmd, 2, cfg_off + 4) != 2) {
        die("vfio-open", "config read");
    }
    cmd |= 0x6;
    if (pwrite(devfd, &cmd, 2, cfg_off + 4) != 2) {
        die("vfio-open", "config write");
    }
    st = rd32(REG_ID);
    result(st == SIM_ID, "device-id", "BAR0 ID 0x%08x", st);

    /* The buffer the device writes into, mapped at MAPPED_IOVA. */
    buf = mmap(NULL, XFER, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        die("dma-mapped", "mmap");
    }
    memset(buf, 0, XFER);
    map.vaddr = (uintptr_t)buf;
    map.iova = MAPPED_IOVA;
    map.size = 4096;
    map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
    if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
        die("dma-mapped", "VFIO_IOMMU_MAP_DMA");
    }

    /* Device -> memory: the pattern put in DATA must land in buf. */
    fill(expect, XFER, 0x5a);
    if (pwrite(devfd, expect, XFER, bar0_off + REG_DATA) != XFER) {
        die("dma-mapped", "DATA write");
    }
    st = dma(MAPPED_IOVA, XFER, DIR_FROM_DEVICE);
    result(st == STATUS_DONE && !memcmp(buf, expect, XFER), "dma-mapped",
           "from_device iova=0x%llx len=%d status=0x%x",
           MAPPED_IOVA, XFER, st);

    /* Memory -> device: buf's new content must come back in DATA. */
    fill(buf, XFER, 0xa5);
    st = dma(MAPPED_IOVA, XFER, DIR_TO_DEVICE);
    if (pread(devfd, got, XFER, bar0_off + REG_DATA) != XFER) {
        die("dma-mapped-read", "DATA read");
    }
    result(st == STATUS_DONE && !memcmp(buf, got, XFER), "dma-mapped-read",
           "to_device iova=0x%llx len=%d status=0x%x",
           MAPPED_IOVA, XFER, st);

    /*
     * A read-only mapping (what a DMA_TO_DEVICE buffer of a driver gets):
     * the device reads it, and a write to it faults and changes nothing.
     */
    rbuf = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rbuf == MAP_FAILED) {
        die("dma-readonly-read", "mmap");
    }
    fill(rbuf, XFER, 0x6b);
    map.vaddr = (uintptr_t)rbuf;
    map.iova = READONLY_IOVA;
    map.size = 4096;
    map.flags = VFIO_DMA_MAP_FLAG_READ;
    if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map)) {
        die("dma-readonly-read", "VFIO_IOMMU_MAP_DMA read-only");
    }
    st = dma(READONLY_IOVA, XFER, DIR_TO_DEVICE);
    if (pread(devfd, got, XFER, bar0_off + REG_DATA) != XFER) {
        die("dma-readonly-read", "DATA read");
    }
    result(st == STATUS_DONE && !memcmp(rbuf, got, XFER), "dma-readonly-read",
           "to_device iova=0x%llx status=0x%x reason=%u", READONLY_IOVA, st,
           rd32(REG_FAULT_REASON));
    memcpy(expect, rbuf, XFER);
    fill(got, XFER, 0x94);
    if (pwrite(devfd, got, XFER, bar0_off + REG_DATA) != XFER) {
        die("dma-readonly-write-fault", "DATA write");
    }
    st = dma(READONLY_IOVA, XFER, DIR_FROM_DEVICE);
    result((st & STATUS_FAULT) && !memcmp(rbuf, expect, XFER),
           "dma-readonly-write-fault", "from_device iova=0x%llx status=0x%x "
           "reason=%u", READONLY_IOVA, st, rd32(REG_FAULT_REASON));
    unmap.iova = READONLY_IOVA;
    unmap.size = 4096;
    if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
        die("dma-readonly-write-fault", "VFIO_IOMMU_UNMAP_DMA");
    }

    dma_stream_unmap(container);

    /* An IOVA the guest never mapped: the device must see a fault. */
    st = dma(UNMAPPED_IOVA, 64, DIR_FROM_DEVICE);
    reason = rd32(REG_FAULT_REASON);
    faddr = rd32(REG_FAULT_LO) | (uint64_t)rd32(REG_FAULT_HI) << 32;
    result((st & STATUS_FAULT) && reason != 0 && faddr == UNMAPPED_IOVA,
           "dma-unmapped-fault", "iova=0x%llx status=0x%x reason=%u "
           "fault_addr=0x%" PRIx64, UNMAPPED_IOVA, st, reason, faddr);

    /*
     * An IOVA the guest never mapped that is also the guest-physical
     * address of a page of guest RAM: the device must fault and the page
     * must be left alone (no request goes through untranslated).
     */
    trap = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
    if (trap == MAP_FAILED) {
        die("dma-unmapped-ram-untouched", "mmap");
    }
    memset(trap, 0xc3, 4096);
    trap_gpa = phys_addr(trap);
    fill(expect, 64, 0x3c);
    if (pwrite(devfd, expect, 64, bar0_off + REG_DATA) != 64) {
        die("dma-unmapped-ram-untouched", "DATA write");
    }
    st = dma(trap_gpa, 64, DIR_FROM_DEVICE);
    result((st & STATUS_FAULT) && trap[0] == 0xc3 && trap[63] == 0xc3,
           "dma-unmapped-ram-untouched", "iova=gpa=0x%" PRIx64
           " status=0x%x first byte 0x%02x", trap_gpa, st, trap[0]);

    /* After the unmap the same IOVA must fault too (no stale mapping). */
    unmap.iova = MAPPED_IOVA;
    unmap.size = 4096;
    if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) ||
        unmap.size != 4096) {
        die("dma-after-unmap-fault", "VFIO_IOMMU_UNMAP_DMA");
    }
    st = dma(MAPPED_IOVA, 64, DIR_FROM_DEVICE);
    result(st & STATUS_FAULT, "dma-after-unmap-fault",
           "iova=0x%llx status=0x%x reason=%u", MAPPED_IOVA, st,
           rd32(REG_FAULT_REASON));

    close(devfd);
    printf("E2E: dma-done failures=%d\n", failures);
    fflush(stdout);
    return failures != 0;
}
