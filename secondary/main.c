/* SPDX-License-Identifier: BSD-3-Clause */
/* mpkni-worker [EAL options] [-- --mode kernel|split --slot N --idle-us N --cpus LIST] */
#include "worker.h"

int
main(int argc, char **argv)
{
	return mpkni_worker_main(argc, argv, NULL);
}
