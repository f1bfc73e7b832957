/*
 * iommufd-sim: file descriptors that stand for simulated device files
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdlib.h>

#include "fd_table.h"

static struct sim_fd *entries;
static int num_entries;

struct sim_fd *sim_fd_lookup(int fd)
{
    if (fd < 0 || fd >= num_entries || entries[fd].kind == SIM_FD_NONE) {
        return NULL;
    }
    return &entries[fd];
}

int sim_fd_insert(int fd, const struct sim_fd *entry)
{
    if (fd >= num_entries) {
        int n = fd + 64;
        struct sim_fd *grown = realloc(entries, n * sizeof(*grown));

        if (!grown) {
            return -ENOMEM;
        }
        for (int i = num_entries; i < n; i++) {
            grown[i].kind = SIM_FD_NONE;
        }
        entries = grown;
        num_entries = n;
    }
    entries[fd] = *entry;
    return 0;
}

void sim_fd_remove(int fd)
{
    entries[fd].kind = SIM_FD_NONE;
}

void sim_fd_for_each(void (*fn)(int fd, struct sim_fd *entry))
{
    for (int fd = 0; fd < num_entries; fd++) {
        if (entries[fd].kind != SIM_FD_NONE) {
            fn(fd, &entries[fd]);
        }
    }
}
