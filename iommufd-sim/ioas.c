/*
 * iommufd-sim: IO address spaces
 *
 * Mapping rules follow the kernel's io_pagetable: IOVA alignment is 1 until
 * a paging domain joins and then its smallest page size (4 KiB); reserved
 * ranges (outside a domain's aperture, the MSI window while a device is
 * attached) cannot be mapped (EINVAL); an existing mapping cannot be
 * replaced (EEXIST); unmapping must cover whole mappings (ENOENT).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "config.h"
#include "ioas.h"
#include "ucmd.h"

#define SIM_PAGE_SIZE 4096ULL
#define MAP_PROT_FLAGS (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define MAP_VALID_FLAGS (MAP_PROT_FLAGS | IOMMU_IOAS_MAP_FIXED_IOVA)

/* The kernel's limits are unsigned long: U64_MAX itself is out of range. */
#define SIM_ULONG_MAX UINT64_MAX

struct iova_range {
    uint64_t first, last;
};

static uint64_t iova_alignment(const struct sim_ioas *ioas)
{
    return ioas->num_domains ? SIM_PAGE_SIZE : 1;
}

static unsigned aperture_bits(const struct sim_ioas *ioas)
{
    for (unsigned bits = 1; bits < 64; bits++) {
        if (ioas->domains_by_bits[bits]) {
            return bits;
        }
    }
    return 64;
}

/* Allowed ranges, ascending: at most two (below and above the MSI hole). */
static unsigned allowed_ranges(const struct sim_ioas *ioas,
                               struct iova_range out[2])
{
    unsigned bits = aperture_bits(ioas), n = 0;
    uint64_t end = bits == 64 ? SIM_ULONG_MAX : (1ULL << bits) - 1;

    if (ioas->num_rid_attached && end >= SIM_MSI_WINDOW_FIRST) {
        out[n++] = (struct iova_range) { 0, SIM_MSI_WINDOW_FIRST - 1 };
        if (end > SIM_MSI_WINDOW_LAST) {
            out[n++] = (struct iova_range) { SIM_MSI_WINDOW_LAST + 1, end };
        }
    } else {
        out[n++] = (struct iova_range) { 0, end };
    }
    return n;
}

static bool range_is_allowed(const struct sim_ioas *ioas, uint64_t first,
                             uint64_t last)
{
    struct iova_range r[2];
    unsigned n = allowed_ranges(ioas, r);

    for (unsigned i = 0; i < n; i++) {
        if (first >= r[i].first && last <= r[i].last) {
            return true;
        }
    }
    return false;
}

static void release_area(struct sim_area *a)
{
    if (a->file_fd >= 0) {
        close(a->file_fd);
    }
}

void sim_ioas_free(struct sim_ioas *ioas)
{
    for (size_t i = 0; i < ioas->map.num; i++) {
        release_area(&ioas->map.areas[i]);
    }
    sim_iova_map_destroy(&ioas->map);
    free(ioas);
}

int sim_ioas_add_domain(struct sim_ioas *ioas, unsigned bits)
{
    uint64_t limit = bits >= 64 ? SIM_ULONG_MAX : (1ULL << bits) - 1;

    for (size_t i = 0; i < ioas->map.num; i++) {
        const struct sim_area *a = &ioas->map.areas[i];
        uint64_t page_off = a->file_fd >= 0 ? a->file_start : a->user_va;

        if (a->last > limit ||
            ((a->iova | (a->last + 1) | page_off) & (SIM_PAGE_SIZE - 1))) {
            return -EADDRINUSE;
        }
    }
    ioas->num_domains++;
    ioas->domains_by_bits[bits]++;
    return 0;
}

void sim_ioas_remove_domain(struct sim_ioas *ioas, unsigned bits)
{
    ioas->num_domains--;
    ioas->domains_by_bits[bits]--;
}

int sim_ioas_rid_attach(struct sim_ioas *ioas)
{
    if (!ioas->num_rid_attached &&
        sim_iova_map_first_in(&ioas->map, SIM_MSI_WINDOW_FIRST,
                              SIM_MSI_WINDOW_LAST)) {
        return -EADDRINUSE;
    }
    ioas->num_rid_attached++;
    return 0;
}

void sim_ioas_rid_detach(struct sim_ioas *ioas)
{
    ioas->num_rid_attached--;
}

enum sim_fault sim_ioas_translate(struct sim_ioas *ioas, uint64_t addr,
                                  bool write, struct sim_host_range *out)
{
    struct sim_area *a = sim_iova_map_find(&ioas->map, addr);
    uint64_t off;

    if (!a) {
        return SIM_FAULT_S2_MISS;
    }
    if (!(a->prot & (write ? IOMMU_IOAS_MAP_WRITEABLE :
                             IOMMU_IOAS_MAP_READABLE))) {
        return SIM_FAULT_S2_PERM;
    }
    off = addr - a->iova;
    out->len = a->last - addr + 1;
    if (!out->len) {
        out->len = UINT64_MAX;  /* an area covering all of 2^64 */
    }
    out->file_fd = a->file_fd;
    if (a->file_fd >= 0) {
        out->hva = NULL;
        out->file_off = a->file_start + off;
    } else {
        out->hva = (void *)(uintptr_t)(a->user_va + off);
        out->file_off = 0;
    }
    return SIM_FAULT_NONE;
}

/* Raw syscalls: the interposed pread/pwrite must not be re-entered. */
bool sim_host_read(const struct sim_host_range *r, void *buf, uint64_t len)
{
    if (r->hva) {
        memcpy(buf, r->hva, len);
        return true;
    }
    return syscall(SYS_pread64, r->file_fd, buf, len, r->file_off) ==
           (long)len;
}

bool sim_host_write(const struct sim_host_range *r, const void *buf,
                    uint64_t len)
{
    if (r->hva) {
        memcpy(r->hva, buf, len);
        return true;
    }
    return syscall(SYS_pwrite64, r->file_fd, buf, len, r->file_off) ==
           (long)len;
}

static struct sim_ioas *find_ioas(struct sim_ucmd *u, uint32_t id)
{
    struct sim_obj *obj = sim_obj_find(u->ictx, id, SIM_OBJ_IOAS);

    return obj ? to_ioas(obj) : NULL;
}

int sim_ioas_alloc_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_alloc *cmd = u->cmd;
    struct sim_ioas *ioas;
    int ret;

    if (cmd->flags) {
        return -EOPNOTSUPP;
    }
    ioas = calloc(1, sizeof(*ioas));
    if (!ioas) {
        return -ENOMEM;
    }
    sim_iova_map_init(&ioas->map);
    ret = sim_obj_add(u->ictx, &ioas->obj, SIM_OBJ_IOAS);
    if (ret) {
        free(ioas);
        return ret;
    }
    cmd->out_ioas_id = ioas->obj.id;
    u->respond = true;
    sim_log_u64(u->log, "id", ioas->obj.id);
    return 0;
}

static uint64_t roundup_pow2(uint64_t v)
{
    return v <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(v - 1));
}

/* First free, aligned IOVA in the allowed ranges, lowest first. */
static int alloc_iova(struct sim_ioas *ioas, uint64_t addr, uint64_t length,
                      uint64_t *iova)
{
    uint64_t align = iova_alignment(ioas), want;
    struct iova_range r[2];
    unsigned n;

    if (!length || (length & (align - 1))) {
        return -EINVAL;
    }
    if (length >= SIM_ULONG_MAX / 2) {
        return -EOVERFLOW;
    }
    /* Keep the alignment addr has, so huge pages can back the IOVA. */
    want = roundup_pow2(length);
    if (addr && want > (1ULL << __builtin_ctzll(addr))) {
        want = 1ULL << __builtin_ctzll(addr);
    }
    if (want < align) {
        return -EINVAL;
    }
    n = allowed_ranges(ioas, r);
    for (unsigned i = 0; i < n; i++) {
        uint64_t cand = (r[i].first + want - 1) & ~(want - 1);
        size_t j = sim_iova_map_lower_bound(&ioas->map, cand);

        while (cand >= r[i].first && cand <= r[i].last &&
               r[i].last - cand >= length - 1) {
            const struct sim_area *a = j < ioas->map.num ?
                                       &ioas->map.areas[j] : NULL;

            if (!a || a->iova > cand + length - 1) {
                *iova = cand;
                return 0;
            }
            if (a->last == SIM_ULONG_MAX) {
                break;
            }
            cand = (a->last + 1 + want - 1) & ~(want - 1);
            j++;
        }
    }
    return -ENOSPC;
}

static int check_fixed_iova(struct sim_ioas *ioas, uint64_t iova,
                            uint64_t length)
{
    if (iova & (iova_alignment(ioas) - 1)) {
        return -EINVAL;
    }
    if (iova + (length - 1) < iova) {
        return -EOVERFLOW;
    }
    if (!range_is_allowed(ioas, iova, iova + length - 1)) {
        return -EINVAL;
    }
    if (sim_iova_map_first_in(&ioas->map, iova, iova + length - 1)) {
        return -EEXIST;
    }
    return 0;
}

/* Places and inserts one area; *iova is input (FIXED_IOVA) or output. */
static int map_area(struct sim_ioas *ioas, uint32_t flags, uint64_t *iova,
                    uint64_t length, struct sim_area *a, uint64_t page_addr)
{
    uint64_t align = iova_alignment(ioas);
    int ret;

    if (flags & IOMMU_IOAS_MAP_FIXED_IOVA) {
        ret = check_fixed_iova(ioas, *iova, length);
    } else {
        ret = alloc_iova(ioas, page_addr, length, iova);
    }
    if (ret) {
        return ret;
    }
    if ((length & (align - 1)) || ((page_addr % SIM_PAGE_SIZE) & (align - 1))) {
        return -EINVAL;
    }
    a->iova = *iova;
    a->last = *iova + length - 1;
    a->prot = flags & MAP_PROT_FLAGS;
    return sim_iova_map_insert(&ioas->map, a);
}

static int check_map_args(uint32_t flags, uint64_t iova, uint64_t length)
{
    if (flags & ~MAP_VALID_FLAGS) {
        return -EOPNOTSUPP;
    }
    if (iova >= SIM_ULONG_MAX || length >= SIM_ULONG_MAX) {
        return -EOVERFLOW;
    }
    if (!(flags & MAP_PROT_FLAGS)) {
        return -EINVAL;
    }
    return 0;
}

static void log_map(struct sim_ucmd *u, uint32_t ioas_id, uint32_t flags,
                    uint64_t iova, uint64_t length)
{
    sim_log_u64(u->log, "ioas_id", ioas_id);
    sim_log_u64(u->log, "flags", flags);
    sim_log_u64(u->log, "iova", iova);
    sim_log_u64(u->log, "length", length);
}

int sim_ioas_map_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_map *cmd = u->cmd;
    struct sim_area a = { .file_fd = -1, .user_va = cmd->user_va };
    struct sim_ioas *ioas;
    uint64_t iova = cmd->iova;
    int ret;

    log_map(u, cmd->ioas_id, cmd->flags, cmd->iova, cmd->length);
    ret = check_map_args(cmd->flags, cmd->iova, cmd->length);
    if (ret || cmd->__reserved) {
        return ret ? ret : -EOPNOTSUPP;
    }
    ioas = find_ioas(u, cmd->ioas_id);
    if (!ioas) {
        return -ENOENT;
    }
    if (!cmd->length) {
        return -EINVAL;
    }
    if (cmd->user_va + cmd->length < cmd->user_va) {
        return -EOVERFLOW;
    }
    a.backing_writable = cmd->flags & IOMMU_IOAS_MAP_WRITEABLE;
    ret = map_area(ioas, cmd->flags, &iova, cmd->length, &a, cmd->user_va);
    if (ret) {
        return ret;
    }
    cmd->iova = iova;
    u->respond = true;
    sim_log_u64(u->log, "out_iova", iova);
    return 0;
}

static bool is_memfd(int fd)
{
    char link[64], target[256];
    ssize_t n;

    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof(target) - 1);
    if (n < 0) {
        return false;
    }
    target[n] = '\0';
    return !strncmp(target, "/memfd:", 7);
}

int sim_ioas_map_file_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_map_file *cmd = u->cmd;
    struct sim_area a = { .file_start = cmd->start };
    struct sim_ioas *ioas;
    uint64_t iova = cmd->iova;
    int ret;

    log_map(u, cmd->ioas_id, cmd->flags, cmd->iova, cmd->length);
    sim_log_i64(u->log, "file_fd", cmd->fd);
    sim_log_u64(u->log, "start", cmd->start);
    ret = check_map_args(cmd->flags, cmd->iova, cmd->length);
    if (ret) {
        return ret;
    }
    ioas = find_ioas(u, cmd->ioas_id);
    if (!ioas) {
        return -ENOENT;
    }
    if (fcntl(cmd->fd, F_GETFD) < 0) {
        return -EBADF;
    }
    /* Only memfds (shmem or hugetlbfs) can be pinned by file offset. */
    if (!is_memfd(cmd->fd)) {
        return -EINVAL;
    }
    if (!cmd->length) {
        return -EINVAL;
    }
    if (cmd->start + cmd->length < cmd->start) {
        return -EOVERFLOW;
    }
    a.file_fd = fcntl(cmd->fd, F_DUPFD_CLOEXEC, 0);
    if (a.file_fd < 0) {
        return -ENOMEM;
    }
    a.backing_writable = cmd->flags & IOMMU_IOAS_MAP_WRITEABLE;
    ret = map_area(ioas, cmd->flags, &iova, cmd->length, &a, cmd->start);
    if (ret) {
        close(a.file_fd);
        return ret;
    }
    cmd->iova = iova;
    u->respond = true;
    sim_log_u64(u->log, "out_iova", iova);
    return 0;
}

/* [iova, iova + length) of src must be covered without holes (ENOENT). */
static int collect_source(struct sim_ioas *src, uint64_t iova,
                          uint64_t length, size_t *first, size_t *count)
{
    uint64_t last, pos = iova;
    size_t i;

    if (!length) {
        return -EINVAL;
    }
    if (iova + (length - 1) < iova) {
        return -EOVERFLOW;
    }
    last = iova + length - 1;
    i = sim_iova_map_lower_bound(&src->map, iova);
    *first = i;
    for (; i < src->map.num; i++) {
        const struct sim_area *a = &src->map.areas[i];

        if (a->iova > pos) {
            return -ENOENT;
        }
        if (a->last >= last) {
            *count = i - *first + 1;
            return 0;
        }
        pos = a->last + 1;
    }
    return -ENOENT;
}

int sim_ioas_copy_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_copy *cmd = u->cmd;
    struct sim_ioas *src, *dst;
    size_t first, count;
    uint64_t dst_iova = cmd->dst_iova, done = 0;
    int ret;

    sim_log_u64(u->log, "src_ioas_id", cmd->src_ioas_id);
    sim_log_u64(u->log, "dst_ioas_id", cmd->dst_ioas_id);
    sim_log_u64(u->log, "flags", cmd->flags);
    sim_log_u64(u->log, "src_iova", cmd->src_iova);
    sim_log_u64(u->log, "dst_iova", cmd->dst_iova);
    sim_log_u64(u->log, "length", cmd->length);
    if (cmd->flags & ~MAP_VALID_FLAGS) {
        return -EOPNOTSUPP;
    }
    if (cmd->length >= SIM_ULONG_MAX || cmd->src_iova >= SIM_ULONG_MAX ||
        cmd->dst_iova >= SIM_ULONG_MAX) {
        return -EOVERFLOW;
    }
    if (!(cmd->flags & MAP_PROT_FLAGS)) {
        return -EINVAL;
    }
    src = find_ioas(u, cmd->src_ioas_id);
    if (!src) {
        return -ENOENT;
    }
    ret = collect_source(src, cmd->src_iova, cmd->length, &first, &count);
    if (ret) {
        return ret;
    }
    dst = find_ioas(u, cmd->dst_ioas_id);
    if (!dst) {
        return -ENOENT;
    }
    for (size_t i = first; i < first + count; i++) {
        if ((cmd->flags & IOMMU_IOAS_MAP_WRITEABLE) &&
            !src->map.areas[i].backing_writable) {
            return -EPERM;
        }
    }
    if (cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA) {
        ret = check_fixed_iova(dst, dst_iova, cmd->length);
    } else {
        ret = alloc_iova(dst, 0, cmd->length, &dst_iova);
    }
    if (ret) {
        return ret;
    }
    if ((cmd->length | dst_iova) & (iova_alignment(dst) - 1)) {
        return -EINVAL;
    }
    /* One destination area per source area, clipped to the copied range. */
    for (size_t i = first; i < first + count; i++) {
        struct sim_area a = src->map.areas[i];
        uint64_t lo = a.iova > cmd->src_iova ? a.iova : cmd->src_iova;
        uint64_t hi = a.last < cmd->src_iova + cmd->length - 1 ?
                      a.last : cmd->src_iova + cmd->length - 1;
        uint64_t skip = lo - a.iova;

        if (a.file_fd >= 0) {
            a.file_fd = fcntl(a.file_fd, F_DUPFD_CLOEXEC, 0);
            a.file_start += skip;
        } else {
            a.user_va += skip;
        }
        a.iova = dst_iova + done;
        a.last = a.iova + (hi - lo);
        a.prot = cmd->flags & MAP_PROT_FLAGS;
        done += hi - lo + 1;
        if (sim_iova_map_insert(&dst->map, &a)) {
            release_area(&a);
            return -ENOMEM;
        }
    }
    cmd->dst_iova = dst_iova;
    u->respond = true;
    return 0;
}

/*
 * The kernel removes whole areas from the lowest up and stops with ENOENT
 * at the first area that sticks out of the range: areas before it stay
 * unmapped although the call fails.
 */
static int unmap_range(struct sim_ioas *ioas, uint64_t first, uint64_t last,
                       uint64_t *unmapped)
{
    int ret = -ENOENT;
    size_t i;

    *unmapped = 0;
    while ((i = sim_iova_map_lower_bound(&ioas->map, first)) <
           ioas->map.num && ioas->map.areas[i].iova <= last) {
        struct sim_area *a = &ioas->map.areas[i];

        if (a->iova < first || a->last > last) {
            return -ENOENT;
        }
        *unmapped += a->last - a->iova + 1;
        release_area(a);
        sim_iova_map_remove(&ioas->map, i);
        ret = 0;
    }
    return ret;
}

int sim_ioas_unmap_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_unmap *cmd = u->cmd;
    struct sim_ioas *ioas;
    uint64_t unmapped;
    int ret;

    sim_log_u64(u->log, "ioas_id", cmd->ioas_id);
    sim_log_u64(u->log, "iova", cmd->iova);
    sim_log_u64(u->log, "length", cmd->length);
    ioas = find_ioas(u, cmd->ioas_id);
    if (!ioas) {
        return -ENOENT;
    }
    if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
        ret = unmap_range(ioas, 0, SIM_ULONG_MAX, &unmapped);
        if (ret == -ENOENT) {
            ret = 0;    /* unmapping everything of nothing succeeds */
        }
    } else if (cmd->iova >= SIM_ULONG_MAX || cmd->length >= SIM_ULONG_MAX) {
        ret = -EOVERFLOW;
    } else if (!cmd->length) {
        ret = -EINVAL;
    } else if (cmd->iova + (cmd->length - 1) < cmd->iova) {
        ret = -EOVERFLOW;
    } else {
        ret = unmap_range(ioas, cmd->iova, cmd->iova + cmd->length - 1,
                          &unmapped);
    }
    if (ret) {
        return ret;
    }
    cmd->length = unmapped;
    u->respond = true;
    sim_log_u64(u->log, "unmapped", unmapped);
    return 0;
}

int sim_ioas_iova_ranges_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_iova_ranges *cmd = u->cmd;
    struct iommu_iova_range *out = (void *)(uintptr_t)cmd->allowed_iovas;
    struct iova_range r[2];
    struct sim_ioas *ioas;
    uint32_t max = cmd->num_iovas;
    unsigned n;

    sim_log_u64(u->log, "ioas_id", cmd->ioas_id);
    sim_log_u64(u->log, "num_iovas", cmd->num_iovas);
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    ioas = find_ioas(u, cmd->ioas_id);
    if (!ioas) {
        return -ENOENT;
    }
    n = allowed_ranges(ioas, r);
    for (unsigned i = 0; i < n && i < max; i++) {
        if (!out) {
            return -EFAULT;
        }
        out[i].start = r[i].first;
        out[i].last = r[i].last;
    }
    cmd->num_iovas = n;
    cmd->out_iova_alignment = iova_alignment(ioas);
    /* The count goes back even when the array was too small. */
    u->respond = true;
    sim_log_u64(u->log, "out_num_iovas", n);
    return max < n ? -EMSGSIZE : 0;
}

/*
 * Moving pinned-page accounting to the calling process only works for
 * file mappings; the simulator has no accounting to move, and the process
 * never changes under it, so what is left is the kernel's refusal when any
 * IOAS holds a mapping of process memory.
 */
int sim_ioas_change_process_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_change_process *cmd = u->cmd;
    struct sim_id_table *t = &u->ictx->objects;

    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    for (uint32_t id = 1; id < t->next; id++) {
        struct sim_obj *obj = sim_id_lookup(t, id);

        if (!obj || obj->type != SIM_OBJ_IOAS) {
            continue;
        }
        for (size_t i = 0; i < to_ioas(obj)->map.num; i++) {
            if (to_ioas(obj)->map.areas[i].file_fd < 0) {
                return -EINVAL;
            }
        }
    }
    return 0;
}

static int option_rlimit_mode(struct sim_ucmd *u, struct iommu_option *cmd)
{
    if (cmd->object_id) {
        return -EOPNOTSUPP;
    }
    if (cmd->op == IOMMU_OPTION_OP_GET) {
        cmd->val64 = u->ictx->account_mode_mm;
        return 0;
    }
    if (cmd->op != IOMMU_OPTION_OP_SET) {
        return -EOPNOTSUPP;
    }
    /* Changing the accounting of existing pins is not possible. */
    if (u->ictx->objects.count) {
        return -EBUSY;
    }
    if (cmd->val64 > 1) {
        return -EINVAL;
    }
    u->ictx->account_mode_mm = cmd->val64;
    return 0;
}

static int option_huge_pages(struct sim_ucmd *u, struct iommu_option *cmd)
{
    struct sim_ioas *ioas = find_ioas(u, cmd->object_id);

    if (!ioas) {
        return -ENOENT;
    }
    if (cmd->op == IOMMU_OPTION_OP_GET) {
        cmd->val64 = !ioas->huge_pages_disabled;
        return 0;
    }
    if (cmd->op != IOMMU_OPTION_OP_SET) {
        return -EOPNOTSUPP;
    }
    if (cmd->val64 > 1) {
        return -EINVAL;
    }
    /* Domains already populated cannot be remapped to small pages. */
    if (!cmd->val64 && !ioas->huge_pages_disabled && ioas->num_domains &&
        ioas->map.num) {
        return -EINVAL;
    }
    ioas->huge_pages_disabled = !cmd->val64;
    return 0;
}

int sim_option_ioctl(struct sim_ucmd *u)
{
    struct iommu_option *cmd = u->cmd;
    int ret;

    sim_log_u64(u->log, "option_id", cmd->option_id);
    sim_log_u64(u->log, "op_code", cmd->op);
    sim_log_u64(u->log, "id", cmd->object_id);
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    switch (cmd->option_id) {
    case IOMMU_OPTION_RLIMIT_MODE:
        ret = option_rlimit_mode(u, cmd);
        break;
    case IOMMU_OPTION_HUGE_PAGES:
        ret = option_huge_pages(u, cmd);
        break;
    default:
        return -EOPNOTSUPP;
    }
    if (!ret) {
        sim_log_u64(u->log, "val64", cmd->val64);
        u->respond = true;
    }
    return ret;
}
