/*
 * iommufd-sim tests: minimal TAP (Test Anything Protocol) output
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_TAP_H
#define IOMMUFD_SIM_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static unsigned tap_count, tap_failed;

/* The plan goes last, so tests need not count their checks up front. */
static inline int tap_done(void)
{
    printf("1..%u\n", tap_count);
    return tap_failed ? 1 : 0;
}

static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static inline bool tap_ok(bool cond, const char *fmt, ...)
{
    va_list ap;

    printf("%s %u - ", cond ? "ok" : "not ok", ++tap_count);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    tap_failed += !cond;
    return cond;
}

/* Checks that a call returning 0 / -1 with errno ended as expected. */
#define TAP_ERRNO(call, want, ...) \
    do { \
        int ret_ = (call), err_ = ret_ < 0 ? errno : 0; \
        if (!tap_ok(err_ == (want), __VA_ARGS__)) { \
            tap_diag("%s: got errno %d, want %d", #call, err_, (want)); \
        } \
    } while (0)

#endif /* IOMMUFD_SIM_TAP_H */
