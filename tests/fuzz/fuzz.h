/* SPDX-License-Identifier: BSD-3-Clause */
/* The fuzz targets: each defines libFuzzer's two entry points.  Built
 * with clang's -fsanitize=fuzzer by 'make fuzz', and with replay.c as
 * its main() by 'make test', which feeds them the corpora and every
 * crash found so far. */

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_net.c: a core on the event loop, to send inputs to */
int  fuzz_core(void);
void fuzz_run(uint32_t ms);
