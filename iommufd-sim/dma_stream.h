/*
 * iommufd-sim: the device's free-running DMA stream (BAR0 0x40..0x5f)
 *
 * Real devices DMA whenever they like, concurrently with the VMM's
 * invalidation processing.  Started, the stream reads 4 bytes at each of
 * its slots (PASID, IOVA) in turn, on a thread of its own, until stopped
 * or the device is reset.  Each read gets a sequence number; per slot,
 * a change of outcome (fault reason or the word read) is logged as a
 * DMA_STREAM record naming the first read with the new outcome and the
 * last with the old one, so that a test can tell which reads saw what
 * without a record per read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_DMA_STREAM_H
#define IOMMUFD_SIM_DMA_STREAM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "objects.h"

#define SIM_DMA_REG_STREAM_CTL      0x40    /* slots in 7:4, bit 0 run */
#define SIM_DMA_REG_STREAM_SLOT     0x44    /* the slot 0x48..0x50 address */
#define SIM_DMA_REG_STREAM_PASID    0x48    /* as SIM_DMA_REG_PASID */
#define SIM_DMA_REG_STREAM_IOVA_LO  0x4c
#define SIM_DMA_REG_STREAM_IOVA_HI  0x50
#define SIM_DMA_REG_STREAM_SEQ      0x54    /* RO: reads done, low 32 bits */
#define SIM_DMA_STREAM_FIRST        SIM_DMA_REG_STREAM_CTL
#define SIM_DMA_STREAM_LAST         SIM_DMA_REG_STREAM_SEQ

#define SIM_DMA_STREAM_RUN          (1u << 0)
/*
 * In a slot's PASID register: not a request of the device but a test's
 * instrument, a bus analyser's view of guest memory.  The slot reads the
 * guest-physical address through the nesting parent of the device's
 * iommufd context (the second stage alone), wherever the device itself
 * is attached, so that a test sees the moment the VMM writes a word of
 * guest memory (a wait descriptor's status) among the device's reads.
 * Without a nesting parent the witness reads nothing (BLOCKED).
 */
#define SIM_DMA_STREAM_WITNESS      (1u << 29)
#define SIM_DMA_STREAM_SLOTS        4

/*
 * Where a stream read goes: the hwpt attached for the request, or NULL;
 * for a witness, the nesting parent.
 */
typedef struct sim_hwpt *(*sim_stream_resolve)(void *opaque, bool witness,
                                               bool has_pasid, uint32_t pasid,
                                               bool *bus_master);

struct sim_dma_stream_slot {
    uint32_t pasid;             /* SIM_DMA_PASID_VALID | PASID, or WITNESS */
    uint64_t iova;
    bool seen;                  /* a read was done: outcome is valid */
    uint32_t fault;             /* enum sim_fault of the last read */
    uint32_t data;              /* the word it read */
    uint64_t last_seq;          /* its sequence number */
};

struct sim_dma_stream {
    unsigned dev_index;
    sim_stream_resolve resolve;
    void *opaque;
    uint32_t sel;
    unsigned nslots;
    struct sim_dma_stream_slot slots[SIM_DMA_STREAM_SLOTS];
    uint64_t seq;
    bool run;                   /* the device is told to stream */
    bool thread_alive;          /* its thread has not exited yet */
    pthread_t thread;
};

void sim_dma_stream_init(struct sim_dma_stream *s, unsigned dev_index,
                         sim_stream_resolve resolve, void *opaque);
/*
 * Device reset: the stream stops, its slots are cleared.  Stopped by its
 * register, the stream first finishes a round: every slot is read once
 * more, so a test knows each slot's outcome at that moment.
 */
void sim_dma_stream_reset(struct sim_dma_stream *s);

/*
 * One read of every slot, now, on the caller's thread, if the stream
 * runs: the device's requests just before a kernel call.  With the
 * simulator's lock held.
 */
void sim_dma_stream_pass(struct sim_dma_stream *s);

/* Register access, with the simulator's lock held. */
uint32_t sim_dma_stream_reg_read(struct sim_dma_stream *s, uint32_t off);
void sim_dma_stream_reg_write(struct sim_dma_stream *s, uint32_t off,
                              uint32_t val);

#endif /* IOMMUFD_SIM_DMA_STREAM_H */
