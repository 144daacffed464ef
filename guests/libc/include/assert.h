/* assert.h - may be included more than once; follows NDEBUG each time. */
#undef assert

#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
__attribute__((noreturn)) void __assert_fail(const char *expr, const char *file,
                                             unsigned int line, const char *func);
#define assert(expr) \
    ((expr) ? (void)0 : __assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif

#if !defined(__cplusplus) && !defined(static_assert)
#define static_assert _Static_assert
#endif
