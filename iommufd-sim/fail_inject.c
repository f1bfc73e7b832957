/*
 * iommufd-sim: fault injection (IOMMUFD_SIM_FAIL)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fail_inject.h"

struct fail_rule {
    char op[32];
    unsigned long nth;
    unsigned long seen;
    int err;
};

static struct fail_rule *rules;
static size_t num_rules;

#define ERRNO_NAME(e) { #e, e }
static const struct {
    const char *name;
    int err;
} errno_names[] = {
    ERRNO_NAME(EPERM), ERRNO_NAME(ENOENT), ERRNO_NAME(EINTR), ERRNO_NAME(EIO),
    ERRNO_NAME(ENXIO), ERRNO_NAME(E2BIG), ERRNO_NAME(EBADF),
    ERRNO_NAME(EAGAIN), ERRNO_NAME(ENOMEM), ERRNO_NAME(EACCES),
    ERRNO_NAME(EFAULT), ERRNO_NAME(EBUSY), ERRNO_NAME(EEXIST),
    ERRNO_NAME(ENODEV), ERRNO_NAME(EINVAL), ERRNO_NAME(ENOSPC),
    ERRNO_NAME(ENOTTY), ERRNO_NAME(ERANGE), ERRNO_NAME(ENOSYS),
    ERRNO_NAME(EOVERFLOW), ERRNO_NAME(EBADFD), ERRNO_NAME(EMSGSIZE),
    ERRNO_NAME(EOPNOTSUPP), ERRNO_NAME(EADDRINUSE), ERRNO_NAME(ETIMEDOUT),
};

bool sim_errno_parse(const char *s, int *err)
{
    uint64_t v;

    for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++) {
        if (!strcmp(errno_names[i].name, s)) {
            *err = errno_names[i].err;
            return true;
        }
    }
    if (sim_parse_u64(s, &v) && v > 0 && v < 4096) {
        *err = (int)v;
        return true;
    }
    return false;
}

static bool parse_rule(const char *text, struct fail_rule *rule)
{
    const char *c1 = strchr(text, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    char nth[32];
    uint64_t n;

    if (!c2 || c1 == text || (size_t)(c1 - text) >= sizeof(rule->op) ||
        (size_t)(c2 - c1 - 1) >= sizeof(nth)) {
        return false;
    }
    memcpy(rule->op, text, c1 - text);
    rule->op[c1 - text] = '\0';
    memcpy(nth, c1 + 1, c2 - c1 - 1);
    nth[c2 - c1 - 1] = '\0';
    if (!sim_parse_u64(nth, &n) || n == 0) {
        return false;
    }
    rule->nth = n;
    rule->seen = 0;
    return sim_errno_parse(c2 + 1, &rule->err);
}

bool sim_fail_parse(const char *spec)
{
    char *copy = strdup(spec), *save = NULL, *tok;
    bool ok = true;

    for (tok = strtok_r(copy, ",", &save); tok && ok;
         tok = strtok_r(NULL, ",", &save)) {
        struct fail_rule rule = { 0 };
        struct fail_rule *grown;

        if (!parse_rule(tok, &rule)) {
            fprintf(stderr, "iommufd-sim: IOMMUFD_SIM_FAIL: bad rule \"%s\" "
                    "(want OP:N:ERRNO, N >= 1, ERRNO a name like ENOMEM "
                    "or a number)\n", tok);
            ok = false;
            break;
        }
        grown = realloc(rules, (num_rules + 1) * sizeof(*rules));
        if (!grown) {
            ok = false;
            break;
        }
        rules = grown;
        rules[num_rules++] = rule;
    }
    free(copy);
    return ok;
}

int sim_fail_check(const char *op)
{
    int err = 0;

    for (size_t i = 0; i < num_rules; i++) {
        if (strcmp(rules[i].op, op)) {
            continue;
        }
        if (++rules[i].seen == rules[i].nth && !err) {
            err = rules[i].err;
        }
    }
    return err;
}

void sim_fail_reset(void)
{
    free(rules);
    rules = NULL;
    num_rules = 0;
}
