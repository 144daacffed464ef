/* switch.c - dense switches (jump tables: lw from a table + jr), sparse
 * switches (compare trees), and a small bytecode interpreter. */
#include "conf.h"

__attribute__((noinline)) static const char *day(int d)
{
    switch (d) {
    case 0: return "Sun";
    case 1: return "Mon";
    case 2: return "Tue";
    case 3: return "Wed";
    case 4: return "Thu";
    case 5: return "Fri";
    case 6: return "Sat";
    default: return "???";
    }
}

__attribute__((noinline)) static uint32_t dense(uint32_t x)
{
    switch (x & 15) {
    case 0: return x + 1;
    case 1: return x * 3;
    case 2: return x ^ 0x55;
    case 3: return x >> 2;
    case 4: return x << 3;
    case 5: return ~x;
    case 6: return x - 1000;
    case 7: return x | 0xf0f0;
    case 8: return x & 0x0ff0;
    case 9: return x * x;
    case 10: return 10;
    case 11: return x + 11;
    case 12: return x / 3;
    case 13: return x % 13;
    case 14: return (x << 4) | (x >> 28);
    default: return 0xdeadbeef;
    }
}

__attribute__((noinline)) static int sparse(int x)
{
    switch (x) {
    case -1000: return 1;
    case -7: return 2;
    case 0: return 3;
    case 13: return 4;
    case 100: return 5;
    case 1024: return 6;
    case 65536: return 7;
    case 1 << 30: return 8;
    default: return 0;
    }
}

/* A stack machine: the classic big switch in a loop. */
enum { OP_PUSH, OP_ADD, OP_SUB, OP_MUL, OP_DUP, OP_SWAP, OP_JNZ, OP_DEC, OP_PRINT, OP_HALT, OP_OVER, OP_DROP };

static int run(const int *code)
{
    int stack[32], sp = 0, pc = 0, steps = 0;
    for (;;) {
        steps++;
        switch (code[pc++]) {
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] = (int)((unsigned)stack[sp - 1] * (unsigned)stack[sp]); break;
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_SWAP: { int t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
        case OP_OVER: stack[sp] = stack[sp - 2]; sp++; break;
        case OP_DROP: sp--; break;
        case OP_JNZ: { int t = code[pc++]; if (stack[--sp]) pc = t; break; }
        case OP_DEC: stack[sp - 1]--; break;
        case OP_PRINT: printf("vm: %d\n", stack[sp - 1]); break;
        case OP_HALT: return steps;
        default: printf("bad opcode\n"); return -1;
        }
    }
}

int main(void)
{
    for (int d = -1; d < 8; d++)
        printf("%s ", day(OPQ(d)));
    printf("\n");

    uint32_t h = 0;
    for (uint32_t i = 0; i < 1000; i++)
        h = h * 31 + dense(OPQ(i * 2654435761u));
    printf("dense: %08x\n", h);
    mix32(h);

    int s = 0;
    static const int probes[] = { -1000, -7, 0, 13, 100, 1024, 65536, 1 << 30, 5, -1, 99 };
    for (unsigned i = 0; i < sizeof probes / sizeof probes[0]; i++)
        s = s * 10 + sparse(OPQ(probes[i]));
    printf("sparse: %d\n", s);
    mix32((uint32_t)s);

    /* factorial of 12 and a countdown sum, in bytecode */
    static const int prog[] = {
        OP_PUSH, 1, OP_PUSH, 12,            /* acc n */
        /* loop @4: */ OP_DUP, OP_JNZ, 9, OP_DROP, OP_HALT,
        /* @9: */ OP_SWAP, OP_OVER, OP_MUL, OP_SWAP, OP_DEC, OP_OVER, OP_PRINT, OP_DROP,
        OP_PUSH, 1, OP_JNZ, 4,
    };
    int steps = run(prog);
    printf("vm steps: %d\n", steps);
    mix32((uint32_t)steps);
    CHECK_EQ(sparse(OPQ(65536)), 7);
    return conf_done("switch");
}
