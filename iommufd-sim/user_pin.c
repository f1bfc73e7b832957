/*
 * iommufd-sim: whether the kernel could pin ranges of process memory
 *
 * The process's mappings and their permissions come from
 * /proc/self/maps, which lists the VMAs in ascending order with the
 * VM_READ and VM_WRITE flags check_vma_flags() looks at.  Reading it is
 * the costly part, so one snapshot serves every range of an operation.
 * Not modelled: VM_IO/VM_PFNMAP mappings (device memory, which maps does
 * not show) and a long-term write pin of a shared file mapping that needs
 * dirty tracking (writable_file_mapping_allowed()), both EFAULT in the
 * kernel.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user_pin.h"

#define PIN_PAGE_SIZE 4096ULL

struct sim_vma {
    uint64_t first, end;    /* [first, end) */
    bool read, write;       /* VM_READ, VM_WRITE */
};

struct sim_user_maps {
    struct sim_vma *vmas;   /* ascending, as maps lists them */
    size_t num;
};

/*
 * /proc/self/maps, NUL-terminated, into *out (to free); 0 or -ENOMEM.
 * Raw syscalls: the simulator's own open(), read() and close() must not
 * be re-entered.
 */
static int read_text(char **out)
{
    size_t len = 0, cap = 16384;
    char *buf = malloc(cap);
    int fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/maps",
                     O_RDONLY | O_CLOEXEC);
    long n = -1;

    while (buf && fd >= 0 &&
           (n = syscall(SYS_read, fd, buf + len, cap - len - 1)) > 0) {
        len += n;
        if (cap - len == 1) {
            char *grown = realloc(buf, cap * 2);

            if (!grown) {
                n = -1;
                break;
            }
            buf = grown;
            cap *= 2;
        }
    }
    if (fd >= 0) {
        syscall(SYS_close, fd);
    }
    if (n < 0) {
        free(buf);
        return -ENOMEM;
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

int sim_user_maps_read(struct sim_user_maps **out)
{
    struct sim_user_maps *maps = calloc(1, sizeof(*maps));
    char *text, *line, *save;
    size_t cap = 0;

    if (!maps || read_text(&text)) {
        free(maps);
        return -ENOMEM;
    }
    for (line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        struct sim_vma v;
        char perms[5];

        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s", &v.first, &v.end,
                   perms) != 3) {
            continue;
        }
        if (maps->num == cap) {
            struct sim_vma *grown;

            cap = cap ? cap * 2 : 64;
            grown = realloc(maps->vmas, cap * sizeof(*grown));
            if (!grown) {
                free(text);
                sim_user_maps_free(maps);
                return -ENOMEM;
            }
            maps->vmas = grown;
        }
        v.read = perms[0] == 'r';
        v.write = perms[1] == 'w';
        maps->vmas[maps->num++] = v;
    }
    free(text);
    *out = maps;
    return 0;
}

void sim_user_maps_free(struct sim_user_maps *maps)
{
    if (maps) {
        free(maps->vmas);
        free(maps);
    }
}

int sim_user_pin_check(const struct sim_user_maps *maps, uint64_t uaddr,
                       uint64_t len, bool write)
{
    uint64_t pos = uaddr & ~(PIN_PAGE_SIZE - 1), end = uaddr + len;
    size_t lo = 0, hi = maps->num;

    /* The first VMA ending above pos. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (maps->vmas[mid].end <= pos) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    /* Each page must lie in a VMA the pin may use, without holes. */
    for (size_t i = lo; i < maps->num && pos < end; i++) {
        const struct sim_vma *v = &maps->vmas[i];

        if (v->first > pos || !(write ? v->write : v->read)) {
            break;
        }
        pos = v->end;
    }
    return pos >= end ? 0 : -EFAULT;
}
