/* crc32.c - the benchmark: table-driven CRC-32 (IEEE, reflected) over a
 * generated 64 KB buffer, ROUNDS times, each round perturbing the buffer.
 * About 1-3 s under plain qemu-mipsel at -O2 with the default ROUNDS.
 *
 *   crc32.elf [rounds]     (default CRC32_ROUNDS; build with
 *                           -DCRC32_ROUNDS=n to change the default)
 *
 * conformance-args: 3
 */
#include "conf.h"

#ifndef CRC32_ROUNDS
#define CRC32_ROUNDS 10000
#endif
#define BUF_SIZE 65536

static uint8_t buf[BUF_SIZE];
static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv)
{
    unsigned long rounds = CRC32_ROUNDS;
    if (argc > 1)
        rounds = strtoul(argv[1], 0, 0);

    make_table();
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < BUF_SIZE; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)x;
    }

    uint32_t check = crc32(0, (const uint8_t *)"123456789", 9);
    printf("crc32(\"123456789\") = %08x\n", check);   /* cbf43926 */

    uint32_t crc = 0;
    for (unsigned long r = 0; r < rounds; r++) {
        crc = crc32(crc, buf, BUF_SIZE);
        buf[r % BUF_SIZE] ^= (uint8_t)crc;
    }
    printf("crc32: rounds=%lu bytes=%lu crc=%08x\n", rounds, rounds * BUF_SIZE, crc);
    return check == 0xcbf43926u ? 0 : 1;
}
