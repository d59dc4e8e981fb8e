// libFuzzer's driver, callable from Swift. SwiftPM links an executable with `main` renamed to
// `<Module>_main` (so that tests can link it), which hides libFuzzer's own `main`: each fuzz
// target therefore exports `<Module>_main` and starts the driver through this function.
#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int voreg_fuzz_main(int argc, char **argv, int (*callback)(const uint8_t *data, size_t size));

#endif
