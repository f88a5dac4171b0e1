# The program in layerbuild.yml, as source. Rebuild the base64 there with:
#   gcc -nostdlib -static -Os -s -Wl,--build-id=none -Wl,-n -o hello hello.S && base64 -w 76 hello
# (x86-64 Linux: it writes one line and exits 0; no libc, so it runs in a scratch image.)
    .globl _start
    .text
_start:
    mov $1, %eax
    mov $1, %edi
    lea msg(%rip), %rsi
    mov $len, %edx
    syscall
    mov $60, %eax
    xor %edi, %edi
    syscall
msg:
    .ascii "Hello from a LayerBuilder image!\n"
    len = . - msg
