# src/daemon/service.mk: what makes rtcached a system service: the
# configuration file (config.c, libinih), the Prometheus endpoint
# (metrics.c, evhttp), the systemd units, the example configuration and
# the man pages.  Included from Makefile.am after src/daemon/local.mk.

noinst_LIBRARIES += src/daemon/librtcsvc.a
src_daemon_librtcsvc_a_SOURCES = \
	src/daemon/conf.h \
	src/daemon/config.c \
	src/daemon/metrics.h \
	src/daemon/metrics.c
src_daemon_librtcsvc_a_CPPFLAGS = $(AM_CPPFLAGS) \
	-DSYSCONFDIR='"$(sysconfdir)"'
src_daemon_librtcsvc_a_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) \
	$(LIBEVENT_CFLAGS) $(LIBEVENT_EXTRA_CFLAGS) $(URCU_CFLAGS)
svc_libs = src/daemon/librtcsvc.a $(INIH_LIBS) $(LIBEVENT_EXTRA_LIBS)

# --------------------------------------------------------------- units
systemdsystemunit_DATA = systemd/rtcached.service systemd/rtcached@.service \
	systemd/rtcached.socket
svc_units_in = systemd/rtcached.service.in systemd/rtcached@.service.in
EXTRA_DIST += $(svc_units_in) systemd/rtcached.socket
# the user (systemd-sysusers), and the drop-in for the metrics listener
sysusers_DATA = systemd/sysusers/rtcached.conf
EXTRA_DIST += systemd/sysusers/rtcached.conf
CLEANFILES += systemd/rtcached.service systemd/rtcached@.service

svc_subst = sed -e 's|@sbindir[@]|$(sbindir)|g' \
	-e 's|@bindir[@]|$(bindir)|g' \
	-e 's|@sysconfdir[@]|$(sysconfdir)|g' \
	-e 's|@runstatedir[@]|$(runstatedir)|g'

systemd/rtcached.service: $(srcdir)/systemd/rtcached.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	$(svc_subst) $(srcdir)/systemd/rtcached.service.in > $@.tmp && \
	mv $@.tmp $@
systemd/rtcached@.service: $(srcdir)/systemd/rtcached@.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) systemd && \
	$(svc_subst) $(srcdir)/systemd/rtcached@.service.in > $@.tmp && \
	mv $@.tmp $@

# ------------------------------------------------- configuration, man
# The example documents every key with its default; an installed copy is
# never overwritten by `make install` (the admin's file wins).
svc_exampledir = $(docdir)/examples
dist_svc_example_DATA = conf/rtcached.conf systemd/rtcached-metrics.conf

install-data-hook: install-svc-conf
install-svc-conf:
	@if test -f "$(DESTDIR)$(sysconfdir)/rtcached.conf"; then \
	  echo " keeping $(DESTDIR)$(sysconfdir)/rtcached.conf"; \
	else \
	  $(MKDIR_P) "$(DESTDIR)$(sysconfdir)" && \
	  echo " $(INSTALL_DATA) conf/rtcached.conf '$(DESTDIR)$(sysconfdir)'"; \
	  $(INSTALL_DATA) $(srcdir)/conf/rtcached.conf \
	    "$(DESTDIR)$(sysconfdir)/rtcached.conf"; \
	fi
uninstall-hook: uninstall-svc-conf
uninstall-svc-conf:
	@if test -f "$(DESTDIR)$(sysconfdir)/rtcached.conf" && \
	  cmp -s $(srcdir)/conf/rtcached.conf \
	    "$(DESTDIR)$(sysconfdir)/rtcached.conf"; then \
	  rm -f "$(DESTDIR)$(sysconfdir)/rtcached.conf"; \
	fi
.PHONY: install-svc-conf uninstall-svc-conf

dist_man5_MANS = man/rtcached.conf.5
dist_man8_MANS += man/rtcache.8
