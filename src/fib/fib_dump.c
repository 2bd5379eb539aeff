/* SPDX-License-Identifier: MIT */
/*
 * fib_dump.c - the FIB as text, the way iproute2 prints it: one
 * `ip -4 route show table all` line per alias (fib_dump_alias, used by
 * fib_dump_routes) and `ip nexthop show` (fib_dump_nexthops).  The daemon
 * answers its show requests and writes its metrics with these.  The
 * reverse direction, text commands that build a FIB state, is a test
 * helper and lives in tests/support/fib_text.c.
 */
#include <stdio.h>
#include <arpa/inet.h>

#include "base/rt_names.h"
#include "fib/fib_internal.h"

static void
nh_flags_print(FILE *out, unsigned int fl)
{
	if (fl & RTNH_F_DEAD)
		fprintf(out, " dead");
	if (fl & RTNH_F_ONLINK)
		fprintf(out, " onlink");
	if (fl & RTNH_F_PERVASIVE)
		fprintf(out, " pervasive");
	if (fl & RTNH_F_LINKDOWN)
		fprintf(out, " linkdown");
}

/* One `ip -4 route show table all` line (and its nexthop lines). */
int
fib_dump_alias(FILE *out, const struct fib_table *tb,
    const struct fib_node *fn, const struct fib_alias *fa)
{
	const struct fib_info *fi = fa->fa_info;
	char a[INET_ADDRSTRLEN], b[16];
	uint32_t key = htonl(fn->fn_key);
	int i;

	if (fa->fa_type != RTN_UNICAST)
		fprintf(out, "%s ", rt_type_n2a(fa->fa_type, b, sizeof(b)));
	if (fn->fn_plen == 0) {
		fprintf(out, "default");
	} else {
		inet_ntop(AF_INET, &key, a, sizeof(a));
		fprintf(out, "%s", a);
		if (fn->fn_plen != 32)
			fprintf(out, "/%u", fn->fn_plen);
	}
	if (fa->fa_tos)
		fprintf(out, " tos 0x%02x", fa->fa_tos);
	if (fi->nh != NULL)
		fprintf(out, " nhid %u", fi->nh->id);
	if (fi->fib_nhs == 1) {
		const struct fib_nh *nh = &fi->fib_nh[0];

		if (nh->nh_gw) {
			inet_ntop(AF_INET, &nh->nh_gw, a, sizeof(a));
			fprintf(out, " via %s", a);
		}
		if (nh->nh_dev != NULL)
			fprintf(out, " dev %s", nh->nh_dev->name);
	}
	if (tb->tb_id != RT_TABLE_MAIN)
		fprintf(out, " table %s", rt_table_n2a(tb->tb_id, b, sizeof(b)));
	if (fi->fib_protocol != RTPROT_BOOT)
		fprintf(out, " proto %s", rt_proto_n2a(fi->fib_protocol, b,
		    sizeof(b)));
	if (fa->fa_scope != RT_SCOPE_UNIVERSE)
		fprintf(out, " scope %s",
		    rt_scope_n2a(fa->fa_scope, b, sizeof(b)));
	if (fi->fib_prefsrc) {
		inet_ntop(AF_INET, &fi->fib_prefsrc, a, sizeof(a));
		fprintf(out, " src %s", a);
	}
	if (fi->fib_priority)
		fprintf(out, " metric %u", fi->fib_priority);
	if (fi->fib_nhs == 1)
		nh_flags_print(out, fib_nh_flags(&fi->fib_nh[0]));
	if (fi->fib_metrics[RTAX_MTU - 1])
		fprintf(out, " mtu %u", fi->fib_metrics[RTAX_MTU - 1]);
	fputc(' ', out);
	fputc('\n', out);
	if (fi->fib_nhs > 1) {
		for (i = 0; i < fi->fib_nhs; i++) {
			const struct fib_nh *nh = &fi->fib_nh[i];

			fprintf(out, "\tnexthop");
			if (nh->nh_gw) {
				inet_ntop(AF_INET, &nh->nh_gw, a, sizeof(a));
				fprintf(out, " via %s", a);
			}
			if (nh->nh_dev != NULL)
				fprintf(out, " dev %s", nh->nh_dev->name);
			fprintf(out, " weight %u", nh->nh_weight);
			nh_flags_print(out, fib_nh_flags(nh));
			fputc(' ', out);
			fputc('\n', out);
		}
	}
	return 0;
}

static void
nh_dump_one(FILE *out, const struct nexthop *nh)
{
	char a[INET_ADDRSTRLEN];
	int i;

	fprintf(out, "id %u", nh->id);
	if (nh->is_group) {
		fprintf(out, " group ");
		for (i = 0; i < nh->num_nh; i++) {
			fprintf(out, "%s%u", i ? "/" : "", nh->grp[i].nh->id);
			if (nh->grp[i].weight > 1)
				fprintf(out, ",%u", nh->grp[i].weight);
		}
		/* iproute2 prints the timers in seconds; the time spent
		 * unbalanced is not mirrored */
		if (nh->resilient)
			fprintf(out, " type resilient buckets %u idle_timer %u "
			    "unbalanced_timer %u unbalanced_time 0",
			    nh->res_buckets, nh->res_idle_timer / 100,
			    nh->res_unbalanced_timer / 100);
	} else if (nh->blackhole) {
		fprintf(out, " blackhole");
	} else {
		if (nh->nh.nh_gw) {
			inet_ntop(AF_INET, &nh->nh.nh_gw, a, sizeof(a));
			fprintf(out, " via %s", a);
		}
		if (nh->nh.nh_dev != NULL)
			fprintf(out, " dev %s", nh->nh.nh_dev->name);
		fprintf(out, " scope %s", nh->nh.nh_gw ? "link" : "host");
		nh_flags_print(out, fib_nh_flags(&nh->nh));
	}
	fputc(' ', out);
	fputc('\n', out);
}

/* `ip nexthop show`, by id. */
int
fib_dump_nexthops(FILE *out)
{
	struct nexthop *nh;
	uint32_t id = 0;

	while ((nh = fib_nexthop_next(id)) != NULL) {
		nh_dump_one(out, nh);
		id = nh->id;
	}
	return 0;
}
