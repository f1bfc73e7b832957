/*
 * iommufd-sim: JSON-lines call log
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int log_fd = -1;

void sim_log_open(const char *path)
{
    if (!path || !*path) {
        return;
    }
    log_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        fprintf(stderr, "iommufd-sim: cannot open log %s: %m\n", path);
        exit(1);
    }
}

void sim_log_close(void)
{
    if (log_fd >= 0) {
        close(log_fd);
        log_fd = -1;
    }
}

bool sim_log_enabled(void)
{
    return log_fd >= 0;
}

/* Truncation only drops trailing fields: the closing brace always fits. */
static void append(struct sim_log_rec *r, const char *fmt, ...)
{
    size_t room = sizeof(r->buf) - 2 - r->len;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(r->buf + r->len, room, fmt, ap);
    va_end(ap);
    if (n > 0) {
        r->len += (size_t)n < room ? (size_t)n : room - 1;
    }
}

/*
 * Each key at most once per record: a duplicate makes the line invalid for
 * strict JSON readers (QEMU's parser refuses it), so it is a bug here.
 */
static void append_key(struct sim_log_rec *r, const char *key)
{
    char quoted[64];

    snprintf(quoted, sizeof(quoted), "\"%s\":", key);
    assert(!strstr(r->buf, quoted));
    append(r, ",%s", quoted);
}

void sim_log_begin(struct sim_log_rec *r, const char *op)
{
    r->len = 0;
    append(r, "{\"op\":\"%s\"", op);
}

void sim_log_u64(struct sim_log_rec *r, const char *key, uint64_t val)
{
    append_key(r, key);
    append(r, "%" PRIu64, val);
}

void sim_log_i64(struct sim_log_rec *r, const char *key, int64_t val)
{
    append_key(r, key);
    append(r, "%" PRId64, val);
}

void sim_log_bool(struct sim_log_rec *r, const char *key, bool val)
{
    append_key(r, key);
    append(r, "%s", val ? "true" : "false");
}

void sim_log_str(struct sim_log_rec *r, const char *key, const char *val)
{
    append_key(r, key);
    append(r, "\"");
    for (; *val; val++) {
        unsigned char c = *val;

        if (c == '"' || c == '\\') {
            append(r, "\\%c", c);
        } else if (c < 0x20) {
            append(r, "\\u%04x", c);
        } else {
            append(r, "%c", c);
        }
    }
    append(r, "\"");
}

void sim_log_emit(struct sim_log_rec *r)
{
    ssize_t n;

    if (log_fd < 0) {
        return;
    }
    r->buf[r->len++] = '}';
    r->buf[r->len++] = '\n';
    n = write(log_fd, r->buf, r->len);
    (void)n; /* nowhere to report a failing log */
}

void sim_log_end(struct sim_log_rec *r, int ret)
{
    sim_log_i64(r, "ret", ret);
    sim_log_emit(r);
}
