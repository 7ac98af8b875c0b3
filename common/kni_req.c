/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kni_req.h"

static const char *const kind_names[MPKNI_REQ_MAX] = {
	[MPKNI_REQ_MTU] = "mtu", [MPKNI_REQ_MAC] = "mac", [MPKNI_REQ_LINK] = "link",
	[MPKNI_REQ_PROMISC] = "promisc", [MPKNI_REQ_ALLMULTI] = "allmulti",
};
static const char *const policy_names[MPKNI_POLICY_MAX] = {
	[MPKNI_POLICY_APPLY] = "apply", [MPKNI_POLICY_IGNORE] = "ignore",
	[MPKNI_POLICY_REJECT] = "reject",
};
static const char *const result_names[MPKNI_REQ_RESULT_MAX] = {
	[MPKNI_REQ_APPLIED] = "applied", [MPKNI_REQ_IGNORED] = "ignored",
	[MPKNI_REQ_REJECTED] = "rejected",
};

const char *
mpkni_req_kind_name(enum mpkni_req_kind k)
{
	return (unsigned int)k < MPKNI_REQ_MAX ? kind_names[k] : "?";
}

const char *
mpkni_req_policy_name(enum mpkni_req_policy p)
{
	return (unsigned int)p < MPKNI_POLICY_MAX ? policy_names[p] : "?";
}

const char *
mpkni_req_result_name(enum mpkni_req_result r)
{
	return (unsigned int)r < MPKNI_REQ_RESULT_MAX ? result_names[r] : "?";
}

unsigned int
mpkni_req_diff(const struct mpkni_link_state *known, const struct mpkni_link_state *seen,
	       struct mpkni_req *out)
{
	unsigned int n = 0;

	memset(out, 0, sizeof(*out) * MPKNI_REQ_MAX);
	if (seen->mtu != known->mtu) {
		out[n].kind = MPKNI_REQ_MTU;
		out[n++].mtu = seen->mtu;
	}
	if (memcmp(seen->mac, known->mac, 6) != 0) {
		out[n].kind = MPKNI_REQ_MAC;
		memcpy(out[n++].mac, seen->mac, 6);
	}
	if (!seen->up != !known->up) {
		out[n].kind = MPKNI_REQ_LINK;
		out[n++].on = !!seen->up;
	}
	if (!seen->promisc != !known->promisc) {
		out[n].kind = MPKNI_REQ_PROMISC;
		out[n++].on = !!seen->promisc;
	}
	if (!seen->allmulti != !known->allmulti) {
		out[n].kind = MPKNI_REQ_ALLMULTI;
		out[n++].on = !!seen->allmulti;
	}
	return n;
}

void
mpkni_req_settle(struct mpkni_link_state *known, const struct mpkni_req *r,
		 enum mpkni_req_result res)
{
	if (res == MPKNI_REQ_REJECTED)
		return;
	switch (r->kind) {
	case MPKNI_REQ_MTU:
		known->mtu = r->mtu;
		break;
	case MPKNI_REQ_MAC:
		memcpy(known->mac, r->mac, 6);
		break;
	case MPKNI_REQ_LINK:
		known->up = r->on;
		break;
	case MPKNI_REQ_PROMISC:
		known->promisc = r->on;
		break;
	case MPKNI_REQ_ALLMULTI:
		known->allmulti = r->on;
		break;
	default:
		break;
	}
}

static int
lookup(const char *s, size_t n, const char *const *names, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (strlen(names[i]) == n && strncmp(s, names[i], n) == 0)
			return i;
	return -1;
}

int
mpkni_req_policy_parse(const char *spec, enum mpkni_req_policy pol[MPKNI_REQ_MAX], char *err,
		       size_t errlen)
{
	enum mpkni_req_policy next[MPKNI_REQ_MAX];
	const char *p = spec;

	memcpy(next, pol, sizeof(next));
	if (spec == NULL || *spec == '\0') {
		snprintf(err, errlen, "--kni-policy needs KIND=POLICY[,KIND=POLICY...]");
		return -EINVAL;
	}
	while (*p != '\0') {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		int kind, policy, k;

		if (end == NULL)
			end = p + strlen(p);
		if (eq == NULL || eq > end) {
			snprintf(err, errlen, "--kni-policy: '%.*s' is not KIND=POLICY",
				 (int)(end - p), p);
			return -EINVAL;
		}
		policy = lookup(eq + 1, (size_t)(end - eq - 1), policy_names, MPKNI_POLICY_MAX);
		if (policy < 0) {
			snprintf(err, errlen, "--kni-policy: unknown policy '%.*s' "
				 "(apply, ignore or reject)", (int)(end - eq - 1), eq + 1);
			return -EINVAL;
		}
		if ((size_t)(eq - p) == 3 && strncmp(p, "all", 3) == 0) {
			for (k = 0; k < MPKNI_REQ_MAX; k++)
				next[k] = (enum mpkni_req_policy)policy;
		} else {
			kind = lookup(p, (size_t)(eq - p), kind_names, MPKNI_REQ_MAX);
			if (kind < 0) {
				snprintf(err, errlen, "--kni-policy: unknown kind '%.*s' "
					 "(mtu, mac, link, promisc, allmulti or all)",
					 (int)(eq - p), p);
				return -EINVAL;
			}
			next[kind] = (enum mpkni_req_policy)policy;
		}
		p = *end == ',' ? end + 1 : end;
		if (*end == ',' && *p == '\0') {
			snprintf(err, errlen, "--kni-policy: trailing ','");
			return -EINVAL;
		}
	}
	memcpy(pol, next, sizeof(next));
	return 0;
}

void
mpkni_req_format(const struct mpkni_req *r, char *buf, size_t len)
{
	const uint8_t *m = r->mac;

	switch (r->kind) {
	case MPKNI_REQ_MTU:
		snprintf(buf, len, "mtu %u", r->mtu);
		break;
	case MPKNI_REQ_MAC:
		snprintf(buf, len, "mac %02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
			 m[4], m[5]);
		break;
	case MPKNI_REQ_LINK:
		snprintf(buf, len, "link %s", r->on ? "up" : "down");
		break;
	default:
		snprintf(buf, len, "%s %s", mpkni_req_kind_name(r->kind), r->on ? "on" : "off");
		break;
	}
}
