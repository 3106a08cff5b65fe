//! Wasmtime's embedding API (a tiny stand-in with the same shape).

use std::fmt;

/// Which code generator compiles WebAssembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Let Wasmtime pick.
    Auto,
    /// The optimizing compiler.
    Cranelift,
    /// The baseline compiler.
    Winch,
}

/// Global configuration of an [`Engine`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Meter execution with fuel.
    pub consume_fuel: bool,
    /// Maximum stack a guest may use, in bytes.
    pub max_wasm_stack: usize,
    /// The compiler to use.
    pub strategy: Strategy,
}

impl Config {
    /// A configuration with Wasmtime's defaults.
    pub fn new() -> Config {
        Config {
            consume_fuel: false,
            max_wasm_stack: 512 * 1024,
            strategy: Strategy::Auto,
        }
    }

    /// Turns fuel metering on or off.
    pub fn consume_fuel(&mut self, enable: bool) -> &mut Self {
        self.consume_fuel = enable;
        self
    }

    /// Picks the compiler.
    pub fn strategy(&mut self, strategy: Strategy) -> &mut Self {
        self.strategy = strategy;
        self
    }
}

impl Default for Config {
    fn default() -> Config {
        Config::new()
    }
}

/// An error from the Wasmtime API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A compilation environment.
#[derive(Debug, Clone)]
pub struct Engine {
    config: Config,
}

impl Engine {
    /// Creates an engine, checking the configuration.
    pub fn new(config: &Config) -> Result<Engine, Error> {
        if config.max_wasm_stack == 0 {
            return Err(Error {
                message: "max_wasm_stack must be greater than zero".to_string(),
            });
        }
        let _ = winch_codegen::isa_name();
        Ok(Engine {
            config: config.clone(),
        })
    }

    /// The configuration this engine was created with.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// The version of this crate.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// Checks that `bytes` start with the WebAssembly magic number.
pub fn validate(bytes: &[u8]) -> Result<(), Error> {
    if bytes.starts_with(wasmtime_environ::WASM_MAGIC) {
        Ok(())
    } else {
        Err(Error {
            message: "not a WebAssembly module".to_string(),
        })
    }
}

/// Runs `f` on a separate stack where fibers exist.
#[cfg(unix)]
pub fn on_fiber_stack<T>(f: impl FnOnce() -> T) -> T {
    wasmtime_fiber::run(f)
}

#[cfg(test)]
mod tests {
    #[test]
    fn engine_from_test_util() {
        let engine = wasmtime_test_util::engine();
        assert!(engine.config().consume_fuel);
    }

    #[test]
    fn validates_magic() {
        assert!(super::validate(b"\0asm\x01\0\0\0").is_ok());
        assert!(super::validate(b"nope").is_err());
    }
}
