/*
 * Copyright (c) 2026 the dnstlsd authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * dnstlsd: entry point. Parses the command line and the configuration
 * file, then becomes the parent (parent.c); or, when exec'd by the parent
 * with -P, becomes the frontend or the resolver.
 */

#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "dnstlsd.h"
#include "log.h"

static __attribute__((__noreturn__)) void
usage(int status)
{
	FILE	*out = status == 0 ? stdout : stderr;

	fprintf(out,
	    "usage: dnstlsd [-Fnv] [-a address] [-p port] [-d upstream] "
	    "[-c cafile]\n"
	    "               [-f file] [-s socket] [-u user]\n"
	    "  -a, --address ADDR   listen address; repeatable; default "
	    "0.0.0.0 and ::\n"
	    "  -p, --port PORT      listen port; default 53\n"
	    "  -d, --dns UPSTREAM   upstream DoT server "
	    "ADDR[@PORT][#AUTHNAME]; repeatable;\n"
	    "                       default 1.1.1.1 and 1.0.0.1, port 853, "
	    "name cloudflare-dns.com\n"
	    "  -c, --ca FILE        CA bundle; default %s, else the system "
	    "bundle\n"
	    "  -f, --config FILE    configuration file, see dnstlsd.conf(5)\n"
	    "  -F, --foreground     do not detach; log to stderr\n"
	    "  -n, --check          check the configuration and exit "
	    "(with -v, print it)\n"
	    "  -s, --socket PATH    control socket; default %s\n"
	    "                       (\"\" for none)\n"
	    "  -u, --user USER      user name or numeric uid to run as; "
	    "default %s\n"
	    "  -v, --verbose        more logging (repeatable)\n"
	    "  -V, --version        print the version\n"
	    "  -h, --help           print this help\n",
	    DEFAULT_CA, DEFAULT_SOCKET, DEFAULT_USER);
	exit(status);
}

static const struct option longopts[] = {
	{ "address",	required_argument,	NULL,	'a' },
	{ "port",	required_argument,	NULL,	'p' },
	{ "dns",	required_argument,	NULL,	'd' },
	{ "ca",		required_argument,	NULL,	'c' },
	{ "config",	required_argument,	NULL,	'f' },
	{ "foreground",	no_argument,		NULL,	'F' },
	{ "check",	no_argument,		NULL,	'n' },
	{ "socket",	required_argument,	NULL,	's' },
	{ "user",	required_argument,	NULL,	'u' },
	{ "verbose",	no_argument,		NULL,	'v' },
	{ "version",	no_argument,		NULL,	'V' },
	{ "help",	no_argument,		NULL,	'h' },
	{ NULL,		0,			NULL,	0 }
};

/* what the command line says, applied over the configuration file */
struct cmdline {
	struct dnstlsd_conf	 over;	/* listen, upstream, ca, user */
	uint16_t		 port;
	const char		*config;
	const char		*socket;
	int			 foreground, check, verbose;
};

/* kept for reloads: the file is read again, the command line wins again */
static struct cmdline	 cmdline;

static __attribute__((__noreturn__)) void
die(const char *msg)
{
	fprintf(stderr, "dnstlsd: %s\n", msg);
	exit(1);
}

static void
copy_string(char *dst, size_t dstlen, const char *src, const char *what)
{
	char	 err[CONF_ERRLEN];
	int	 n;

	n = snprintf(dst, dstlen, "%s", src);
	if (n < 0 || (size_t)n >= dstlen) {
		snprintf(err, sizeof(err), "%s too long: \"%s\"", what, src);
		die(err);
	}
}

static void
parse_cmdline(int argc, char *argv[], struct cmdline *cl)
{
	struct dnstlsd_conf	*o = &cl->over;
	char			 err[CONF_ERRLEN];
	int			 ch;

	memset(cl, 0, sizeof(*cl));
	cl->port = DEFAULT_PORT;
	cl->socket = DEFAULT_SOCKET;
	while ((ch = getopt_long(argc, argv, "a:c:d:f:Fhnp:s:u:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			if (o->nlisten == CONF_MAX_LISTEN)
				die("too many listen addresses");
			if (conf_parse_listen_arg(optarg,
			    &o->listen[o->nlisten], err, sizeof(err)) == -1)
				die(err);
			o->nlisten++;
			break;
		case 'c':
			copy_string(o->ca, sizeof(o->ca), optarg, "CA path");
			break;
		case 'd':
			if (o->nupstream == CONF_MAX_GROUP_UPSTREAMS)
				die("too many upstreams");
			if (conf_parse_upstream_arg(optarg,
			    &o->upstream[o->nupstream], err, sizeof(err)) == -1)
				die(err);
			o->nupstream++;
			break;
		case 'f':
			cl->config = optarg;
			break;
		case 'F':
			cl->foreground = 1;
			break;
		case 'h':
			usage(0);
		case 'n':
			cl->check = 1;
			break;
		case 'p':
			if (conf_parse_port(optarg, &cl->port) == -1) {
				snprintf(err, sizeof(err), "invalid port \"%s\"",
				    optarg);
				die(err);
			}
			break;
		case 's':
			cl->socket = optarg;
			break;
		case 'u':
			copy_string(o->user, sizeof(o->user), optarg, "user");
			break;
		case 'v':
			cl->verbose++;
			break;
		case 'V':
			printf("dnstlsd %s\n", DNSTLSD_VERSION);
			exit(0);
		default:
			usage(1);
		}
	}
	if (optind != argc)
		usage(1);
}

/* the command line wins over the file, list by list */
static void
apply_cmdline(struct dnstlsd_conf *conf, const struct cmdline *cl)
{
	const struct dnstlsd_conf	*o = &cl->over;

	if (o->nlisten > 0) {
		memcpy(conf->listen, o->listen, sizeof(conf->listen));
		conf->nlisten = o->nlisten;
	}
	/* -d replaces the "upstream" lines, not the forward zones */
	if (o->nupstream > 0 && conf_set_default_upstreams(conf, o->upstream,
	    o->nupstream) == -1)
		die("too many upstreams");
	if (o->ca[0] != '\0')
		memcpy(conf->ca, o->ca, sizeof(conf->ca));
	if (o->user[0] != '\0')
		memcpy(conf->user, o->user, sizeof(conf->user));
}

/*
 * The configuration as the start made it: the file, the command line
 * over it, the defaults. The parent calls it again on every reload.
 */
int
dnstlsd_conf_load(struct dnstlsd_conf *conf, char *err, size_t errlen)
{
	conf_init(conf);
	if (cmdline.config != NULL &&
	    conf_parse_file(cmdline.config, conf, err, errlen) == -1)
		return -1;
	apply_cmdline(conf, &cmdline);
	conf_finalize(conf, cmdline.port);
	return 0;
}

/*
 * The frontend is exec'd from this binary, the resolver from its own
 * beside it: find both without guessing, and fail before binding anything
 * when one is missing.
 */
static void
find_programs(const char *argv0)
{
	char	 self[PATH_MAX], err[PATH_MAX + 128];

	if (self_path(self, sizeof(self)) == -1) {
		if (argv0[0] != '/' || strlen(argv0) >= sizeof(self))
			die("must be started with an absolute path");
		memcpy(self, argv0, strlen(argv0) + 1);
	}
	if (parent_find_programs(self, err, sizeof(err)) == -1)
		die(err);
}

static __attribute__((__noreturn__)) void
child_role(const char *role)
{
	if (strcmp(role, proc_name(PROC_FRONTEND)) == 0)
		frontend_main();
	die("unknown process role");
}

int
main(int argc, char *argv[])
{
	struct dnstlsd_conf	 conf;
	struct cmdline		*clp = &cmdline;
	char			 err[CONF_ERRLEN];

	/* the parent execs its children as "dnstlsd -P role" */
	if (argc == 3 && strcmp(argv[1], "-P") == 0)
		child_role(argv[2]);

	/* nothing inherited beyond stdio may reach the children */
	close_from(3);
	parse_cmdline(argc, argv, clp);
	if (dnstlsd_conf_load(&conf, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	if (clp->check) {
		if (clp->verbose)
			conf_print(stdout, &conf);
		fprintf(stderr, "configuration OK\n");
		exit(0);
	}
	find_programs(argv[0]);
	if (clp->config != NULL)
		parent_reads(clp->config);
	parent_main(&conf, clp->socket, clp->foreground, clp->verbose);
}
