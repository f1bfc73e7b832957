/*
 * iommufd-sim tests: the blocked window of a RID replace
 *
 * Run with IOMMUFD_SIM_REPLACE_WINDOW_US set: a thread keeps the device
 * doing DMA while the main thread replaces the RID's domain, and must see
 * a request blocked (intel_iommu_attach_device() blocks translation before
 * attaching the new domain), then translation through the new domain; a
 * replace that fails comes back to the old domain
 * (__iommu_group_set_domain_internal()'s revert).  A replace iommufd
 * itself refuses (reserved regions, iommufd_device_do_replace()) never
 * reaches the driver, so nothing is blocked.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dma_engine.h"
#include "sim-helpers.h"
#include "tap.h"

#define IOVA 0x100000ULL

static int devfd;
static atomic_bool stop;
static atomic_uint blocked, translated;

static void *dma_loop(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop)) {
        uint32_t fault = h_dma(devfd, false, 0, IOVA, 64,
                               SIM_DMA_DIR_TO_DEVICE);

        if (fault == SIM_FAULT_BLOCKED) {
            atomic_fetch_add(&blocked, 1);
        } else if (fault == SIM_FAULT_NONE) {
            atomic_fetch_add(&translated, 1);
        }
    }
    return NULL;
}

/* Starts the DMA thread once a request has translated. */
static void dma_start(pthread_t *thread)
{
    atomic_store(&stop, false);
    atomic_store(&blocked, 0);
    atomic_store(&translated, 0);
    pthread_create(thread, NULL, dma_loop, NULL);
    while (!atomic_load(&translated)) {
        sched_yield();
    }
}

static void dma_stop(pthread_t thread)
{
    atomic_store(&stop, true);
    pthread_join(thread, NULL);
}

/*
 * iommufd_device_do_replace(): the reserved regions of the new IOAS are
 * enforced (iommufd_group_do_replace_reserved_iova()) before
 * iommufd_hwpt_replace_device() calls the driver, which is what blocks
 * translation; and so EADDRINUSE wins over what the driver would refuse
 * (intel_pasid_setup_nested()'s EINVAL).
 */
static void test_reserved_first(int fd, uint32_t dev, void *ram)
{
    uint32_t msi_ioas, paging, parent, bad;
    pthread_t thread;

    h_ioas_alloc(fd, &msi_ioas);
    h_map(fd, msi_ioas, ram, 4096, 0xfee00000, RW_FLAGS);
    h_hwpt_alloc(fd, dev, msi_ioas, 0, &paging);
    h_hwpt_alloc(fd, dev, msi_ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    h_hwpt_nested(fd, dev, parent, 0, 0x1000, 39, &bad);

    dma_start(&thread);
    TAP_ERRNO(h_attach(devfd, paging, false, 0, NULL), EADDRINUSE,
              "replace into an IOAS mapping the MSI window: EADDRINUSE");
    dma_stop(thread);
    tap_ok(!atomic_load(&blocked), "iommufd_device_do_replace(): the "
           "reserved-region failure blocked no DMA (%u requests blocked)",
           atomic_load(&blocked));
    TAP_ERRNO(h_attach(devfd, bad, false, 0, NULL), EADDRINUSE,
              "iommufd_device_do_replace(): EADDRINUSE comes before the "
              "driver's EINVAL for the nested configuration");
    h_destroy(fd, bad);
    h_destroy(fd, parent);
    h_destroy(fd, paging);
    h_destroy(fd, msi_ioas);
}

/*
 * A replace the driver refuses gives back the reserved regions it took in
 * the new IOAS (iommufd_device_do_replace()'s err_unresv).
 */
static void test_unreserve(int fd, uint32_t dev, void *ram)
{
    uint32_t other, parent, bad;

    h_ioas_alloc(fd, &other);
    h_hwpt_alloc(fd, dev, other, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    h_hwpt_nested(fd, dev, parent, 0, 0x1000, 39, &bad);
    TAP_ERRNO(h_attach(devfd, bad, false, 0, NULL), EINVAL,
              "replace into a nested HWPT of another IOAS the driver "
              "refuses: EINVAL");
    TAP_ERRNO(h_map(fd, other, ram, 4096, 0xfee00000, RW_FLAGS), 0,
              "iommufd_group_remove_reserved_iova(): its IOAS holds no "
              "MSI window after the failure");
    h_unmap(fd, other, 0xfee00000, 4096, NULL);
    h_destroy(fd, bad);
    h_destroy(fd, parent);
    h_destroy(fd, other);
}

int main(void)
{
    int fd = h_open_iommufd();
    void *ram = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t dev, ioas, a, b, parent, bad;
    pthread_t thread;

    devfd = h_open_dev(0);
    h_bind(devfd, fd, &dev);
    h_enable_device(devfd);
    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, 0, &a);
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &b);
    h_map(fd, ioas, ram, 4096, IOVA, RW_FLAGS);
    h_attach(devfd, a, false, 0, NULL);
    /* A nested HWPT the attach refuses: 5-level tables are 57 bits wide. */
    h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, &parent);
    h_hwpt_nested(fd, dev, parent, 0, 0x1000, 39, &bad);

    dma_start(&thread);
    TAP_ERRNO(h_attach(devfd, b, false, 0, NULL), 0, "replace the RID's HWPT");
    dma_stop(thread);
    tap_ok(atomic_load(&blocked) > 0,
           "intel_iommu_attach_device(): DMA during the replace was blocked "
           "(%u requests)", atomic_load(&blocked));
    tap_ok(h_dma(devfd, false, 0, IOVA, 64, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE, "after the replace, DMA translates");

    TAP_ERRNO(h_attach(devfd, bad, false, 0, NULL), EINVAL,
              "replace with a nested HWPT the attach refuses: EINVAL");
    tap_ok(h_dma(devfd, false, 0, IOVA, 64, SIM_DMA_DIR_TO_DEVICE) ==
           SIM_FAULT_NONE, "__iommu_group_set_domain_internal(): the old "
           "domain is back after the failed replace");
    test_reserved_first(fd, dev, ram);
    test_unreserve(fd, dev, ram);
    close(devfd);
    close(fd);
    munmap(ram, 4096);
    return tap_done();
}
