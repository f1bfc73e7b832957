/*
 * iommufd-sim: JSON-lines call log
 *
 * One JSON object per simulated call, written with a single write() to a
 * file opened O_APPEND, so lines from several threads (or processes sharing
 * the file) never interleave and a crash loses at most the call in flight.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef IOMMUFD_SIM_LOG_H
#define IOMMUFD_SIM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_log_rec {
    char buf[1024];
    size_t len;
};

/* Opens path for appending; NULL or "" disables logging.  Exits on error. */
void sim_log_open(const char *path);
void sim_log_close(void);
bool sim_log_enabled(void);

/* A record is begun, given fields in order, then ended with the result. */
void sim_log_begin(struct sim_log_rec *r, const char *op);
void sim_log_u64(struct sim_log_rec *r, const char *key, uint64_t val);
void sim_log_i64(struct sim_log_rec *r, const char *key, int64_t val);
void sim_log_str(struct sim_log_rec *r, const char *key, const char *val);
void sim_log_bool(struct sim_log_rec *r, const char *key, bool val);
/* Appends "ret" (0 or -errno) and writes the line. */
void sim_log_end(struct sim_log_rec *r, int ret);
/* Writes the line without a "ret" field (for events that are not calls). */
void sim_log_emit(struct sim_log_rec *r);

#endif /* IOMMUFD_SIM_LOG_H */
