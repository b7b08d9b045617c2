# Sourced by the callgrind scripts: prepares a copy of the binary that valgrind 3.19 can run.
#   valgrind_prep BIN DIR   → sets VG_BIN (the copy) and VG_LIBS (for LD_LIBRARY_PATH)
# Two valgrind 3.19 limits, neither a fault of the program:
# - it cannot read the DWARF 5 debug info Swift 6 writes ("unhandled dwarf2 abbrev form"): the copy
#   is stripped of it (the symbol table stays, so functions are still named);
# - its rt_sigsuspend wrapper deletes its own signal from the caller's mask IN PLACE, i.e. it writes
#   to the client's sigset_t. libdispatch's signal thread (where dispatch_main parks the main thread
#   of an async `main`, as `lookout` has since it became an AsyncParsableCommand) passes a `static
#   const` mask that lives in read-only memory (`_dispatch_sigsuspend.mask`, .rodata), so valgrind
#   takes a SIGSEGV in its own code ("VALGRIND INTERNAL ERROR ... si_code=2", faulting address = that
#   mask). The workaround: a copy of libdispatch.so whose first LOAD segment (text + .rodata) is
#   mapped writable, found first through LD_LIBRARY_PATH (the binary has a RUNPATH, which
#   LD_LIBRARY_PATH overrides). Same code, same data; only the page protection differs.
valgrind_prep() {
    local bin=$1 dir=$2 lib
    lib=$(ldd "$bin" | awk '/libdispatch\.so/ { print $3 }')
    [ -n "$lib" ] && [ -f "$lib" ] || { echo "valgrind_prep: no libdispatch.so found for $bin" >&2; return 1; }
    mkdir -p "$dir/vglib"
    objcopy --strip-debug "$bin" "$dir/lookout"
    python3 - "$lib" "$dir/vglib/libdispatch.so" <<'PY' || return 1
import struct, sys
elf = bytearray(open(sys.argv[1], 'rb').read())
phoff = struct.unpack_from('<Q', elf, 0x20)[0]
entsize, count = struct.unpack_from('<HH', elf, 0x36)
for i in range(count):
    at = phoff + i * entsize
    kind, flags = struct.unpack_from('<II', elf, at)
    if kind == 1 and not flags & 2:  # the first PT_LOAD without PF_W: text and .rodata
        struct.pack_into('<I', elf, at + 4, flags | 2)
        break
else:
    sys.exit("no read-only PT_LOAD in " + sys.argv[1])
open(sys.argv[2], 'wb').write(elf)
PY
    VG_BIN="$dir/lookout"
    VG_LIBS="$dir/vglib"
}
