/* SPDX-License-Identifier: BSD-3-Clause */
/* diam internals: the process's dictionary and a message's wrapper. */

struct dictionary;
struct msg;

struct diam {
	struct msg *m;
};

struct dictionary *diam_dict(void);
/* rules.c: the Cx commands' required AVPs */
int diam_rules_add(void);
/* msg.c: m into a new struct diam (freed on failure) */
int diam_wrap(struct diam **dp, struct msg *m);
