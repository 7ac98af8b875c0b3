/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The toolkit's DPDK log type, "mpkni". Callers: both process kinds, from
 * code that links the EAL. Pure modules return error codes instead of logging.
 */
#ifndef MPKNI_LOG_H
#define MPKNI_LOG_H

#include <rte_log.h>

extern int mpkni_logtype;

#define MPKNI_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, mpkni_logtype, "mpkni: " fmt "\n", ##__VA_ARGS__)

#endif /* MPKNI_LOG_H */
