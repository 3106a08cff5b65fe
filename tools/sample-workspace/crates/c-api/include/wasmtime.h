/**
 * \mainpage Wasmtime C API
 *
 * This header declares the C API of Wasmtime. Its version macros are
 * rewritten by `scripts/publish.rs bump`.
 */

#ifndef WASMTIME_API_H
#define WASMTIME_API_H

#include <stdbool.h>

/**
 * \brief Wasmtime version string.
 */
#define WASMTIME_VERSION "5.0.0"
/**
 * \brief Wasmtime major version number.
 */
#define WASMTIME_VERSION_MAJOR 5
/**
 * \brief Wasmtime minor version number.
 */
#define WASMTIME_VERSION_MINOR 0
/**
 * \brief Wasmtime patch version number.
 */
#define WASMTIME_VERSION_PATCH 0

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wasm_config_t wasm_config_t;

/**
 * \brief Whether or not fuel is enabled for generated code.
 */
void wasmtime_config_consume_fuel_set(wasm_config_t *config, bool enable);

#ifdef __cplusplus
} // extern "C"
#endif

#endif // WASMTIME_API_H
