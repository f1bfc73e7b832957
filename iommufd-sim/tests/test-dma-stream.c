/*
 * iommufd-sim tests: the free-running DMA stream
 *
 * The stream reads on its own thread while this one changes what it
 * reads: the memory, then the mapping.  The log (IOMMUFD_SIM_LOG, set by
 * meson.build) must show each outcome once, in order, with sequence
 * numbers that leave no read unaccounted for; a device reset stops it.
 * A witness slot reads through the nesting parent whatever the device is
 * attached to, and a stop reads every slot once more.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dma_engine.h"
#include "dma_stream.h"
#include "sim-helpers.h"
#include "tap.h"

#define PAGE        4096u
#define IOVA        0x100000ULL
#define READS       200

/* Waits until the stream did @n more reads; false after 10 s */
static bool wait_reads(int devfd, uint32_t n)
{
    uint32_t from = h_bar_read32(devfd, SIM_DMA_REG_STREAM_SEQ);
    struct timespec pause = { 0, 100000 };

    for (int i = 0; i < 100000; i++) {
        if (h_bar_read32(devfd, SIM_DMA_REG_STREAM_SEQ) - from >= n) {
            return true;
        }
        nanosleep(&pause, NULL);
    }
    return false;
}

/* The value of "key": in a log line, or -1 */
static long long field(const char *line, const char *key)
{
    char pat[64];
    const char *p;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    p = strstr(line, pat);
    return p ? strtoll(p + strlen(pat), NULL, 0) : -1;
}

struct record {
    bool end, witness;
    long long slot;
    long long seq, prev_last_seq, last_seq, data;
    bool fault;
};

/* The DMA_STREAM records of the log, in order; their count */
static int read_records(const char *path, struct record *r, int max)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    int n = 0;

    if (!f) {
        return 0;
    }
    while (fgets(line, sizeof(line), f) && n < max) {
        bool end = strstr(line, "\"op\":\"DMA_STREAM_END\"");

        if (!end && !strstr(line, "\"op\":\"DMA_STREAM\"")) {
            continue;
        }
        r[n].end = end;
        r[n].slot = field(line, "slot");
        r[n].witness = strstr(line, "\"witness\":true");
        r[n].seq = field(line, "seq");
        r[n].prev_last_seq = field(line, "prev_last_seq");
        r[n].last_seq = field(line, "last_seq");
        r[n].data = field(line, "data");
        r[n].fault = !strstr(line, "\"fault\":\"NONE\"");
        n++;
    }
    fclose(f);
    return n;
}

int main(void)
{
    const char *log = getenv("IOMMUFD_SIM_LOG");
    int fd = h_open_iommufd(), devfd = h_open_dev(0);
    uint32_t *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct record r[8];
    uint32_t dev, ioas, hwpt, parent;
    struct record *wit[2] = { NULL }, *own = NULL;
    int nwit = 0, ends = 0;
    uint64_t unmapped;
    int n;

    /* The log is appended to: keep only this run's records */
    if (!log || truncate(log, 0)) {
        tap_ok(false, "IOMMUFD_SIM_LOG names a writable file");
        return tap_done();
    }
    page[0] = 0x11111111;
    h_bind(devfd, fd, &dev);
    h_enable_device(devfd);
    h_ioas_alloc(fd, &ioas);
    h_hwpt_alloc(fd, dev, ioas, 0, &hwpt);
    h_map(fd, ioas, page, PAGE, IOVA, RW_FLAGS);
    h_attach(devfd, hwpt, false, 0, NULL);

    h_bar_write32(devfd, SIM_DMA_REG_STREAM_SLOT, 0);
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_PASID, 0);
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_IOVA_LO, (uint32_t)IOVA);
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_IOVA_HI, 0);
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 1 << 4 | SIM_DMA_STREAM_RUN);
    tap_ok(wait_reads(devfd, READS), "the stream reads on its own");
    __atomic_store_n(&page[0], 0x22222222, __ATOMIC_SEQ_CST);
    tap_ok(wait_reads(devfd, READS), "... and goes on while memory changes");
    TAP_ERRNO(h_unmap(fd, ioas, IOVA, PAGE, &unmapped), 0,
              "unmap under the stream");
    tap_ok(wait_reads(devfd, READS), "... and while its mapping goes");
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 0);
    tap_ok(!(h_bar_read32(devfd, SIM_DMA_REG_STREAM_CTL) &
             SIM_DMA_STREAM_RUN), "stopped");

    n = read_records(log, r, 8);
    tap_ok(n == 4, "three outcomes and the end logged (%d records)", n);
    tap_ok(n == 4 && !r[0].end && r[0].data == 0x11111111 &&
           r[0].prev_last_seq < 0,
           "first outcome: the first word, from the first read");
    tap_ok(n == 4 && !r[1].end && r[1].data == 0x22222222 &&
           r[1].prev_last_seq == r[1].seq - 1 && r[1].seq > r[0].seq,
           "second: the new word, right after the last read of the first");
    tap_ok(n == 4 && !r[2].end && r[2].fault &&
           r[2].prev_last_seq == r[2].seq - 1 && r[2].seq > r[1].seq,
           "third: a fault once unmapped, right after the last good read");
    tap_ok(n == 4 && r[3].end && r[3].last_seq >= r[2].seq + READS - 1,
           "the end names the last read");

    /* A device reset stops the stream */
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 1 << 4 | SIM_DMA_STREAM_RUN);
    tap_ok(wait_reads(devfd, 10), "started again");
    TAP_ERRNO(ioctl(devfd, VFIO_DEVICE_RESET), 0, "reset");
    tap_ok(h_bar_read32(devfd, SIM_DMA_REG_STREAM_CTL) == 0,
           "a reset stops the stream and clears its slots");

    /*
     * A witness reads guest-physical memory through the nesting parent,
     * not through what the device is attached to (here nothing); the
     * stop reads every slot once more, so a word written just before it
     * is seen.
     */
    TAP_ERRNO(truncate(log, 0), 0, "log emptied");
    TAP_ERRNO(h_map(fd, ioas, page, PAGE, IOVA, RW_FLAGS), 0, "mapped again");
    TAP_ERRNO(h_hwpt_alloc(fd, dev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
                           &parent), 0, "a nesting parent");
    h_detach(devfd, false, 0);
    for (int i = 0; i < 2; i++) {
        h_bar_write32(devfd, SIM_DMA_REG_STREAM_SLOT, i);
        h_bar_write32(devfd, SIM_DMA_REG_STREAM_PASID,
                      i ? 0 : SIM_DMA_STREAM_WITNESS);
        h_bar_write32(devfd, SIM_DMA_REG_STREAM_IOVA_LO, (uint32_t)IOVA);
    }
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 2 << 4 | SIM_DMA_STREAM_RUN);
    tap_ok(wait_reads(devfd, READS), "witness and device slot stream");
    __atomic_store_n(&page[0], 0x33333333, __ATOMIC_SEQ_CST);
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 0);
    /* the thread may resume at either slot: find records by slot */
    n = read_records(log, r, 8);
    for (int i = 0; i < n; i++) {
        struct record *rec = &r[i];

        if (rec->end) {
            ends++;
        } else if (rec->slot == 0) {
            wit[nwit < 2 ? nwit++ : 1] = rec;
        } else {
            own = rec;
        }
    }
    tap_ok(n == 5, "two outcomes, the witness's new word, two ends (%d)", n);
    tap_ok(nwit == 2 && wit[0]->witness && !wit[0]->fault &&
           wit[0]->data == 0x22222222,
           "the witness reads through the nesting parent");
    tap_ok(own && !own->witness && own->fault,
           "the device's own read, attached to nothing, is blocked");
    tap_ok(nwit == 2 && wit[1]->data == 0x33333333,
           "the stop's round sees the word written just before it");
    tap_ok(ends == 2, "both slots end");

    TAP_ERRNO(h_destroy(fd, parent), 0, "nesting parent destroyed");
    TAP_ERRNO(truncate(log, 0), 0, "log emptied");
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 1 << 4 | SIM_DMA_STREAM_RUN);
    h_bar_write32(devfd, SIM_DMA_REG_STREAM_CTL, 0);
    n = read_records(log, r, 8);
    tap_ok(n == 2 && r[0].witness && r[0].fault,
           "without a nesting parent the witness reads nothing");

    close(devfd);
    close(fd);
    munmap(page, PAGE);
    return tap_done();
}
