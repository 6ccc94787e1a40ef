/* keep_libraries_loaded.c — linked into every program of a sanitizer build
 * (CONVSCOPE_SANITIZE): a dlclose() that leaves the library loaded.
 *
 * Why: LeakSanitizer checks at exit, after Mesa has dlclose()d its GL driver
 * (swrast_dri.so, at glfwTerminate / eglTerminate). Memory the driver keeps in
 * its own globals then has no root any more and is reported as leaked, from an
 * address in an unmapped module that no suppression can name. With the driver
 * still mapped its globals stay roots and its frames keep their module name, so
 * tests/sanitizer/lsan.supp can suppress a system library's leak by name and
 * everything else is reported. The executable's own dlclose() takes precedence
 * over libc's for every shared library (it is exported: see CMakeLists.txt).
 * Release builds never contain this file. */
int dlclose(void* handle);

int dlclose(void* handle) {
  (void)handle;
  return 0;
}
