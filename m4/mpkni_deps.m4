# Dependency checks of mpkni. Each names the Debian package that provides what
# is missing, because a new user's first question is "what do I install?".

AC_DEFUN([MPKNI_REQUIRE_DPDK], [
	PKG_CHECK_MODULES([DPDK], [libdpdk >= 22.11], [],
		[AC_MSG_ERROR([DPDK >= 22.11 not found by pkg-config (libdpdk.pc): install the Debian package libdpdk-dev])])
])

AC_DEFUN([MPKNI_REQUIRE_LIBCLI], [
	AC_CHECK_HEADER([libcli.h], [],
		[AC_MSG_ERROR([libcli.h not found: install the Debian package libcli-dev])])
	mpkni_save_LIBS=$LIBS
	AC_SEARCH_LIBS([crypt], [crypt])
	AC_CHECK_LIB([cli], [cli_run_command], [LIBCLI_LIBS="-lcli $ac_cv_search_crypt"],
		[AC_MSG_ERROR([libcli (with cli_run_command) not found: install the Debian package libcli-dev])])
	AS_IF([test "x$ac_cv_search_crypt" = "xnone required"], [LIBCLI_LIBS="-lcli"])
	LIBS=$mpkni_save_LIBS
	AC_SUBST([LIBCLI_LIBS])
])

AC_DEFUN([MPKNI_REQUIRE_CHECK], [
	PKG_CHECK_MODULES([CHECK], [check >= 0.15], [],
		[AC_MSG_ERROR([Check unit-test library not found by pkg-config: install the Debian package check])])
])
