/* SPDX-License-Identifier: MIT */
/*
 * nswatch.c - notice that the namespace rtcached mirrors (--netns) was
 * deleted.  The kernel says nothing over netlink when `ip netns del`
 * removes a namespace: our own sockets hold a reference, so its devices
 * and routes live on, unseen by anyone else.  An
 * inotify watch on the directory of the namespace's bind mount
 * (/run/netns) sees the name go; the caller then stops the daemon, which
 * closes the sockets and lets the namespace really disappear.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include <event2/event.h>

#include "daemon/rtcached.h"
#include "daemon/log.h"

struct nswatch {
	int		 fd;
	struct event	*ev;
	char		 path[PATH_MAX];
	const char	*name;		/* last component of path */
	struct stat	 st;		/* the namespace when we started */
	nswatch_fn	 fn;
	void		*arg;
};

/* Is the namespace we opened still reachable under its path? */
static int
nswatch_present(const struct nswatch *w)
{
	struct stat st;

	if (stat(w->path, &st) < 0)
		return 0;
	return st.st_dev == w->st.st_dev && st.st_ino == w->st.st_ino;
}

static void
nswatch_cb(evutil_socket_t fd, short what, void *arg)
{
	struct nswatch *w = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ie;
	ssize_t n;
	char *p;
	int hit = 0;

	(void)what;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ie) + ie->len) {
			ie = (const struct inotify_event *)p;
			if (ie->mask & (IN_DELETE_SELF | IN_MOVE_SELF |
			    IN_Q_OVERFLOW | IN_IGNORED))
				hit = 1;
			else if (ie->len > 0 && strcmp(ie->name, w->name) == 0)
				hit = 1;
		}
	}
	/* a rename back or a bind mount of the same namespace is not a loss */
	if (hit && !nswatch_present(w)) {
		event_del(w->ev);
		w->fn(w->path, w->arg);
	}
}

/**
 * nswatch_new - watch @path, the namespace file the mirror opened, and
 * call @fn once when it is deleted or replaced by another namespace.
 *
 * Return: the watch, or NULL with errno set (then nothing is watched;
 * the caller logs it and goes on without).
 */
struct nswatch *
nswatch_new(struct event_base *base, const char *path, nswatch_fn fn,
    void *arg)
{
	struct nswatch *w;
	char dir[PATH_MAX];
	char *slash;
	int e;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	w->fd = -1;
	if (strlen(path) >= sizeof(w->path) || path[0] != '/') {
		errno = EINVAL;
		goto fail;
	}
	strcpy(w->path, path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	w->name = w->path + (slash - dir) + 1;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(w->path, &w->st) < 0)
		goto fail;
	w->fn = fn;
	w->arg = arg;
	if ((w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0 ||
	    inotify_add_watch(w->fd, dir, IN_DELETE | IN_MOVED_FROM |
	    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0)
		goto fail;
	if ((w->ev = event_new(base, w->fd, EV_READ | EV_PERSIST, nswatch_cb,
	    w)) == NULL || event_add(w->ev, NULL) < 0)
		goto fail;
	return w;
fail:
	e = errno;
	nswatch_free(w);
	errno = e;
	return NULL;
}

void
nswatch_free(struct nswatch *w)
{
	if (w == NULL)
		return;
	if (w->ev != NULL)
		event_free(w->ev);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}
