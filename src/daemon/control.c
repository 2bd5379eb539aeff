/* SPDX-License-Identifier: MIT */
/*
 * control.c - the control socket's file: a SOCK_SEQPACKET AF_UNIX socket,
 * mode 0660, whose group decides who may change state.  An existing
 * socket file is probed first, as OpenBGPD's control_check() does: a
 * daemon that answers keeps it ("already running"); a refused connection
 * means a dead daemon left it, and it is replaced.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "daemon/rtcached.h"

static int
control_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

/**
 * control_check_live - is a daemon answering on @path?
 *
 * Return: 1 live, 0 no socket or a stale one (connection refused), or
 * -errno when it cannot be told (permission, not a socket, ...).
 */
int
control_check_live(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rv;

	if ((rv = control_addr(&sun, path)) < 0)
		return rv;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -ENOTSOCK;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		rv = 1;
	else if (errno == ECONNREFUSED || errno == ENOENT)
		rv = 0;
	else if (errno == EAGAIN)	/* a live daemon with a full backlog */
		rv = 1;
	else
		rv = -errno;
	close(fd);
	return rv;
}

static int
control_mkdir(struct control_sock *cs, const char *path)
{
	char buf[sizeof(cs->path)], *dir;

	strcpy(buf, path);
	dir = dirname(buf);
	if (mkdir(dir, 0755) == 0) {
		cs->created_dir = 1;
		return 0;
	}
	return errno == EEXIST ? 0 : -errno;
}

/**
 * control_open - bind and listen on @path (non-blocking, close-on-exec).
 *
 * Return: 0, -EADDRINUSE when a live daemon owns it, or -errno.
 * The error is left to the caller to log.
 */
int
control_open(struct control_sock *cs, const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old;
	int fd, rv;

	memset(cs, 0, sizeof(*cs));
	cs->fd = -1;
	if ((rv = control_addr(&sun, path)) < 0)
		return rv;
	strcpy(cs->path, path);
	if ((rv = control_mkdir(cs, path)) < 0)
		return rv;
	if ((rv = control_check_live(path)) < 0)
		return rv;
	if (rv == 1)
		return -EADDRINUSE;
	if (unlink(path) < 0 && errno != ENOENT)
		return -errno;
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	old = umask(0117);
	rv = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rv < 0 || chmod(path, 0660) < 0 || listen(fd, 512) < 0 ||
	    stat(path, &st) < 0) {
		rv = -errno;
		close(fd);
		return rv;
	}
	cs->gid = st.st_gid;
	cs->fd = fd;
	return 0;
}

/**
 * control_listen_fds - take the control socket systemd passed
 * (sd_listen_fds(3): fds from 3, $LISTEN_PID ours, the one named
 * "control" in $LISTEN_FDNAMES, or the only one).  It must be a
 * listening AF_UNIX SOCK_SEQPACKET socket.  The variables are unset so
 * that children do not see them.
 *
 * Return: 1 when taken, 0 when nothing was passed, -errno otherwise.
 */
int
control_listen_fds(struct control_sock *cs)
{
	const char *pid = getenv("LISTEN_PID"), *nfds = getenv("LISTEN_FDS");
	const char *names = getenv("LISTEN_FDNAMES");
	struct sockaddr_un sun;
	socklen_t len;
	struct stat st;
	int n, i, fd = -1, type = 0, dom = 0, acc = 0, fl;
	char *list = NULL, *name, *save = NULL;

	if (pid == NULL || nfds == NULL || atol(pid) != (long)getpid())
		return 0;
	n = atoi(nfds);
	if (names != NULL && (list = strdup(names)) != NULL)
		for (i = 0, name = strtok_r(list, ":", &save); name != NULL &&
		    i < n; i++, name = strtok_r(NULL, ":", &save))
			if (strcmp(name, "control") == 0)
				fd = 3 + i;
	free(list);
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	if (fd < 0 && n == 1)
		fd = 3;
	if (fd < 0)
		return n > 0 ? -ENOENT : 0;
	len = sizeof(type);
	getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
	len = sizeof(dom);
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &len);
	len = sizeof(acc);
	getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len);
	if (type != SOCK_SEQPACKET || dom != AF_UNIX || !acc)
		return -ENOTSOCK;
	memset(cs, 0, sizeof(*cs));
	len = sizeof(sun);
	if (getsockname(fd, (struct sockaddr *)&sun, &len) < 0 ||
	    sun.sun_path[0] == '\0')
		return -EINVAL;
	snprintf(cs->path, sizeof(cs->path), "%s", sun.sun_path);
	if (stat(cs->path, &st) == 0)
		cs->gid = st.st_gid;
	fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	cs->fd = fd;
	cs->passed = 1;
	return 1;
}

/*
 * Apply [control] socket_mode and socket_group to a socket we made (a
 * passed one keeps what the socket unit says).  Return: 0 or -errno.
 */
int
control_set_perm(struct control_sock *cs, unsigned int mode, uint32_t gid)
{
	struct stat st;

	if (cs->passed)
		return 0;
	if (gid != (uint32_t)-1 && chown(cs->path, (uid_t)-1, gid) < 0)
		return -errno;
	if (chmod(cs->path, mode) < 0 || stat(cs->path, &st) < 0)
		return -errno;
	cs->gid = st.st_gid;
	return 0;
}

void
control_close(struct control_sock *cs)
{
	char buf[sizeof(cs->path)];

	if (cs->fd < 0)
		return;
	close(cs->fd);
	cs->fd = -1;
	if (cs->passed)
		return;		/* systemd's: it stays for the next start */
	unlink(cs->path);
	if (cs->created_dir) {
		strcpy(buf, cs->path);
		rmdir(dirname(buf));
	}
}
