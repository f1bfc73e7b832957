/*
 * iommufd-sim: the simulated device's DMA engine (BAR0)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <string.h>

#include "dma_engine.h"
#include "log.h"
#include "translate.h"

void sim_dma_reset(struct sim_dma_engine *e)
{
    memset(e, 0, sizeof(*e));
    e->msix_vector = UINT32_MAX;
    /* Vector Control of every MSI-X entry starts masked (PCI spec). */
    for (unsigned v = 0; v < SIM_MSIX_VECTORS; v++) {
        e->msix_table[v * 16 + 12] = 1;
    }
}

static uint32_t reg_read(const struct sim_dma_engine *e, uint32_t off)
{
    switch (off) {
    case SIM_DMA_REG_ID:
        return SIM_DMA_ID;
    case SIM_DMA_REG_PASID:
        return e->pasid;
    case SIM_DMA_REG_IOVA_LO:
        return (uint32_t)e->iova;
    case SIM_DMA_REG_IOVA_HI:
        return e->iova >> 32;
    case SIM_DMA_REG_LEN:
        return e->len;
    case SIM_DMA_REG_DIR:
        return e->dir;
    case SIM_DMA_REG_MSIX_VECTOR:
        return e->msix_vector;
    case SIM_DMA_REG_STATUS:
        return e->status;
    case SIM_DMA_REG_FAULT_REASON:
        return e->fault_reason;
    case SIM_DMA_REG_FAULT_ADDR_LO:
        return (uint32_t)e->fault_addr;
    case SIM_DMA_REG_FAULT_ADDR_HI:
        return e->fault_addr >> 32;
    case SIM_DMA_REG_COUNT:
        return e->count;
    default:
        return 0;
    }
}

/* Returns true for a doorbell write. */
static bool reg_write(struct sim_dma_engine *e, uint32_t off, uint32_t val)
{
    switch (off) {
    case SIM_DMA_REG_PASID:
        e->pasid = val & (SIM_DMA_PASID_VALID | SIM_DMA_PASID_PRIV |
                          SIM_DMA_PASID_MASK);
        break;
    case SIM_DMA_REG_IOVA_LO:
        e->iova = (e->iova & ~0xffffffffULL) | val;
        break;
    case SIM_DMA_REG_IOVA_HI:
        e->iova = (e->iova & 0xffffffffULL) | (uint64_t)val << 32;
        break;
    case SIM_DMA_REG_LEN:
        e->len = val;
        break;
    case SIM_DMA_REG_DIR:
        e->dir = val & 1;
        break;
    case SIM_DMA_REG_MSIX_VECTOR:
        e->msix_vector = val;
        break;
    case SIM_DMA_REG_DOORBELL:
        return val & 1;
    }
    return false;
}

/* Backing bytes of BAR0 that are plain memory, or NULL for registers. */
static uint8_t *memory_at(struct sim_dma_engine *e, uint32_t off)
{
    if (off >= SIM_DMA_DATA_OFFSET) {
        return &e->data[off - SIM_DMA_DATA_OFFSET];
    }
    if (off >= SIM_MSIX_TABLE_OFFSET &&
        off < SIM_MSIX_TABLE_OFFSET + sizeof(e->msix_table)) {
        return &e->msix_table[off - SIM_MSIX_TABLE_OFFSET];
    }
    return NULL;
}

/*
 * Registers are accessed a byte at a time within their 32-bit word, so any
 * access size works; the data window and MSI-X table are plain memory.
 */
void sim_dma_mmio_read(struct sim_dma_engine *e, uint32_t off, void *buf,
                       uint32_t len)
{
    uint8_t *out = buf;

    for (uint32_t i = 0; i < len; i++) {
        uint32_t pos = off + i;
        uint8_t *mem = memory_at(e, pos);

        out[i] = mem ? *mem : reg_read(e, pos & ~3u) >> (8 * (pos & 3));
    }
}

bool sim_dma_mmio_write(struct sim_dma_engine *e, uint32_t off,
                        const void *buf, uint32_t len)
{
    const uint8_t *in = buf;
    bool doorbell = false;
    uint32_t i = 0;

    while (i < len) {
        uint32_t pos = off + i, word = pos & ~3u, val;
        uint8_t *mem = memory_at(e, pos);

        if (mem) {
            *mem = in[i++];
            continue;
        }
        /* Merge the bytes written into this word, then store it once. */
        val = reg_read(e, word);
        for (; i < len && ((off + i) & ~3u) == word; i++) {
            unsigned shift = 8 * ((off + i) & 3);

            val = (val & ~(0xffu << shift)) | (uint32_t)in[i] << shift;
        }
        doorbell |= reg_write(e, word, val);
    }
    return doorbell;
}

static enum sim_fault transfer(struct sim_dma_engine *e,
                               struct sim_hwpt *hwpt, bool supervisor,
                               uint64_t *fault_addr)
{
    bool write = e->dir == SIM_DMA_DIR_FROM_DEVICE;
    uint64_t done = 0;

    while (done < e->len) {
        struct sim_host_range r;
        uint64_t iova = e->iova + done, chunk = e->len - done;
        enum sim_fault f = sim_translate(hwpt, iova, write, supervisor, &r);
        bool ok;

        if (f) {
            *fault_addr = iova;
            return f;
        }
        if (chunk > r.len) {
            chunk = r.len;
        }
        ok = write ? sim_host_write(&r, e->data + done, chunk)
                   : sim_host_read(&r, e->data + done, chunk);
        if (!ok) {
            /* A file mapping beyond the end of its file. */
            *fault_addr = iova;
            return SIM_FAULT_S2_MISS;
        }
        done += chunk;
    }
    return SIM_FAULT_NONE;
}

void sim_dma_run(struct sim_dma_engine *e, struct sim_hwpt *hwpt,
                 bool bus_master, bool priv_enabled, unsigned dev_index)
{
    bool has_pasid = e->pasid & SIM_DMA_PASID_VALID;
    bool supervisor = has_pasid && (e->pasid & SIM_DMA_PASID_PRIV);
    enum sim_fault f = SIM_FAULT_NONE;
    uint64_t fault_addr = 0;
    struct sim_log_rec rec;

    if (!bus_master || (supervisor && !priv_enabled)) {
        /*
         * Without Bus Master Enable the device issues no requests, and
         * no privileged ones unless Privileged Mode is enabled.
         */
        f = SIM_FAULT_BLOCKED;
        fault_addr = e->iova;
    } else if (e->len == 0 || e->len > SIM_DMA_DATA_SIZE) {
        f = SIM_FAULT_NONE;     /* invalid length: nothing moves */
    } else {
        f = transfer(e, hwpt, supervisor, &fault_addr);
    }
    e->fault_reason = f;
    e->fault_addr = f ? fault_addr : 0;
    e->status = SIM_DMA_STATUS_DONE | (f ? SIM_DMA_STATUS_FAULT : 0);
    e->count++;

    sim_log_begin(&rec, "DMA");
    sim_log_u64(&rec, "dev", dev_index);
    if (has_pasid) {
        sim_log_u64(&rec, "pasid", e->pasid & SIM_DMA_PASID_MASK);
    }
    if (supervisor) {
        sim_log_bool(&rec, "priv", true);
    }
    sim_log_u64(&rec, "pt_id", hwpt ? hwpt->obj.id : 0);
    sim_log_str(&rec, "dir", e->dir == SIM_DMA_DIR_FROM_DEVICE ?
                             "from_device" : "to_device");
    sim_log_u64(&rec, "iova", e->iova);
    sim_log_u64(&rec, "length", e->len);
    sim_log_str(&rec, "fault", sim_fault_name(f));
    if (f) {
        sim_log_u64(&rec, "fault_addr", fault_addr);
    }
    sim_log_end(&rec, 0);
}
