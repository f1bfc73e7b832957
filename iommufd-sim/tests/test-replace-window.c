/*
 * iommufd-sim tests: the blocked window of a RID replace
 *
 * Run with IOMMUFD_SIM_REPLACE_WINDOW_US set: a thread keeps the device
 * doing DMA while the main thread replaces the RID's domain, and must see
 * a request blocked (intel_iommu_attach_device() blocks translation before
 * attaching the new domain), then translation through the new domain; a
 * replace that fails comes back to the old domain
 * (__iommu_group_set_domain_internal()'s revert).
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

    pthread_create(&thread, NULL, dma_loop, NULL);
    while (!atomic_load(&translated)) {
        sched_yield();
    }
    TAP_ERRNO(h_attach(devfd, b, false, 0, NULL), 0, "replace the RID's HWPT");
    atomic_store(&stop, true);
    pthread_join(thread, NULL);
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
    close(devfd);
    close(fd);
    munmap(ram, 4096);
    return tap_done();
}
