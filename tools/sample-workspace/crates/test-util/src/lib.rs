//! Helpers shared by Wasmtime's tests.

/// An engine configured the way most tests want it.
pub fn engine() -> wasmtime::Engine {
    let mut config = wasmtime::Config::new();
    config.consume_fuel(true);
    wasmtime::Engine::new(&config).unwrap()
}
