/* SPDX-License-Identifier: BSD-3-Clause */
/* The Subscription Locator Function: with several HSSs, the CSCFs ask it
 * which one holds a user (TS 23.228 5.8.1); each HSS answers from its
 * own index, so a lookup costs one indexed query per HSS. */

#include <string.h>
#include <re.h>
#include "hss.h"

static struct list hssl;

struct slf_ent {
	struct le le;
	struct hss *hss;
};


static void ent_destructor(void *arg)
{
	struct slf_ent *e = arg;

	list_unlink(&e->le);
	mem_deref(e->hss);
}


int slf_add(struct hss *hss)
{
	struct slf_ent *e;

	if (!hss)
		return EINVAL;

	e = mem_zalloc(sizeof(*e), ent_destructor);
	if (!e)
		return ENOMEM;

	e->hss = mem_ref(hss);
	list_append(&hssl, &e->le, e);

	return 0;
}


/* An HSS that stores the IMPU as such wins over one whose wildcarded
 * identity matches it (TS 23.003 13.4), whatever their order. */
struct hss *slf_locate(const char *impu)
{
	struct hss *wild = NULL;
	struct le *le;

	if (!impu)
		return NULL;

	/* One HSS needs no locator: it answers "unknown" itself. */
	if (list_count(&hssl) == 1)
		return ((struct slf_ent *)hssl.head->data)->hss;

	for (le = hssl.head; le; le = le->next) {
		struct slf_ent *e = le->data;

		switch (hss_impu_match(e->hss, impu)) {

		case HSS_MATCH_EXACT:
			return e->hss;

		case HSS_MATCH_WILDCARD:
			if (!wild)
				wild = e->hss;
			break;

		default:
			break;
		}
	}

	return wild;
}


/* The HSSs in topology order: the ladders' columns, the scenarios'
 * arrow ends. */
struct hss *slf_nth(size_t i)
{
	struct le *le = list_head(&hssl);

	while (le && i--)
		le = le->next;

	return le ? ((struct slf_ent *)le->data)->hss : NULL;
}


struct hss *slf_by_name(const char *name)
{
	struct le *le;

	for (le = list_head(&hssl); le && name; le = le->next) {
		struct slf_ent *e = le->data;

		if (!strcmp(hss_name(e->hss), name))
			return e->hss;
	}

	return NULL;
}


void slf_flush(void)
{
	list_flush(&hssl);
}
