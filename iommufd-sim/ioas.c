/*
 * iommufd-sim: IO address spaces
 *
 * Mapping rules follow the kernel's io_pagetable: IOVA alignment is 1 until
 * a paging domain joins and then its smallest page size (4 KiB), or 4 KiB
 * once huge pages are disabled; reserved ranges (outside a domain's
 * aperture, the MSI window while a device is attached, the selftest's
 * ADD_RESERVED) cannot be mapped (EINVAL); an existing mapping cannot be
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
#include "access.h"
#include "ioas.h"
#include "mock_iommu.h"
#include "ioas_fill.h"
#include "ucmd.h"
#include "user_pin.h"

#define SIM_PAGE_SIZE 4096ULL
/* The kernel caps automatic IOVA alignment at HPAGE_SIZE (x86, THP). */
#define SIM_HPAGE_SIZE (2ULL << 20)
#define MAP_PROT_FLAGS (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define MAP_VALID_FLAGS (MAP_PROT_FLAGS | IOMMU_IOAS_MAP_FIXED_IOVA)

/* The kernel's limits are unsigned long: U64_MAX itself is out of range. */
#define SIM_ULONG_MAX UINT64_MAX

static uint64_t pages_ids;     /* the last iopt_pages id handed out */

/*
 * iopt_calculate_iova_alignment(): PAGE_SIZE with large pages disabled
 * (batch_iommu_map_small() maps page by page), the smallest page size of
 * every domain (4 KiB for VT-d, 2 KiB for the mock driver), PAGE_SIZE for
 * an access that pins, else 1.
 */
static uint64_t alignment_for(const struct sim_ioas *ioas,
                              bool huge_pages_disabled)
{
    uint64_t align = huge_pages_disabled ? SIM_PAGE_SIZE : 1;

    for (size_t i = 0; i < ioas->num_domains; i++) {
        if (ioas->domains[i].min_page > align) {
            align = ioas->domains[i].min_page;
        }
    }
    /* An access that pins pages needs PAGE_SIZE (iommufd_access_create()). */
    for (size_t i = 0; i < ioas->num_accesses; i++) {
        if (ioas->accesses[i]->needs_pin && SIM_PAGE_SIZE > align) {
            align = SIM_PAGE_SIZE;
        }
    }
    return align;
}

static uint64_t iova_alignment(const struct sim_ioas *ioas)
{
    return alignment_for(ioas, ioas->huge_pages_disabled);
}

uint64_t sim_ioas_iova_alignment(const struct sim_ioas *ioas)
{
    return iova_alignment(ioas);
}

/*
 * iopt_check_iova_alignment(): a larger alignment needs every area's IOVA,
 * length and user page offset aligned to it, else EADDRINUSE.
 */
static int check_areas_aligned(const struct sim_ioas *ioas, uint64_t align)
{
    for (size_t i = 0; i < ioas->map.num; i++) {
        const struct sim_area *a = &ioas->map.areas[i];
        uint64_t page_off = (a->file_fd >= 0 ? a->file_start : a->user_va) %
                            SIM_PAGE_SIZE;

        if ((a->iova | (a->last - a->iova + 1) | page_off) & (align - 1)) {
            return -EADDRINUSE;
        }
    }
    return 0;
}


static int cmp_range(const void *a, const void *b)
{
    const struct sim_iova_range *x = a, *y = b;

    return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * Allowed ranges, ascending, as iommufd_ioas_iova_ranges() reports them:
 * the complement of the reserved ranges (the aperture's outside, the MSI
 * window while a RID is attached, ADD_RESERVED ones).  The caller frees
 * *out; the count, or -ENOMEM.
 */
/* Room reserved_ranges() needs. */
static size_t max_reserved(const struct sim_ioas *ioas)
{
    return ioas->num_test_reserved + 2 * ioas->num_domains + 1;
}

/*
 * The reserved ranges, sorted, into res (room for max_reserved()): what
 * iopt_reserve_iova() put in the kernel's reserved_itree.
 */
static size_t reserved_ranges(const struct sim_ioas *ioas,
                              struct sim_iova_range *res)
{
    size_t nres = 0;

    for (size_t i = 0; i < ioas->num_domains; i++) {
        const struct sim_domain_geometry *g = &ioas->domains[i];

        if (g->aperture_first) {
            res[nres++] = (struct sim_iova_range) { 0, g->aperture_first - 1 };
        }
        if (g->aperture_last < SIM_ULONG_MAX) {
            res[nres++] = (struct sim_iova_range) { g->aperture_last + 1,
                                                    SIM_ULONG_MAX };
        }
    }
    if (ioas->num_rid_attached) {
        res[nres++] = (struct sim_iova_range) { SIM_MSI_WINDOW_FIRST,
                                            SIM_MSI_WINDOW_LAST };
    }
    for (size_t i = 0; i < ioas->num_test_reserved; i++) {
        res[nres++] = (struct sim_iova_range) { ioas->test_reserved[i].first,
                                            ioas->test_reserved[i].last };
    }
    qsort(res, nres, sizeof(*res), cmp_range);
    return nres;
}

/* Whether [first, last] meets a range IOAS_ALLOW_IOVAS allowed. */
static bool meets_allowed(const struct sim_ioas *ioas, uint64_t first,
                          uint64_t last)
{
    for (size_t i = 0; i < ioas->num_allowed; i++) {
        if (ioas->allowed[i].first <= last && first <= ioas->allowed[i].last) {
            return true;
        }
    }
    return false;
}

static long allowed_ranges(const struct sim_ioas *ioas,
                           struct sim_iova_range **out)
{
    size_t max = max_reserved(ioas), nres, n = 0;
    struct sim_iova_range *res = calloc(max, sizeof(*res));
    struct sim_iova_range *r = calloc(max + 1, sizeof(*r));
    uint64_t next = 0;
    bool done = false;

    if (!res || !r) {
        free(res);
        free(r);
        return -ENOMEM;
    }
    nres = reserved_ranges(ioas, res);
    for (size_t i = 0; i < nres && !done; i++) {
        if (res[i].first > next) {
            r[n++] = (struct sim_iova_range) { next, res[i].first - 1 };
        }
        if (res[i].last == SIM_ULONG_MAX) {
            done = true;
        } else if (res[i].last + 1 > next) {
            next = res[i].last + 1;
        }
    }
    if (!done) {
        r[n++] = (struct sim_iova_range) { next, SIM_ULONG_MAX };
    }
    free(res);
    *out = r;
    return n;
}

long sim_ioas_allowed_ranges(const struct sim_ioas *ioas,
                             struct sim_iova_range **out)
{
    return allowed_ranges(ioas, out);
}

/* -EINVAL if a reserved range intersects [first, last] (iopt_check_iova). */
static int check_allowed(const struct sim_ioas *ioas, uint64_t first,
                         uint64_t last)
{
    struct sim_iova_range *r;
    long n = allowed_ranges(ioas, &r);
    int ret = -EINVAL;

    if (n < 0) {
        return n;
    }
    for (long i = 0; i < n; i++) {
        if (first >= r[i].first && last <= r[i].last) {
            ret = 0;
        }
    }
    free(r);
    return ret;
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
    free(ioas->test_reserved);
    free(ioas->allowed);
    free(ioas->domains);
    free(ioas->accesses);
    free(ioas);
}

/*
 * Whether a mapping with @prot can fill every domain of the IOAS
 * (iopt_fill_domains_pages()): Linux 6.12 fails a read-only one in a VT-d
 * nest parent with EINVAL, and the whole IOAS_MAP with it.
 */
static int check_domains_take(const struct sim_ioas *ioas, uint32_t prot)
{
    if (prot & IOMMU_IOAS_MAP_WRITEABLE) {
        return 0;
    }
    for (size_t i = 0; i < ioas->num_domains; i++) {
        if (ioas->domains[i].refuses_read_only) {
            return -EINVAL;
        }
    }
    return 0;
}

int sim_ioas_add_domain(struct sim_ioas *ioas,
                        const struct sim_domain_geometry *geo)
{
    struct sim_domain_geometry *grown;
    uint64_t align = iova_alignment(ioas);
    int ret;

    /* iopt_reserve_iova() of the aperture's outside: not over allowed. */
    if ((geo->aperture_first &&
         meets_allowed(ioas, 0, geo->aperture_first - 1)) ||
        (geo->aperture_last < SIM_ULONG_MAX &&
         meets_allowed(ioas, geo->aperture_last + 1, SIM_ULONG_MAX))) {
        return -EADDRINUSE;
    }
    for (size_t i = 0; i < ioas->map.num; i++) {
        const struct sim_area *a = &ioas->map.areas[i];

        if (a->iova < geo->aperture_first || a->last > geo->aperture_last) {
            return -EADDRINUSE;
        }
    }
    if (geo->min_page > align) {
        ret = check_areas_aligned(ioas, geo->min_page);
        if (ret) {
            return ret;
        }
    }
    ret = sim_ioas_fill_domain(ioas, geo);
    if (ret) {
        return ret;
    }
    grown = realloc(ioas->domains, (ioas->num_domains + 1) * sizeof(*grown));
    if (!grown) {
        return -ENOMEM;
    }
    ioas->domains = grown;
    ioas->domains[ioas->num_domains++] = *geo;
    return 0;
}

int sim_ioas_add_access(struct sim_ioas *ioas, struct sim_access *access)
{
    struct sim_access **grown;
    uint64_t align = iova_alignment(ioas);
    int ret;

    /* iopt_add_access(): the alignment the access needs, over the areas. */
    if (access->needs_pin && SIM_PAGE_SIZE > align) {
        ret = check_areas_aligned(ioas, SIM_PAGE_SIZE);
        if (ret) {
            return ret;
        }
    }
    grown = realloc(ioas->accesses,
                    (ioas->num_accesses + 1) * sizeof(*grown));
    if (!grown) {
        return -ENOMEM;
    }
    ioas->accesses = grown;
    ioas->accesses[ioas->num_accesses++] = access;
    return 0;
}

void sim_ioas_remove_access(struct sim_ioas *ioas, struct sim_access *access)
{
    for (size_t i = 0; i < ioas->num_accesses; i++) {
        if (ioas->accesses[i] == access) {
            ioas->accesses[i] = ioas->accesses[--ioas->num_accesses];
            return;
        }
    }
}

void sim_ioas_remove_domain(struct sim_ioas *ioas,
                            const struct sim_domain_geometry *geo)
{
    for (size_t i = 0; i < ioas->num_domains; i++) {
        if (!memcmp(&ioas->domains[i], geo, sizeof(*geo))) {
            ioas->domains[i] = ioas->domains[--ioas->num_domains];
            return;
        }
    }
}

int sim_ioas_rid_attach(struct sim_ioas *ioas)
{
    if (!ioas->num_rid_attached &&
        (sim_iova_map_first_in(&ioas->map, SIM_MSI_WINDOW_FIRST,
                               SIM_MSI_WINDOW_LAST) ||
         meets_allowed(ioas, SIM_MSI_WINDOW_FIRST, SIM_MSI_WINDOW_LAST))) {
        return -EADDRINUSE;
    }
    ioas->num_rid_attached++;
    return 0;
}

void sim_ioas_rid_detach(struct sim_ioas *ioas)
{
    ioas->num_rid_attached--;
}

int sim_ioas_add_test_reserved(struct sim_ioas *ioas, uint64_t first,
                               uint64_t last)
{
    struct sim_iova_range *r;

    if (sim_iova_map_first_in(&ioas->map, first, last) ||
        meets_allowed(ioas, first, last)) {
        return -EADDRINUSE;
    }
    r = realloc(ioas->test_reserved,
                (ioas->num_test_reserved + 1) * sizeof(*r));
    if (!r) {
        return -ENOMEM;
    }
    ioas->test_reserved = r;
    r[ioas->num_test_reserved++] = (struct sim_iova_range) { first, last };
    return 0;
}

/*
 * The kernel pins an area's pages when a domain is filled from it
 * (iopt_area_fill_domains()) or an access pins them
 * (iopt_area_add_access()), once per iopt_pages however many users; with
 * neither, IOAS_MAP pins nothing.
 */
void sim_ioas_page_pins(const struct sim_ioas *ioas, uint64_t uaddr,
                        uint64_t *ids, size_t *n, size_t max)
{
    uint64_t page = uaddr & ~(SIM_PAGE_SIZE - 1);

    for (size_t i = 0; i < ioas->map.num; i++) {
        const struct sim_area *a = &ioas->map.areas[i];
        uint64_t first = a->user_va & ~(SIM_PAGE_SIZE - 1);
        uint64_t last = a->user_va + (a->last - a->iova);
        bool seen = false;

        if (a->file_fd >= 0 || page < first || page > last) {
            continue;
        }
        /* The IOVA of the page's first byte in this area. */
        if (!ioas->num_domains &&
            !sim_access_pinned(ioas, a->iova + (page > a->user_va ?
                                                page - a->user_va : 0))) {
            continue;
        }
        for (size_t k = 0; k < *n; k++) {
            seen |= ids[k] == a->pages_id;
        }
        if (!seen && *n < max) {
            ids[(*n)++] = a->pages_id;
        }
    }
}

enum sim_fault sim_ioas_translate(struct sim_ioas *ioas,
                                  const struct sim_domain_geometry *domain,
                                  uint64_t addr, bool write,
                                  struct sim_host_range *out)
{
    struct sim_area *a = sim_iova_map_find(&ioas->map, addr);
    uint32_t prot;
    uint64_t off;

    if (!a) {
        return SIM_FAULT_S2_MISS;
    }
    prot = a->prot;
    if (domain && domain->forces_writeable) {
        prot |= IOMMU_IOAS_MAP_WRITEABLE;
    }
    if (!(prot & (write ? IOMMU_IOAS_MAP_WRITEABLE :
                          IOMMU_IOAS_MAP_READABLE))) {
        return SIM_FAULT_S2_PERM;
    }
    off = addr - a->iova;
    out->forced_write = write && !(a->prot & IOMMU_IOAS_MAP_WRITEABLE);
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

/*
 * The device writes a page pinned read-only: through /proc/self/mem,
 * which like the device ignores the protection of the process's mapping.
 */
static bool write_forced(void *hva, const void *buf, uint64_t len)
{
    static int mem_fd = -1;

    if (mem_fd < 0) {
        mem_fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/mem",
                         O_RDWR | O_CLOEXEC);
        if (mem_fd < 0) {
            return false;
        }
    }
    return syscall(SYS_pwrite64, mem_fd, buf, len, (uintptr_t)hva) ==
           (long)len;
}

bool sim_host_write(const struct sim_host_range *r, const void *buf,
                    uint64_t len)
{
    if (r->hva && r->forced_write) {
        return write_forced(r->hva, buf, len);
    }
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

/*
 * iopt_alloc_iova(): the lowest free IOVA from PAGE_SIZE up to
 * ULONG_MAX - PAGE_SIZE, inside the IOAS_ALLOW_IOVAS ranges if any, aligned to the length's power of two but not past
 * the user address's own alignment nor HPAGE_SIZE, with the user address's
 * page offset kept (__alloc_iova_check_range()).  Smaller than the IOAS's
 * alignment: EINVAL.
 */
static int alloc_iova(struct sim_ioas *ioas, uint64_t uptr, uint64_t length,
                      uint64_t *iova)
{
    uint64_t page_offset = uptr % SIM_PAGE_SIZE, align;
    struct sim_iova_range *r;
    size_t nallow;
    long n;

    if (!length || length >= SIM_ULONG_MAX / 2) {
        return -EOVERFLOW;
    }
    align = roundup_pow2(length);
    if (uptr && align > (1ULL << __builtin_ctzll(uptr))) {
        align = 1ULL << __builtin_ctzll(uptr);
    }
    if (align >= SIM_HPAGE_SIZE) {
        align = SIM_HPAGE_SIZE;
    }
    if (align < iova_alignment(ioas)) {
        return -EINVAL;
    }
    n = allowed_ranges(ioas, &r);
    if (n < 0) {
        return n;
    }
    /* Each hole of the reserved ranges, within each allowed range. */
    nallow = ioas->num_allowed ? ioas->num_allowed : 1;
    for (size_t i = 0; i < (size_t)n * nallow; i++) {
        const struct sim_iova_range *hole = &r[i / nallow];
        uint64_t first = hole->first < SIM_PAGE_SIZE ? SIM_PAGE_SIZE :
                         hole->first;
        uint64_t last = hole->last > SIM_ULONG_MAX - SIM_PAGE_SIZE ?
                        SIM_ULONG_MAX - SIM_PAGE_SIZE : hole->last;
        size_t j;

        if (ioas->num_allowed) {
            const struct sim_iova_range *allow =
                &ioas->allowed[i % ioas->num_allowed];

            first = allow->first > first ? allow->first : first;
            last = allow->last < last ? allow->last : last;
        }
        if (first > last) {
            continue;
        }
        /* Holes between the areas inside [first, last], lowest first. */
        j = sim_iova_map_lower_bound(&ioas->map, first);
        for (;;) {
            const struct sim_area *a = j < ioas->map.num &&
                                       ioas->map.areas[j].iova <= last ?
                                       &ioas->map.areas[j] : NULL;
            uint64_t hole_last = a ? a->iova - 1 : last;
            uint64_t cand;

            if (a && a->iova == 0) {
                hole_last = 0;
            }
            if ((!a || a->iova > first) &&
                !__builtin_add_overflow(first, align - 1, &cand)) {
                cand = (cand & ~(align - 1)) | page_offset;
                if (cand < hole_last && hole_last - cand >= length - 1) {
                    *iova = cand;
                    free(r);
                    return 0;
                }
            }
            if (!a || a->last >= last) {
                break;
            }
            if (a->last + 1 > first) {
                first = a->last + 1;
            }
            j++;
        }
    }
    free(r);
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
    if (check_allowed(ioas, iova, iova + length - 1)) {
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

    /* iopt_alloc_area_pages() checks the length first ... */
    if (!length || (length & (align - 1))) {
        return -EINVAL;
    }
    if (flags & IOMMU_IOAS_MAP_FIXED_IOVA) {
        ret = check_fixed_iova(ioas, *iova, length);
    } else {
        ret = alloc_iova(ioas, page_addr, length, iova);
    }
    if (ret) {
        return ret;
    }
    /* ... and iopt_insert_area() the user address's page offset. */
    if ((page_addr % SIM_PAGE_SIZE) & (align - 1)) {
        return -EINVAL;
    }
    /*
     * With a domain on the IOAS the pages are pinned now, to fill it
     * (iopt_fill_domains_pages()); without one, not until something
     * needs them.  A file's pages are pinned through the file.
     */
    if (ioas->num_domains && a->file_fd < 0) {
        struct sim_user_maps *maps;

        ret = sim_user_maps_read(&maps);
        if (ret) {
            return ret;
        }
        ret = sim_user_pin_check(maps, page_addr, length,
                                 a->backing_writable);
        sim_user_maps_free(maps);
        if (ret) {
            return ret;
        }
    }
    ret = check_domains_take(ioas, flags & MAP_PROT_FLAGS);
    if (ret) {
        return ret;
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
    ret = sim_ioas_map_user(ioas, cmd->flags, &iova, cmd->user_va,
                            cmd->length);
    if (ret) {
        return ret;
    }
    cmd->iova = iova;
    u->respond = true;
    sim_log_u64(u->log, "out_iova", iova);
    return 0;
}

int sim_ioas_map_user(struct sim_ioas *ioas, uint32_t flags, uint64_t *iova,
                      uint64_t uva, uint64_t length)
{
    struct sim_area a = { .file_fd = -1, .user_va = uva };

    a.backing_writable = flags & IOMMU_IOAS_MAP_WRITEABLE;
    a.pages_id = ++pages_ids;
    return map_area(ioas, flags, iova, length, &a, uva);
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
    a.pages_id = ++pages_ids;
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
    if (cmd->length & (iova_alignment(dst) - 1)) {
        return -EINVAL;
    }
    if (cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA) {
        ret = check_fixed_iova(dst, dst_iova, cmd->length);
    } else {
        /* iopt_alloc_area_pages(): the first source page's address. */
        const struct sim_area *s = &src->map.areas[first];
        uint64_t skip = cmd->src_iova - s->iova;

        ret = alloc_iova(dst, (s->file_fd >= 0 ? s->file_start : s->user_va) +
                         skip, cmd->length, &dst_iova);
    }
    if (ret) {
        return ret;
    }
    if (dst_iova & (iova_alignment(dst) - 1)) {
        return -EINVAL;
    }
    ret = check_domains_take(dst, cmd->flags & MAP_PROT_FLAGS);
    if (ret) {
        return ret;
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
 * iopt_unmap_iova_range(): the kernel removes whole areas from the lowest
 * up and stops with ENOENT at the first area that sticks out of the
 * range: areas before it stay unmapped although the call fails.  Nothing
 * mapped there is success.
 */
int sim_ioas_unmap(struct sim_ictx *ictx, struct sim_ioas *ioas,
                   uint64_t first, uint64_t last, uint64_t *unmapped)
{
    size_t i;

    *unmapped = 0;
    while ((i = sim_iova_map_lower_bound(&ioas->map, first)) <
           ioas->map.num && ioas->map.areas[i].iova <= last) {
        struct sim_area *a = &ioas->map.areas[i];

        if (a->iova < first || a->last > last) {
            return -ENOENT;
        }
        *unmapped += a->last - a->iova + 1;
        sim_access_notify_unmap(ioas, a->iova, a->last);
        sim_mock_unmapped(ictx, ioas, a->iova, a->last);
        release_area(a);
        sim_iova_map_remove(&ioas->map, i);
    }
    return 0;
}

/*
 * iopt_area_split(): the area holding iova becomes [start, iova] and
 * [iova + 1, last], sharing their pages; nothing to do at either end.
 * The new start must keep the IOAS's alignment (EINVAL), and no access
 * may have pages of the area pinned (EINVAL).
 */
static int split_area(struct sim_ioas *ioas, uint64_t iova)
{
    uint64_t align = iova_alignment(ioas);
    struct sim_area *a = sim_iova_map_find(&ioas->map, iova), rhs;

    if (!a || iova == a->iova || iova == a->last) {
        return 0;
    }
    rhs = *a;
    rhs.iova = iova + 1;
    if ((rhs.iova & (align - 1)) ||
        ((a->file_fd >= 0 ? a->file_start : a->user_va) +
         (rhs.iova - a->iova)) % SIM_PAGE_SIZE & (align - 1)) {
        return -EINVAL;
    }
    for (uint64_t p = a->iova; p <= a->last && p >= a->iova;
         p += SIM_PAGE_SIZE) {
        if (sim_access_pinned(ioas, p)) {
            return -EINVAL;
        }
    }
    if (a->file_fd >= 0) {
        rhs.file_fd = fcntl(a->file_fd, F_DUPFD_CLOEXEC, 0);
        if (rhs.file_fd < 0) {
            return -ENOMEM;
        }
        rhs.file_start += rhs.iova - a->iova;
    } else {
        rhs.user_va += rhs.iova - a->iova;
    }
    a->last = iova;
    if (sim_iova_map_insert(&ioas->map, &rhs)) {
        a = sim_iova_map_find(&ioas->map, iova);
        a->last = rhs.last;
        release_area(&rhs);
        return -ENOMEM;
    }
    return 0;
}

int sim_ioas_cut(struct sim_ioas *ioas, const uint64_t *iovas, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ret = split_area(ioas, iovas[i]);

        if (ret) {
            return ret;
        }
    }
    return 0;
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
    /* iommufd_ioas_unmap() */
    if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
        /* Unmapping everything of nothing succeeds. */
        ret = sim_ioas_unmap(u->ictx, ioas, 0, SIM_ULONG_MAX, &unmapped);
    } else if (cmd->iova >= SIM_ULONG_MAX || cmd->length >= SIM_ULONG_MAX) {
        ret = -EOVERFLOW;
    } else if (!cmd->length) {
        ret = -EINVAL;
    } else if (cmd->iova + (cmd->length - 1) < cmd->iova) {
        ret = -EOVERFLOW;
    } else {
        ret = sim_ioas_unmap(u->ictx, ioas, cmd->iova,
                             cmd->iova + cmd->length - 1, &unmapped);
        if (!ret && !unmapped) {
            ret = -ENOENT;
        }
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
    struct sim_iova_range *r;
    struct sim_ioas *ioas;
    uint32_t max = cmd->num_iovas;
    long n;

    sim_log_u64(u->log, "ioas_id", cmd->ioas_id);
    sim_log_u64(u->log, "num_iovas", cmd->num_iovas);
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    ioas = find_ioas(u, cmd->ioas_id);
    if (!ioas) {
        return -ENOENT;
    }
    n = allowed_ranges(ioas, &r);
    if (n < 0) {
        return n;
    }
    for (long i = 0; i < n && i < max; i++) {
        if (!out) {
            free(r);
            return -EFAULT;
        }
        out[i].start = r[i].first;
        out[i].last = r[i].last;
    }
    free(r);
    cmd->num_iovas = n;
    cmd->out_iova_alignment = iova_alignment(ioas);
    /* The count goes back even when the array was too small. */
    u->respond = true;
    sim_log_u64(u->log, "out_num_iovas", n);
    return (long)max < n ? -EMSGSIZE : 0;
}

/*
 * iommufd_ioas_allow_iovas(): the ranges automatic IOVAs may come from
 * (iommufd_ioas_load_iovas(): each start < last, none overlapping, EINVAL);
 * replaced as a whole, refused with EADDRINUSE while one meets a reserved
 * range (iopt_set_allow_iova()).  Zero ranges: no restriction.
 */
int sim_ioas_allow_iovas_ioctl(struct sim_ucmd *u)
{
    struct iommu_ioas_allow_iovas *cmd = u->cmd;
    const struct iommu_iova_range *in =
        (const void *)(uintptr_t)cmd->allowed_iovas;
    struct sim_iova_range *allowed = NULL;
    struct sim_iova_range *res = NULL;
    struct sim_ioas *ioas;
    size_t nres;
    int ret = 0;

    sim_log_u64(u->log, "ioas_id", cmd->ioas_id);
    sim_log_u64(u->log, "num_iovas", cmd->num_iovas);
    if (cmd->__reserved) {
        return -EOPNOTSUPP;
    }
    ioas = find_ioas(u, cmd->ioas_id);
    if (!ioas) {
        return -ENOENT;
    }
    if (cmd->num_iovas && !in) {
        return -EFAULT;
    }
    allowed = calloc(cmd->num_iovas + 1, sizeof(*allowed));
    res = calloc(max_reserved(ioas), sizeof(*res));
    if (!allowed || !res) {
        ret = -ENOMEM;
        goto out;
    }
    for (uint32_t i = 0; i < cmd->num_iovas; i++) {
        if (in[i].start >= in[i].last) {
            ret = -EINVAL;
            goto out;
        }
        for (uint32_t k = 0; k < i; k++) {
            if (allowed[k].first <= in[i].last &&
                in[i].start <= allowed[k].last) {
                ret = -EINVAL;
                goto out;
            }
        }
        allowed[i] = (struct sim_iova_range) { in[i].start, in[i].last };
    }
    nres = reserved_ranges(ioas, res);
    for (uint32_t i = 0; i < cmd->num_iovas; i++) {
        for (size_t k = 0; k < nres; k++) {
            if (res[k].first <= allowed[i].last &&
                allowed[i].first <= res[k].last) {
                ret = -EADDRINUSE;
                goto out;
            }
        }
    }
    /* Ascending, so automatic IOVAs are found lowest first. */
    qsort(allowed, cmd->num_iovas, sizeof(*allowed), cmp_range);
    free(ioas->allowed);
    ioas->allowed = allowed;
    ioas->num_allowed = cmd->num_iovas;
    allowed = NULL;
out:
    free(allowed);
    free(res);
    return ret;
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
    if (cmd->val64) {
        /* iopt_enable_large_pages(): the alignment can only shrink. */
        ioas->huge_pages_disabled = false;
        return 0;
    }
    return sim_ioas_disable_large_pages(ioas);
}

/*
 * iopt_disable_large_pages(): not once domains hold mappings, and the
 * IOVA alignment grows to PAGE_SIZE (EADDRINUSE over areas that are not
 * aligned to it).
 */
int sim_ioas_disable_large_pages(struct sim_ioas *ioas)
{
    if (ioas->huge_pages_disabled) {
        return 0;
    }
    if (ioas->num_domains && ioas->map.num) {
        return -EINVAL;
    }
    if (alignment_for(ioas, true) > iova_alignment(ioas)) {
        int ret = check_areas_aligned(ioas, alignment_for(ioas, true));

        if (ret) {
            return ret;
        }
    }
    ioas->huge_pages_disabled = true;
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
