# tools: gen-routes turns the real full view into route files and makes
# seeded synthetic stress tables (see tools/gen-routes --help).

noinst_PROGRAMS += tools/gen-routes
tools_gen_routes_SOURCES = tools/gen-routes.c
tools_gen_routes_CFLAGS = $(AM_CFLAGS) -O2
tools_gen_routes_CPPFLAGS = $(AM_CPPFLAGS) \
	-DGEN_ROUTES_FULLVIEW='"$(abs_top_srcdir)/../shared/data/fullview-2024.txt.gz"'
