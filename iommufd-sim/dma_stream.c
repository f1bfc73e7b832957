/*
 * iommufd-sim: the device's free-running DMA stream
 *
 * The thread takes the simulator's lock for each read, as a device's
 * request meets the IOMMU between two of the kernel's operations, never
 * inside one.  It yields between reads, so that the VMM's calls, which
 * need the same lock, are not starved.  A thread may not get a core at
 * the moment that matters, so every iommufd call also lets each running
 * stream read all its slots first (sim_dma_stream_pass()): a schedule a
 * real device may well follow, and the one that shows whether the VMM
 * made the host forget a translation before telling the guest it had.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <sched.h>
#include <string.h>

#include "dma_engine.h"
#include "dma_stream.h"
#include "lock_window.h"
#include "log.h"
#include "translate.h"

void sim_dma_stream_init(struct sim_dma_stream *s, unsigned dev_index,
                         sim_stream_resolve resolve, void *opaque)
{
    memset(s, 0, sizeof(*s));
    s->dev_index = dev_index;
    s->resolve = resolve;
    s->opaque = opaque;
}

/* The outcome of @slot's run that ends with this read: logged */
static void log_change(struct sim_dma_stream *s, unsigned i,
                       enum sim_fault f, uint32_t data)
{
    struct sim_dma_stream_slot *slot = &s->slots[i];
    struct sim_log_rec rec;

    sim_log_begin(&rec, "DMA_STREAM");
    sim_log_u64(&rec, "dev", s->dev_index);
    sim_log_u64(&rec, "slot", i);
    if (slot->pasid & SIM_DMA_STREAM_WITNESS) {
        sim_log_bool(&rec, "witness", true);
    } else if (slot->pasid & SIM_DMA_PASID_VALID) {
        sim_log_u64(&rec, "pasid", slot->pasid & SIM_DMA_PASID_MASK);
    }
    sim_log_u64(&rec, "iova", slot->iova);
    sim_log_u64(&rec, "seq", s->seq);
    if (slot->seen) {
        sim_log_u64(&rec, "prev_last_seq", slot->last_seq);
    }
    sim_log_str(&rec, "fault", sim_fault_name(f));
    if (!f) {
        sim_log_u64(&rec, "data", data);
    }
    sim_log_end(&rec, 0);
}

/* One read of slot @i; called with the simulator's lock held */
static void stream_read(struct sim_dma_stream *s, unsigned i)
{
    struct sim_dma_stream_slot *slot = &s->slots[i];
    bool has_pasid = slot->pasid & SIM_DMA_PASID_VALID, bus_master;
    bool witness = slot->pasid & SIM_DMA_STREAM_WITNESS;
    struct sim_hwpt *hwpt = s->resolve(s->opaque, witness, has_pasid,
                                       slot->pasid & SIM_DMA_PASID_MASK,
                                       &bus_master);
    struct sim_host_range r;
    enum sim_fault f = SIM_FAULT_BLOCKED;
    uint32_t data = 0;

    s->seq++;
    if (bus_master) {
        f = sim_translate(hwpt, slot->iova, false, false, &r);
    }
    if (!f && (r.len < sizeof(data) || !sim_host_read(&r, &data,
                                                        sizeof(data)))) {
        f = SIM_FAULT_S2_MISS;
    }
    if (!slot->seen || f != slot->fault || (!f && data != slot->data)) {
        log_change(s, i, f, data);
    }
    slot->seen = true;
    slot->fault = f;
    slot->data = data;
    slot->last_seq = s->seq;
}

void sim_dma_stream_pass(struct sim_dma_stream *s)
{
    for (unsigned i = 0; s->run && i < s->nslots; i++) {
        stream_read(s, i);
    }
}

static void *stream_thread(void *opaque)
{
    struct sim_dma_stream *s = opaque;
    unsigned i = 0;

    sim_lock_enter();
    while (s->run) {
        if (i >= s->nslots) {
            i = 0;
        }
        if (s->nslots) {
            stream_read(s, i++);
        }
        sim_lock_leave();
        sched_yield();
        sim_lock_enter();
    }
    s->thread_alive = false;
    sim_lock_leave();
    return NULL;
}

/* The last outcome of every slot, when the stream stops */
static void log_stop(struct sim_dma_stream *s)
{
    for (unsigned i = 0; i < s->nslots; i++) {
        struct sim_dma_stream_slot *slot = &s->slots[i];
        struct sim_log_rec rec;

        if (!slot->seen) {
            continue;
        }
        sim_log_begin(&rec, "DMA_STREAM_END");
        sim_log_u64(&rec, "dev", s->dev_index);
        sim_log_u64(&rec, "slot", i);
        sim_log_u64(&rec, "last_seq", slot->last_seq);
        sim_log_end(&rec, 0);
    }
}

static void stream_stop(struct sim_dma_stream *s, bool finish_round)
{
    if (s->run) {
        if (finish_round) {
            sim_dma_stream_pass(s);
        }
        s->run = false;
        log_stop(s);
    }
}

/*
 * Start: a thread that is still winding down (it waits for the lock we
 * hold) simply carries on.
 */
static void stream_start(struct sim_dma_stream *s)
{
    if (s->run) {
        return;
    }
    for (unsigned i = 0; i < SIM_DMA_STREAM_SLOTS; i++) {
        s->slots[i].seen = false;
    }
    s->run = true;
    if (!s->thread_alive) {
        if (pthread_create(&s->thread, NULL, stream_thread, s)) {
            s->run = false;
            return;
        }
        pthread_detach(s->thread);
        s->thread_alive = true;
    }
}

void sim_dma_stream_reset(struct sim_dma_stream *s)
{
    stream_stop(s, false);
    s->sel = 0;
    s->nslots = 0;
    memset(s->slots, 0, sizeof(s->slots));
}

uint32_t sim_dma_stream_reg_read(struct sim_dma_stream *s, uint32_t off)
{
    struct sim_dma_stream_slot *slot = &s->slots[s->sel];

    switch (off) {
    case SIM_DMA_REG_STREAM_CTL:
        return s->nslots << 4 | (s->run ? SIM_DMA_STREAM_RUN : 0);
    case SIM_DMA_REG_STREAM_SLOT:
        return s->sel;
    case SIM_DMA_REG_STREAM_PASID:
        return slot->pasid;
    case SIM_DMA_REG_STREAM_IOVA_LO:
        return (uint32_t)slot->iova;
    case SIM_DMA_REG_STREAM_IOVA_HI:
        return slot->iova >> 32;
    case SIM_DMA_REG_STREAM_SEQ:
        return (uint32_t)s->seq;
    default:
        return 0;
    }
}

void sim_dma_stream_reg_write(struct sim_dma_stream *s, uint32_t off,
                              uint32_t val)
{
    struct sim_dma_stream_slot *slot = &s->slots[s->sel];

    switch (off) {
    case SIM_DMA_REG_STREAM_CTL:
        if (!(val & SIM_DMA_STREAM_RUN)) {
            stream_stop(s, true);
            break;
        }
        s->nslots = (val >> 4) & 0xf;
        if (s->nslots > SIM_DMA_STREAM_SLOTS) {
            s->nslots = SIM_DMA_STREAM_SLOTS;
        }
        stream_start(s);
        break;
    case SIM_DMA_REG_STREAM_SLOT:
        s->sel = val % SIM_DMA_STREAM_SLOTS;
        break;
    case SIM_DMA_REG_STREAM_PASID:
        slot->pasid = val & (SIM_DMA_PASID_VALID | SIM_DMA_STREAM_WITNESS |
                             SIM_DMA_PASID_MASK);
        break;
    case SIM_DMA_REG_STREAM_IOVA_LO:
        slot->iova = (slot->iova & ~0xffffffffULL) | val;
        break;
    case SIM_DMA_REG_STREAM_IOVA_HI:
        slot->iova = (slot->iova & 0xffffffffULL) | (uint64_t)val << 32;
        break;
    }
}
