/* assert_fail.c - a failing assert(): message on stderr, then abort(). */
#include <assert.h>
#include "common.h"

static volatile int two = 2;

int main(void)
{
    ANNOUNCE("assert(two + two == 5)");
    assert(two + two == 5);
    NOT_REACHED();
}
