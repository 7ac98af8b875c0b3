/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel requests: what the user asked of a kernel interface (ip link set
 * vEth0 mtu|up|down|address|promisc|allmulticast) turned into requests for
 * its port, and the policy that decides each kind's fate, as rte_kni's
 * request callbacks did.
 *
 * Owner: nobody; pure logic with no EAL dependency, unit-tested. Callers: the
 * primary's request handler (kni_requests.c) and the argument parser.
 */
#ifndef MPKNI_KNI_REQ_H
#define MPKNI_KNI_REQ_H

#include <stddef.h>
#include <stdint.h>

enum mpkni_req_kind {
	MPKNI_REQ_MTU = 0,
	MPKNI_REQ_MAC,
	MPKNI_REQ_LINK,
	MPKNI_REQ_PROMISC,
	MPKNI_REQ_ALLMULTI,
	MPKNI_REQ_MAX
};

enum mpkni_req_policy {
	MPKNI_POLICY_APPLY = 0,  /* apply to the port; if it refuses, revert and count rejected */
	MPKNI_POLICY_IGNORE,     /* accept on the kernel side, leave the port, count */
	MPKNI_POLICY_REJECT,     /* revert the kernel side, count */
	MPKNI_POLICY_MAX
};

/* Outcome of one request, as counted. */
enum mpkni_req_result {
	MPKNI_REQ_APPLIED = 0,
	MPKNI_REQ_IGNORED,
	MPKNI_REQ_REJECTED,
	MPKNI_REQ_RESULT_MAX
};

/* What the kernel side of an interface looks like, as far as requests go. */
struct mpkni_link_state {
	uint32_t mtu;
	uint8_t mac[6];
	uint8_t up;              /* administratively up (IFF_UP) */
	uint8_t promisc;
	uint8_t allmulti;
};

struct mpkni_req {
	enum mpkni_req_kind kind;
	uint32_t mtu;            /* MPKNI_REQ_MTU */
	uint8_t mac[6];          /* MPKNI_REQ_MAC */
	uint8_t on;              /* LINK (up), PROMISC, ALLMULTI */
};

/*
 * The requests that take the kernel side from known to seen, at most one per
 * kind, in enum order (MTU before link, so an interface brought up with a new
 * MTU gets the MTU first). Returns how many were written to out, which must
 * hold MPKNI_REQ_MAX.
 */
unsigned int mpkni_req_diff(const struct mpkni_link_state *known,
			    const struct mpkni_link_state *seen, struct mpkni_req *out);

/*
 * Folds one request's outcome into the known state: an applied or ignored
 * request's value now stands; a rejected one leaves known as it was, because
 * the handler puts the kernel side back.
 */
void mpkni_req_settle(struct mpkni_link_state *known, const struct mpkni_req *r,
		      enum mpkni_req_result res);

/* What the policy makes of a request before the port is asked: APPLIED means
 * "ask the port". */
static inline enum mpkni_req_result
mpkni_req_decide(enum mpkni_req_policy p)
{
	return p == MPKNI_POLICY_IGNORE ? MPKNI_REQ_IGNORED :
	       p == MPKNI_POLICY_REJECT ? MPKNI_REQ_REJECTED : MPKNI_REQ_APPLIED;
}

/* Parses "KIND=POLICY[,KIND=POLICY...]" (kinds mtu, mac, link, promisc,
 * allmulti, or all) over pol[], which keeps its values for kinds not named.
 * 0, or -EINVAL with one line in err. */
int mpkni_req_policy_parse(const char *spec, enum mpkni_req_policy pol[MPKNI_REQ_MAX],
			   char *err, size_t errlen);

/* Writes the request as "mtu 1400", "mac 02:..", "link up", "promisc on"... */
void mpkni_req_format(const struct mpkni_req *r, char *buf, size_t len);

const char *mpkni_req_kind_name(enum mpkni_req_kind k);
const char *mpkni_req_policy_name(enum mpkni_req_policy p);
const char *mpkni_req_result_name(enum mpkni_req_result r);

#endif /* MPKNI_KNI_REQ_H */
