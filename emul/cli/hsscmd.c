/* SPDX-License-Identifier: BSD-3-Clause */
/* imsbed hss export | import: a topology's subscribers as the TS 29.228
 * IMSSubscription documents an HSS gives an S-CSCF, and documents back
 * into the topology's YAML (profiles: and subscribers:), so that a real
 * HSS's data and imsbed's go both ways.  The export goes through the
 * HSS as a run loads it, in memory: a topology's database file is never
 * touched. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "yml.h"
#include "hss.h"
#include "cmd.h"

enum { HSS_MAX = 16, PATH_SZ = 1024 };

struct exp {
	const char *dir;                /* --out, or NULL for stdout */
	unsigned docs;
	struct hash *names;             /* struct fname: files written */
	char err[PATH_SZ + 256];
};

struct fname {
	struct le he;
	char *name;
	char *impi;
};


static void fname_destructor(void *arg)
{
	struct fname *f = arg;

	hash_unlink(&f->he);
	mem_deref(f->name);
	mem_deref(f->impi);
}


/* An IMPI as a file name: letters, digits and ._@+- stay, anything else
 * (a '/' above all) becomes '_', and no name starts with a dot. */
static void file_name(char *buf, size_t sz, const char *impi)
{
	size_t i, n = 0;

	for (i = 0; impi[i] && n + 5 < sz && n < 200; i++) {
		char c = impi[i];

		if (!strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@+-", c) ||
		    (!n && c == '.'))
			c = '_';
		buf[n++] = c;
	}
	if (!n)
		buf[n++] = '_';
	(void)re_snprintf(buf + n, sz - n, ".xml");
}


static bool fname_cmp(struct le *le, void *arg)
{
	const struct fname *f = le->data;

	return !strcmp(f->name, arg);
}


/* Two IMPIs that one name would stand for: refused, not overwritten */
static int name_take(struct exp *x, const char *name, const char *impi)
{
	struct fname *f;
	struct le *le;
	int err;

	le = hash_lookup(x->names, hash_joaat_str(name), fname_cmp,
			 (void *)name);
	if (le) {
		f = le->data;
		(void)re_snprintf(x->err, sizeof(x->err), "IMPIs '%s' and "
				  "'%s' would both be written to %s/%s",
				  f->impi, impi, x->dir, name);
		return EEXIST;
	}

	f = mem_zalloc(sizeof(*f), fname_destructor);
	if (!f)
		return ENOMEM;

	err = str_dup(&f->name, name);
	if (!err)
		err = str_dup(&f->impi, impi);
	if (err) {
		mem_deref(f);
		return err;
	}

	hash_append(x->names, hash_joaat_str(name), &f->he, f);

	return 0;
}


static int doc_out(struct exp *x, const char *impi, const struct mbuf *mb)
{
	char name[256], path[PATH_SZ];
	FILE *f;
	int err;

	/* between two documents on stdout: a comment, which XML allows
	 * after the root, and before the next one's declaration */
	if (!x->dir) {
		if (x->docs++)
			(void)re_printf("<!-- imsbed hss export: the next "
					"IMSSubscription -->\n");
		return fwrite(mb->buf, 1, mb->end, stdout) == mb->end ? 0 :
			EIO;
	}

	file_name(name, sizeof(name), impi);
	err = name_take(x, name, impi);
	if (err)
		return err;

	(void)re_snprintf(path, sizeof(path), "%s/%s", x->dir, name);
	f = fopen(path, "w");
	if (!f) {
		err = errno;
		(void)re_snprintf(x->err, sizeof(x->err), "%s: cannot write:"
				  " %m", path, err);
		return err;
	}
	if (fwrite(mb->buf, 1, mb->end, f) != mb->end)
		err = EIO;
	if (fclose(f) && !err)
		err = errno;
	if (err)
		(void)re_snprintf(x->err, sizeof(x->err), "%s: cannot write:"
				  " %m", path, err);
	++x->docs;

	return err;
}


static int export_one(const struct hss_xml_sub *s, void *arg)
{
	struct exp *x = arg;
	struct mbuf *mb = mbuf_alloc(2048);
	int err;

	if (!mb)
		return ENOMEM;

	err = hss_subscription_xml(mb, s);
	if (err)
		(void)re_snprintf(x->err, sizeof(x->err), "%s: cannot write "
				  "its document: %m", s->impi, err);
	else
		err = doc_out(x, s->impi, mb);

	mem_deref(mb);

	return err;
}


/* The topology a file holds: its own, or a scenario's (inline, or the
 * file it names beside it). */
static int topo_open(struct yml **yp, const yml_node **rootp,
		     const char *path, char *err, size_t sz)
{
	const yml_node *tn;
	char other[PATH_SZ];
	const char *slash;
	int e;

	e = yml_load_file(yp, path, err, sz);
	if (e)
		return e;

	*rootp = yml_root(*yp);
	tn = yml_get(*yp, *rootp, "topology");
	if (yml_is_map(tn))
		*rootp = tn;
	if (!yml_is_scalar(tn))
		return 0;

	slash = strrchr(path, '/');
	(void)re_snprintf(other, sizeof(other), "%b%s", path,
			  slash ? (size_t)(slash - path + 1) : 0,
			  yml_str(tn));
	*yp = mem_deref(*yp);
	e = yml_load_file(yp, other, err, sz);
	if (!e)
		*rootp = yml_root(*yp);

	return e;
}


/* Each HSS of the topology, loaded as a run loads it but in memory,
 * its subscribers exported. */
static int export_all(struct exp *x, const struct yml *y,
		      const yml_node *root)
{
	const yml_node *hl = yml_get(y, root, "hss");
	const char *dom = yml_str(yml_get(y, root, "domain"));
	size_t i, n = hl ? yml_count(hl) : 1;
	struct hss *hss = NULL;
	int err = 0;

	for (i = 0; i < MIN(n, (size_t)HSS_MAX) && !err; i++) {
		const char *name = hl ? yml_str(yml_get(y, yml_item(y, hl, i),
							"name")) : "hss";

		err = hss_alloc(&hss, name ? name : "hss", NULL,
				dom ? dom : "ims.test", x->err,
				sizeof(x->err));
		if (!err)
			err = hss_load(hss, y, root, x->err, sizeof(x->err));
		if (!err)
			err = hss_export(hss, export_one, x);
		hss = mem_deref(hss);
	}

	return err;
}


static int cmd_export(int argc, char *argv[])
{
	struct exp x;
	struct yml *y = NULL;
	const yml_node *root;
	int err, rc = EXIT_USAGE;

	memset(&x, 0, sizeof(x));
	if (argc == 3 && !strcmp(argv[1], "--out"))
		x.dir = argv[2];
	else if (argc != 1) {
		(void)re_fprintf(stderr, "imsbed hss: usage: hss export "
				 "TOPOLOGY [--out DIR]\n");
		return EXIT_USAGE;
	}

	if (x.dir && mkdir(x.dir, 0777) && errno != EEXIST) {
		(void)re_fprintf(stderr, "imsbed hss export: %s: cannot make "
				 "the folder: %m\n", x.dir, errno);
		return EXIT_USAGE;
	}

	err = hash_alloc(&x.names, 256);
	if (!err)
		err = topo_open(&y, &root, argv[0], x.err, sizeof(x.err));
	if (!err)
		err = export_all(&x, y, root);
	if (err) {
		(void)re_fprintf(stderr, "imsbed hss export: %s\n",
				 x.err[0] ? x.err : strerror(err));
		goto out;
	}

	/* said where it cannot mix with the documents */
	if (x.dir)
		(void)re_printf("%u IMSSubscription documents in %s\n",
				x.docs, x.dir);
	rc = EXIT_PASS;

 out:
	hash_flush(x.names);
	mem_deref(x.names);
	mem_deref(y);

	return rc;
}


int cmd_hss(int argc, char *argv[], const struct cli_opts *o)
{
	(void)o;

	if (argc >= 2 && !strcmp(argv[0], "export"))
		return cmd_export(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[0], "import"))
		return hss_import(argc - 1, argv + 1);

	(void)re_fprintf(stderr, "imsbed hss: usage: hss export TOPOLOGY "
			 "[--out DIR] | hss import FILE.xml...\n");
	return EXIT_USAGE;
}
