#include <stdlib.h>
#include <unistd.h>

char **environ;

int main(int argc, char **argv, char **envp);

__attribute__((noreturn, used))
void __libc_start_main(int argc, char **argv, char **envp)
{
    environ = envp;
    exit(main(argc, argv, envp));
}
