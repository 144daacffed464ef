/* sort.c - insertion sort, merge sort, heap sort and the libc qsort on the
 * same pseudo-random data; all must agree. Exit status: a checksum of the
 * sorted data (non-zero on purpose, to test status passing). */
#include "conf.h"

#define N 2000

static int32_t data[N], a1[N], a2[N], a3[N], a4[N], tmp[N];

static void insertion(int32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        int32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void merge_sort(int32_t *a, int n)
{
    if (n < 2)
        return;
    int h = n / 2;
    merge_sort(a, h);
    merge_sort(a + h, n - h);
    int i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
    while (i < h)
        tmp[k++] = a[i++];
    while (j < n)
        tmp[k++] = a[j++];
    memcpy(a, tmp, (size_t)n * sizeof a[0]);
}

static void sift(int32_t *a, int start, int end)
{
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1, sw = root;
        if (a[sw] < a[child]) sw = child;
        if (child + 1 <= end && a[sw] < a[child + 1]) sw = child + 1;
        if (sw == root) return;
        int32_t t = a[root]; a[root] = a[sw]; a[sw] = t;
        root = sw;
    }
}

static void heap_sort(int32_t *a, int n)
{
    for (int s = (n - 2) / 2; s >= 0; s--)
        sift(a, s, n - 1);
    for (int end = n - 1; end > 0; end--) {
        int32_t t = a[end]; a[end] = a[0]; a[0] = t;
        sift(a, 0, end - 1);
    }
}

static int cmp(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

int main(void)
{
    for (int i = 0; i < N; i++)
        data[i] = (int32_t)rnd() >> (i % 20);   /* many duplicates at small magnitudes */
    data[0] = INT32_MIN;
    data[1] = INT32_MAX;
    memcpy(a1, data, sizeof data);
    memcpy(a2, data, sizeof data);
    memcpy(a3, data, sizeof data);
    memcpy(a4, data, sizeof data);
    insertion(a1, N);
    merge_sort(a2, N);
    heap_sort(a3, N);
    qsort(a4, N, sizeof a4[0], cmp);

    int same = memcmp(a1, a2, sizeof a1) == 0 && memcmp(a1, a3, sizeof a1) == 0 &&
               memcmp(a1, a4, sizeof a1) == 0;
    int ordered = 1;
    for (int i = 1; i < N; i++)
        if (a1[i - 1] > a1[i])
            ordered = 0;
    printf("sorted %d values: agree=%d ordered=%d\n", N, same, ordered);
    printf("min=%d median=%d max=%d\n", a1[0], a1[N / 2], a1[N - 1]);
    printf("first: %d %d %d %d %d\n", a1[0], a1[1], a1[2], a1[3], a1[4]);
    printf("last:  %d %d %d %d %d\n", a1[N - 5], a1[N - 4], a1[N - 3], a1[N - 2], a1[N - 1]);
    CHECK(same);
    CHECK(ordered);
    for (int i = 0; i < N; i++)
        mix32((uint32_t)a1[i]);
    int r = conf_done("sort");
    return r ? r : (int)(conf_hash % 50) + 1;   /* 1..50 when everything passed */
}
