/*
 * iommufd-sim benchmark: cost per operation against the number of
 * mappings or HWPTs already present, to show lookups do not grow linearly.
 *
 * Linked against libiommufd-sim.so, so its calls reach the simulator.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "dma_engine.h"

#define PAGE 4096ULL
#define OPS 2000
#define FLAGS (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE | \
               IOMMU_IOAS_MAP_FIXED_IOVA)
#define BAR0(off) ((off) + 0ULL)

static int fd, devfd;
static uint32_t dev_id;
static void *page;

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void check(int ret, const char *what)
{
    if (ret) {
        perror(what);
        exit(1);
    }
}

static uint32_t ioas_alloc(void)
{
    struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

    check(ioctl(fd, IOMMU_IOAS_ALLOC, &cmd), "IOAS_ALLOC");
    return cmd.out_ioas_id;
}

static void map(uint32_t ioas, uint64_t iova)
{
    struct iommu_ioas_map cmd = {
        .size = sizeof(cmd), .flags = FLAGS, .ioas_id = ioas,
        .user_va = (uintptr_t)page, .length = PAGE, .iova = iova,
    };

    check(ioctl(fd, IOMMU_IOAS_MAP, &cmd), "IOAS_MAP");
}

static void unmap(uint32_t ioas, uint64_t iova, uint64_t len)
{
    struct iommu_ioas_unmap cmd = {
        .size = sizeof(cmd), .ioas_id = ioas, .iova = iova, .length = len,
    };

    check(ioctl(fd, IOMMU_IOAS_UNMAP, &cmd), "IOAS_UNMAP");
}

static uint32_t hwpt_alloc(uint32_t ioas)
{
    struct iommu_hwpt_alloc cmd = {
        .size = sizeof(cmd), .dev_id = dev_id, .pt_id = ioas,
    };

    check(ioctl(fd, IOMMU_HWPT_ALLOC, &cmd), "HWPT_ALLOC");
    return cmd.out_hwpt_id;
}

static void destroy(uint32_t id)
{
    struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

    check(ioctl(fd, IOMMU_DESTROY, &cmd), "DESTROY");
}

static void attach(uint32_t pt)
{
    struct vfio_device_attach_iommufd_pt cmd = {
        .argsz = sizeof(cmd), .pt_id = pt,
    };

    check(ioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &cmd), "ATTACH");
}

static void bar_write(uint32_t off, uint32_t val)
{
    if (pwrite(devfd, &val, sizeof(val), BAR0(off)) != sizeof(val)) {
        check(-1, "BAR0 write");
    }
}

/* Mapping and translation with n mappings in the IOAS. */
static void bench_mappings(unsigned n)
{
    uint32_t ioas = ioas_alloc(), hwpt = hwpt_alloc(ioas), status;
    uint64_t base = (uint64_t)n * PAGE;
    double t0, t_map, t_unmap, t_dma;

    attach(hwpt);
    for (unsigned i = 0; i < n; i++) {
        map(ioas, i * PAGE);
    }
    t0 = now_ns();
    for (unsigned i = 0; i < OPS; i++) {
        map(ioas, base + i * PAGE);
    }
    t_map = (now_ns() - t0) / OPS;
    t0 = now_ns();
    for (unsigned i = 0; i < OPS; i++) {
        uint64_t iova = (uint64_t)(rand() % (n + OPS)) * PAGE;

        bar_write(SIM_DMA_REG_IOVA_LO, (uint32_t)iova);
        bar_write(SIM_DMA_REG_IOVA_HI, iova >> 32);
        bar_write(SIM_DMA_REG_DOORBELL, 1);
    }
    t_dma = (now_ns() - t0) / OPS;
    if (pread(devfd, &status, sizeof(status), BAR0(SIM_DMA_REG_FAULT_REASON))
        != sizeof(status) || status) {
        fprintf(stderr, "DMA faulted: %u\n", status);
        exit(1);
    }
    t0 = now_ns();
    for (unsigned i = OPS; i-- > 0;) {
        unmap(ioas, base + i * PAGE, PAGE);
    }
    t_unmap = (now_ns() - t0) / OPS;
    printf("%-8u %12.0f %12.0f %12.0f", n, t_map, t_unmap, t_dma);
    unmap(ioas, 0, UINT64_MAX);
    check(ioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT,
                &(struct vfio_device_detach_iommufd_pt) {
                    .argsz = sizeof(struct vfio_device_detach_iommufd_pt) }),
          "DETACH");
    destroy(hwpt);
    destroy(ioas);
}

/* HWPT allocation and destruction with n HWPTs alive. */
static void bench_hwpts(unsigned n)
{
    uint32_t ioas = ioas_alloc(), *ids = malloc(n * sizeof(*ids));
    double t0;

    for (unsigned i = 0; i < n; i++) {
        ids[i] = hwpt_alloc(ioas);
    }
    t0 = now_ns();
    for (unsigned i = 0; i < OPS; i++) {
        destroy(hwpt_alloc(ioas));
    }
    printf(" %14.0f\n", (now_ns() - t0) / OPS);
    for (unsigned i = 0; i < n; i++) {
        destroy(ids[i]);
    }
    destroy(ioas);
    free(ids);
}

int main(void)
{
    static const unsigned counts[] = { 1, 16, 256, 4096, 65536 };
    struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
    uint16_t cmd = 0x6;

    fd = open("/dev/iommu", O_RDWR);
    devfd = open("/dev/vfio/devices/vfio0", O_RDWR);
    page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fd < 0 || devfd < 0 || page == MAP_FAILED) {
        perror("setup (is libiommufd-sim.so loaded?)");
        return 1;
    }
    bind.iommufd = fd;
    check(ioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &bind), "BIND");
    dev_id = bind.out_devid;
    if (pwrite(devfd, &cmd, sizeof(cmd),
               ((uint64_t)VFIO_PCI_CONFIG_REGION_INDEX << 40) + 4) != 2) {
        check(-1, "config write");
    }
    bar_write(SIM_DMA_REG_LEN, 8);
    srand(1);
    printf("ns/op; N = mappings in the IOAS (map, unmap, DMA) or live HWPTs\n");
    printf("%-8s %12s %12s %12s %14s\n", "N", "IOAS_MAP", "IOAS_UNMAP",
           "DMA", "HWPT_ALLOC+DESTROY");
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        bench_mappings(counts[i]);
        bench_hwpts(counts[i]);
    }
    close(devfd);
    close(fd);
    return 0;
}
